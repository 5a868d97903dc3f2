"""The demo's 2024 round from the submitted needs reports to a finished assessment (issue 11's «Done when»).

The demo is built up to «reports submitted» (Ytre Helgeland's seed 003 report and Indre Helgeland's
made-up one), and the clock stands at Monday 8 January 2024, two days before the networks' deadline.
Then, in the browser:

1. each network's coordinator opens the compilation from the network's page, moves a measure with the
   keyboard («Flytt ned» / «Flytt opp», Enter), marks one as not recommended with a reason, writes the
   network's comment and delivers;
2. two forum members declare their ties («no other ties») and assess a measure each, and share it;
3. the member who holds HINN/SePU's seat (HINN/SePU is the UH of Ytre Helgeland's partnership)
   declares, sees «Inhabil» on Ytre Helgeland's measures, is refused on their form, and assesses one
   of Indre Helgeland's;
4. the overview shows their scores.

Every page visited is scanned with axe, in bokmål and in nynorsk (the header's language switch).
The compilation, the assessment form and the overview are photographed at 1280 and 390 px into
/tmp/shots/. The test's own thread only reads the database, after `server_idle`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET
from lokalkomp.allocation.models import Assessment, Compilation, Declaration
from lokalkomp.demo import middle
from lokalkomp.demo.build import build
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.testing import totp_code

from .conftest import axe_violations, csp_violations, login, server_idle

SHOTS = Path("/tmp/shots")  # noqa: S108  (for the lead to look at; never committed)
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WALK_STARTS = "2024-01-08 09:00 +01:00"  # Monday; the networks deliver by Wednesday 10 January
YTRE, INDRE = "God opplæring for alle", middle.IH_PARTNERSHIP
TWO_FACTOR = {"forum@lokalkomp.test", "vara@lokalkomp.test", "forum-uh@lokalkomp.test"}


# The innermost elements that reach past the right edge of a phone's screen (what makes a page scroll sideways).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px: ' + (e.textContent || '').trim().slice(0, 40))"""


def _nb(text: str) -> str:
    """A source string as the bokmål page shows it (the same whether or not the catalogue is compiled yet)."""
    with translation.override("nb"):
        return str(translation.gettext(text))


@pytest.fixture
def submitted(transactional_db: Any) -> Any:
    """The demo up to «reports submitted», and the clock at 8 January 2024 for the walk."""
    cache.clear()  # sign-in limits and used TOTP codes of earlier tests
    with time_machine.travel("2023-12-14 14:00 +01:00", tick=False):
        build(middle="submitted")
    with time_machine.travel(WALK_STARTS, tick=True):
        yield


