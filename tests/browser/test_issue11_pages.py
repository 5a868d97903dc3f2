"""Issue 11's new pages, each scanned with axe in bokmål and nynorsk, at 1280 and at 390 px.

The demo holds the middle of the 2024 year (compilations delivered, the forum's assessments made). On top
of it, for the pages' other states: a long-term plan that covers 2027 (so the measure form of the 2027 draft
shows the goals to tick), a second delivered version of Indre Helgeland's compilation (so the versions
page has something to compare), and, in the browser, Ytre Helgeland's coordinator sends the 2024 report
back from the network's overview (so the owner's form shows the network's comment at the top).

Each person visits their pages in bokmål, then switches the header's language to nynorsk and visits them
again. On every page, at both widths: no axe violation, and nothing that makes a phone scroll sideways.
The walk goes on past a problem and the test fails at the end with all of them.
(tests/browser/test_middle_of_year.py walks the compilation, the assessment form and the overview.)
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import expect

from lokalkomp.accounts.models import User
from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET
from lokalkomp.allocation.models import Compilation
from lokalkomp.demo.build import build
from lokalkomp.directory.models import ForumMember
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import LongTermPlan, Round
from lokalkomp.testing import totp_code

from .conftest import axe_violations, login

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)"}
TWO_FACTOR = {"statsforvalter", "forum", "sekretar"}
YTRE = "God opplæring for alle"
COMMENT = "Tiltak 2 sier ikke hvordan det er forankret i planen. Rett det og send inn på nytt."

# The elements that reach past the right edge of a phone's screen (what makes a page scroll sideways).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' '
    + Math.round(e.getBoundingClientRect().right) + 'px: ' + (e.textContent || '').trim().slice(0, 40))"""


def _nb(text: str) -> str:
    with translation.override("nb"):
        return str(translation.gettext(text))


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    """The demo, a 2027 plan, a second version of Indre Helgeland's compilation; the clock before 15.12.2026."""
    cache.clear()  # sign-in limits and used TOTP codes of earlier tests
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=True):
        build()
        governor = User.objects.get(email="statsforvalter@lokalkomp.test")
        plan = LongTermPlan.make(
            office=Round.objects.get(year=2027).office, first_year=2027, last_year=2030, title="2027–2030", by=governor
        )
        for goal in ("Språk, lesing og skriving i alle fag", "Inkluderende fellesskap for alle barn og elever"):
            plan.add_goal(goal, by=governor)
        compilation = Compilation.objects.get(round__year=2024, network__slug="indre-helgeland")
        compilation.reopen(by=governor, comment="Ny rekkefølge etter møtet i samarbeidsforumet.")
        coordinator = User.objects.get(email="koordinator-ih@lokalkomp.test")
        compilation.place(compilation.ordered_entries()[0], 2, expected_version=compilation.version, by=coordinator)
        compilation.deliver(by=coordinator, expected_version=compilation.version)
        yield


class Walk:
    """What the walk meets: each page's axe violations and sideways scrolling, per language and width."""

    def __init__(self, browser: Any, live_server: Any) -> None:
        self.browser, self.live_server = browser, live_server
        self.problems: list[str] = []
        self.scanned: list[str] = []

    def person(self, who: str) -> Any:
        context = self.browser.new_context(locale="nb-NO", viewport=WIDE, bypass_csp=True)  # axe is injected
        page = context.new_page()
        login(page, self.live_server, f"{who}@lokalkomp.test")
        if "/konto/2fa/authenticate/" in page.url:
            assert who in TWO_FACTOR
            page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
            page.click("main button[type=submit]")
            page.wait_for_load_state()
        expect(page.locator("header")).to_contain_text(_nb("Sign out"))
        return page

    def switch(self, page: Any, language: str) -> None:
        page.locator("header").get_by_role("button", name=LANGUAGES[language]).click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", language)

    def visit(self, page: Any, name: str, path: str, language: str) -> None:
        response = page.goto(self.live_server.url + path)
        if response is None or response.status != 200:
            self.problems.append(f"{name} ({language}): {path} answered {response and response.status}")
            return
        if page.locator("html").get_attribute("lang") != language:
            self.problems.append(f"{name}: the page is not in {language}")
        for viewport in (WIDE, PHONE):
            page.set_viewport_size(viewport)
            where = f"{name} ({language}, {viewport['width']} px)"
            found = axe_violations(page)
            if found:
                self.problems.append(f"{where}: axe {found}")
            if viewport is PHONE and page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                self.problems.append(f"{where} scrolls sideways: {page.evaluate(WIDEST)}")
            self.scanned.append(where)
        page.set_viewport_size(WIDE)

    def walk(self, who: str | Any, pages: list[tuple[str, str]]) -> Any:
        """The person's pages in bokmål, then (the header's switch) in nynorsk; returns the signed-in page.

        `who` is a person's name, or the page of one signed in already (a TOTP code is used only once).
        """
        page = self.person(who) if isinstance(who, str) else who
        for language in LANGUAGES:
            if language != "nb":
                self.switch(page, language)
            for name, path in pages:
                self.visit(page, name, path, language)
        self.switch(page, "nb")
        return page