class Walk:
    """What the walk meets: axe violations and refused scripts per page and language, and other problems.

    Problems that do not stop the walk (a page that scrolls sideways on a phone, a covered button, a
    sum that does not add up) are noted, so that one run lists them all; the test fails at its end.
    """

    def __init__(self, browser: Any, live_server: Any) -> None:
        self.browser, self.live_server = browser, live_server
        self.axe: dict[str, list[dict[str, Any]]] = {}
        self.refused_scripts: list[list[str]] = []  # each page's Content-Security-Policy refusals
        self.problems: list[str] = []
        SHOTS.mkdir(parents=True, exist_ok=True)

    def person(self, email: str) -> Any:
        """A browser of their own for the person, signed in (with the demo's TOTP code where the role asks)."""
        page = self.browser.new_context(locale="nb-NO", viewport=WIDE).new_page()
        self.refused_scripts.append(csp_violations(page))
        login(page, self.live_server, email)
        if "/konto/2fa/authenticate/" in page.url:
            assert email in TWO_FACTOR
            page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
            page.click("main button[type=submit]")
            page.wait_for_load_state()
        expect(page.locator("header")).to_contain_text(_nb("Sign out"))
        return page

    def scan(self, page: Any, name: str, shot: str = "") -> None:
        """axe in bokmål and nynorsk (the header's switch), back to bokmål; the photographs in bokmål."""
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        self._axe(page, f"{name} (nb)")
        if page.evaluate("document.documentElement.scrollWidth") > WIDE["width"]:
            self.problems.append(f"{name} scrolls sideways at 1280 px: {page.evaluate(WIDEST)}")
        if shot:
            page.screenshot(path=str(SHOTS / f"{shot}-1280.png"), full_page=True)
            page.set_viewport_size(PHONE)
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                self.problems.append(f"{name} scrolls sideways at 390 px: {page.evaluate(WIDEST)}")
            page.screenshot(path=str(SHOTS / f"{shot}-390.png"), full_page=True)
            page.set_viewport_size(WIDE)
        self._switch(page, name, "Norsk (nynorsk)")
        expect(page.locator("html")).to_have_attribute("lang", "nn")
        self._axe(page, f"{name} (nn)")
        if shot:
            page.screenshot(path=str(SHOTS / f"{shot}-nn-1280.png"), full_page=True)
        self._switch(page, name, "Norsk (bokmål)")
        expect(page.locator("html")).to_have_attribute("lang", "nb")

    def _switch(self, page: Any, name: str, language: str) -> None:
        """The header's language switch, by a click; if something covers it, noted, and pressed from the keyboard."""
        button = page.locator("header").get_by_role("button", name=language)
        try:
            button.click(timeout=3000)
        except PlaywrightTimeout:
            self.problems.append(f"{name}: the header's «{language}» cannot be clicked (something covers it)")
            button.press("Enter")

    def check_one(self, page: Any, selector: str, what: str) -> None:
        """A check that does not stop the walk: noted, and the test fails at the end with every such note."""
        try:
            expect(page.locator(selector)).to_have_count(1, timeout=3000)
        except AssertionError:
            focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
            self.problems.append(f"{what}; focused: {focused}")

    def _axe(self, page: Any, name: str) -> None:
        found = axe_violations(page)
        if found:
            self.axe[name] = found


def _measure(partnership: str, position: int) -> Measure:
    return Measure.objects.get(report__partnership__name=partnership, report__round__year=2024, position=position)


def _row(page: Any, scheme: str, name: str) -> Any:
    return page.locator(f"#list-{scheme} tbody tr", has_text=name)


def _order(network: str) -> list[str]:
    compilation = Compilation.objects.get(round__year=2024, network__slug=network)
    return [e.measure.name for e in compilation.ordered_entries()]


def compile_and_deliver(
    walk: Walk, email: str, network: str, move: tuple[str, str, str], refuse: tuple[str, str]
) -> None:
    """The coordinator's walk: from the network's page to the compilation, order, mark, comment, deliver."""
    page = walk.person(email)
    live = walk.live_server.url
    page.goto(f"{live}/nettverk/nordland/{network}/")
    page.locator("#network-compilations a[href$='/2024/sammenstilling/']").click()
    expect(page.locator("#compilation-list")).to_be_visible()
    walk.scan(page, f"compilation {network}", shot=f"compilation-{network}")
    for table in page.locator("#compilation-list table[id^=list-]").all():  # «Sum <scheme>, <n> measures»
        rows, sums = table.locator("tbody tr").count(), table.locator("tfoot th").inner_text()
        if f" {rows} " not in f" {sums} ".replace(",", " "):
            walk.problems.append(f"compilation {network}: {rows} measures, the sum row says «{sums}»")

    # Move a measure with the keyboard: Enter on «Flytt ned»/«Flytt opp».
    scheme, name, direction = move
    entry = _row(page, scheme, name).get_attribute("data-entry")
    server_idle(page, walk.live_server)
    before = _order(network)
    button = page.locator(f"#move-{entry}-{direction}")
    with page.expect_response(lambda r: f"/flytt/{'ned' if direction == 'down' else 'opp'}/" in r.url) as moved:
        button.press("Enter")
    assert moved.value.status == 200
    # Focus stays in the row: on the button, or on the row's other one where this one is now disabled.
    walk.check_one(
        page, f"#entry-{entry} button:focus", f"{network}: after «{direction}» the focus is in the moved row"
    )
    server_idle(page, walk.live_server)
    after = _order(network)
    step = 1 if direction == "down" else -1
    assert after.index(name) == before.index(name) + step, (before, after)

    # Mark one as not recommended, with the network's reason.
    refused, reason = refuse
    entry_id = page.locator("#compilation-list tbody tr", has_text=refused).get_attribute("data-entry")
    page.locator(f"#mark-{entry_id}").click()
    page.check(f"#recommended-{entry_id}-no")
    page.fill(f"#reason-{entry_id}", reason)
    with page.expect_response(lambda r: "/anbefaling/" in r.url) as marked:
        page.locator(f"#reason-{entry_id}").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert marked.value.status == 200
    expect(page.locator(f"#entry-{entry_id}")).to_contain_text(reason)

    # The network's comment, saved on its own (htmx), then the delivery.
    page.fill("#comment-text", f"Demo: {network} leverer sin prioritering.")
    page.locator("#comment button[type=submit]").click()
    expect(page.locator("#msg-comment .lk-saved")).to_be_visible()
    page.locator("#deliver button[type=submit]").click()
    expect(page.locator("#compilation-status .ds-tag")).to_have_text(_nb("Delivered to the forum"))
    walk.scan(page, f"compilation {network} delivered")
    server_idle(page, walk.live_server)
    compilation = Compilation.objects.get(round__year=2024, network__slug=network)
    (version,) = compilation.versions.all()
    assert version.number == 1 and version.delivered_at.date() == dt.date(2024, 1, 8)
    assert compilation.comment.startswith("Demo:")
    assert [e.reason for e in compilation.entries.filter(recommended=False)] == [reason]
    page.context.close()


def declare(walk: Walk, page: Any, name: str, known: str = "") -> None:
    """The work list sends a member who has not declared to the declaration first; «no other ties»."""
    page.goto(f"{walk.live_server.url}/runder/nordland/2024/vurdering/")
    expect(page).to_have_url(re.compile(r"/runder/nordland/2024/habilitet/"))
    if known:
        expect(page.locator("#known-ties")).to_contain_text(known)
    walk.scan(page, f"declaration {name}")
    page.check("#declaration-none")
    page.click("#declaration-submit")
    expect(page).to_have_url(re.compile(r"/runder/nordland/2024/vurdering/$"))


def assess(walk: Walk, page: Any, email: str, measure: Measure, partly: int | None, shot: str = "") -> None:
    """From the work list to the measure's form: every criterion met (criterion `partly` partly), prioritise, share."""
    name = email.split("@")[0]
    page.locator(f"#measure-{measure.pk} a").first.click()
    expect(page.locator("#assess-form")).to_be_visible()
    walk.scan(page, f"assessment form {name}", shot=shot)
    criteria = page.locator("#assess-form fieldset.lk-card[id^=criterion-]")
    for n in range(criteria.count()):
        pk = criteria.nth(n).get_attribute("id").removeprefix("criterion-")
        page.check(f"#score-{pk}-{'partly' if n + 1 == partly else 'met'}")
        page.fill(f"#comment-{pk}", f"{name}: kriterium {n + 1}.")
    page.check("#recommendation-prioritise")
    page.fill("#assess-comment", f"{name}: godt forankret, bør prioriteres.")
    page.wait_for_timeout(1800)  # the autosave waits 1.5 s after the last keystroke
    server_idle(page, walk.live_server)
    page.click("#assess-share")
    expect(page.locator("#shared-note")).to_be_visible()
    server_idle(page, walk.live_server)
    assert Assessment.objects.get(measure=measure, assessor__email=email).shared