def send_back_from_the_overview(walk: Walk, report: NeedsReport, overview: str) -> None:
    """Ytre Helgeland's coordinator sends the submitted 2024 report back with a comment, from the overview."""
    page = walk.person("koordinator")
    page.goto(walk.live_server.url + overview)
    page.locator(f"#send-back-{report.pk} summary").click()
    page.fill(f"#send-back-comment-{report.pk}", COMMENT)
    page.locator(f"#send-back-{report.pk} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(f"#report-{report.pk} [data-status]")).to_have_attribute("data-status", "sent_back")
    page.context.close()


def test_issue_11s_pages_are_clean_for_axe_in_bokmal_and_nynorsk_at_both_widths(demo, live_server, browser):  # type: ignore[no-untyped-def]
    ytre = NeedsReport.objects.get(partnership__name=YTRE, round__year=2024)
    draft = NeedsReport.objects.get(partnership__name=YTRE, round__year=2027)
    measure = Measure.objects.filter(report=draft).order_by("position").first()
    assert measure is not None
    plan = LongTermPlan.objects.get(first_year=2023)
    goal = plan.goals.order_by("position").first()
    seat = ForumMember.objects.filter(forum__office__slug="nordland").order_by("pk").first()
    assert goal is not None and seat is not None
    round, plans, seats = (
        "/runder/nordland/2024/",
        "/runder/embeter/nordland/langsiktig-plan/",
        "/embeter/nordland/forum/",
    )
    overview = "/behovsmeldinger/nettverk/nordland/ytre-helgeland/2024/"
    walk = Walk(browser, live_server)

    governor = walk.walk(
        "statsforvalter",
        [
            ("the round page", round),
            ("the frames", round + "rammer/"),
            ("the long-term plans", plans),
            ("a plan's form", f"{plans}{plan.pk}/"),
            ("a goal's form", f"{plans}{plan.pk}/mal/{goal.pk}/"),
            ("the forum's seats", seats),
            ("a seat's form", f"{seats}{seat.pk}/"),
            ("ending a seat", f"{seats}{seat.pk}/avslutt/"),
            ("the work list", "/behovsmeldinger/arbeidsliste/nordland/2024/"),
            ("the networks' compilations", round + "sammenstillinger/"),
            ("the declarations of ties", round + "habilitet/erklaeringer/"),
        ],
    )
    walk.walk(
        "koordinator",
        [
            ("the network's overview", overview),
            ("the cross-scheme view", f"/behovsmeldinger/{ytre.pk}/ordninger/"),
        ],
    )
    walk.walk(
        "koordinator-ih",
        [("the compilation's versions", "/nettverk/nordland/indre-helgeland/2024/sammenstilling/versjoner/?a=1&b=2")],
    )
    walk.walk(
        "forum",
        [("the assessment list", round + "vurdering/"), ("my declaration of ties", round + "habilitet/")],
    )
    walk.walk("sekretar", [("the assessment list (secretariat)", round + "vurdering/")])

    send_back_from_the_overview(walk, ytre, overview)
    owner = walk.walk(
        "eier",
        [
            ("the sent-back report's form", f"/behovsmeldinger/{ytre.pk}/skjema/partnership/"),
            ("a measure's goals and areas", f"/behovsmeldinger/{draft.pk}/tiltak/{measure.pk}/"),
        ],
    )
    walk.walk(governor, [("the work list, sent back", "/behovsmeldinger/arbeidsliste/nordland/2024/?status=sent_back")])

    owner.goto(f"{live_server.url}/behovsmeldinger/{ytre.pk}/skjema/partnership/")
    expect(owner.locator("#sent-back-comment")).to_have_text(COMMENT)
    owner.goto(f"{live_server.url}/behovsmeldinger/{draft.pk}/tiltak/{measure.pk}/")
    expect(owner.get_by_role("checkbox", name="Språk, lesing og skriving i alle fag")).to_be_visible()
    assert len(walk.scanned) == 2 * 2 * 20, walk.scanned
    assert walk.problems == []