def test_the_2024_round_goes_from_submitted_reports_to_a_finished_assessment(submitted, live_server, browser):
    walk = Walk(browser, live_server)
    live = live_server.url
    assert NeedsReport.objects.filter(round__year=2024, status="submitted").count() == 2
    assert not Compilation.objects.exists() and not Assessment.objects.exists()

    # 1. The coordinators compile and deliver, two days before the deadline.
    compile_and_deliver(
        walk,
        "koordinator@lokalkomp.test",
        "ytre-helgeland",
        ("dekomp", "Datainnsamling for å analysere egne behov", "down"),
        ("Magisk måned", "Et enkeltstående arrangement; bør finansieres lokalt."),
    )
    compile_and_deliver(
        walk,
        "koordinator-ih@lokalkomp.test",
        "indre-helgeland",
        ("dekomp", "Vurdering for læring i profesjonsfellesskapet", "up"),
        ("Ståstedsanalyse i barnehagene", "Analysen fra 2023 kan brukes."),
    )
    assert Compilation.objects.filter(status=Compilation.Status.DELIVERED).count() == 2

    ytre, indre = _measure(YTRE, 2), _measure(INDRE, 3)

    # 2. Two forum members declare and assess a measure each.
    forum = walk.person("forum@lokalkomp.test")
    declare(walk, forum, "forum")
    walk.scan(forum, "work list forum")
    assess(walk, forum, "forum@lokalkomp.test", ytre, None, shot="assessment-form")
    vara = walk.person("vara@lokalkomp.test")
    declare(walk, vara, "vara")
    assess(walk, vara, "vara@lokalkomp.test", indre, 5)

    # 3. HINN/SePU's member: «Inhabil» on Ytre Helgeland's measures, refused on their form, assesses Indre's.
    uh = walk.person("forum-uh@lokalkomp.test")
    declare(walk, uh, "forum-uh", known=YTRE)
    disqualified = _nb("Disqualified")
    for position in range(1, 9):
        row = uh.locator(f"#measure-{_measure(YTRE, position).pk}")
        expect(row).to_contain_text(disqualified)
        expect(row.locator("a")).to_have_count(0)
    walk.scan(uh, "work list forum-uh")
    refused = uh.goto(f"{live}/runder/nordland/2024/vurdering/tiltak/{ytre.pk}/")
    assert refused is not None and refused.status == 403
    expect(uh.locator("main")).to_contain_text(YTRE)
    walk.scan(uh, "refused form forum-uh")
    uh.goto(f"{live}/runder/nordland/2024/vurdering/")
    assess(walk, uh, "forum-uh@lokalkomp.test", indre, 1)
    assert Declaration.objects.filter(round__year=2024).count() == 3

    # 4. The overview shows their scores: 100 for forum@'s all met; 90 for vara@'s and forum-uh@'s (one partly each).
    forum.goto(f"{live}/runder/nordland/2024/vurdering/oversikt/")
    expect(forum.locator(f"#measure-{ytre.pk} td").last).to_have_text("100")
    expect(forum.locator(f"#measure-{indre.pk} td").last).to_have_text("90")
    expect(forum.locator(f"#measure-{indre.pk} .lk-tally strong").first).to_have_text("2")
    walk.scan(forum, "overview forum", shot="overview")
    uh.goto(f"{live}/runder/nordland/2024/vurdering/oversikt/")
    expect(uh.locator(f"#measure-{ytre.pk}")).to_contain_text(disqualified)
    expect(uh.locator(f"#measure-{ytre.pk} td").last).not_to_have_text("100")
    walk.scan(uh, "overview forum-uh")

    for page in (forum, vara, uh):
        page.context.close()
    found = {"problems": walk.problems, "axe": walk.axe, "csp": [f for f in walk.refused_scripts if f]}
    assert found == {"problems": [], "axe": {}, "csp": []}, "\n".join(
        [*walk.problems, *(f"axe {page}: {v}" for page, v in walk.axe.items()), *map(str, found["csp"])]
    )
