"""A participant on a phone and the presenter on a projector, at one gathering (issue 14).

The phone (390 px wide, no account) joins by the code on the screen, picks table 12, gives one
word, takes a position in the statement game's first round and changes it in the second. The
projector (1600 × 900), signed in as the network's coordinator, shows each answer arrive within
the presenter's poll interval, and runs the gathering from its own controls (open the statement
game, start round 2), so the test's thread writes nothing while the pages are open. Every page the
two visit is scanned with axe.

The pages are found by names, values and ids, and their texts are compared through gettext, so the
test reads the same whether or not the bokmål catalogue has been compiled with the newest strings.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from lokalkomp.gatherings.models import Activity, Gathering, Participant, Response
from lokalkomp.gatherings.presenter import POLL_MS
from lokalkomp.testing import make_network, make_office, make_round, make_user

from .conftest import axe_violations, csp_violations, login

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1600, "height": 900}
PASSWORD = "pw-Secret-123"  # make_user's
# The presenter polls every POLL_MS; an answer must be on the screen within one interval and the render.
ON_SCREEN_MS = POLL_MS + 500
# The phone polls for the stage (which activity is open, its round) every 3 s.
ON_PHONE_MS = 3000 + 2000
WORD = "Behagelig"
STATEMENT = "Kompetanseutviklingstiltakene våre er forankret i lokalt definerte behov."


def _nb(text: str) -> str:
    with translation.override("nb"):
        return str(translation.gettext(text))


def _position(value: str) -> str:
    with translation.override("nb"):
        return str(Response.Position(value).label)


@pytest.fixture
def gathering(transactional_db: Any) -> Gathering:
    coordinator = make_user("koordinator@helgeland.test", first_name="Nina", last_name="Nettverk")
    office = make_office("nordland")
    network = make_network(office, coordinator=coordinator)
    gathering = Gathering.objects.create(
        office=office,
        round=make_round(office, year=2024),
        network=network,
        title="Velkommen til samling! Region Indre Helgeland",
        date=dt.date(2023, 10, 5),
    )
    gathering.publish(by=coordinator)
    words = Activity.objects.create(
        gathering=gathering,
        kind=Activity.Kind.ONE_WORD,
        question="Hvordan er stemningen ved bordet? Beskriv med ett ord.",
        position=1,
    )
    words.open(by=coordinator)
    Activity.objects.create(gathering=gathering, kind=Activity.Kind.STATEMENT_GAME, question=STATEMENT, position=2)
    return gathering


def _contexts(browser: Any) -> tuple[Any, Any]:
    phone = browser.new_context(
        locale="nb-NO", viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    ).new_page()
    projector = browser.new_context(locale="nb-NO", viewport=PROJECTOR).new_page()
    return phone, projector


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _join(phone: Any, live_server: Any, code: str) -> None:
    phone.goto(f"{live_server.url}/delta/")
    assert axe_violations(phone) == []
    phone.fill("input[name=kode]", code.lower())  # as a person types it from the screen
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"**/delta/{code}/")
    phone.fill("input[name=table]", "12")
    phone.click("form[action$='/bord/'] button[type=submit]")
    phone.wait_for_load_state()
    expect(phone.locator("#my-table")).to_contain_text("12")
    _no_sideways_scroll(phone)
    assert axe_violations(phone) == []


def _answer_the_game(phone: Any, position: str, argument: str) -> None:
    phone.check(f"#stage input[name=position][value={position}]")
    phone.fill("#stage textarea[name=text]", argument)
    phone.click("#stage form button[type=submit]")
    expect(phone.locator("#stage [role=status]")).to_contain_text(_nb("Thank you! Your answer is sent."))


def test_a_phone_answers_and_changes_position_while_the_projector_shows_it(
    gathering: Gathering, live_server: Any, browser: Any
) -> None:
    phone, projector = _contexts(browser)
    refused = [csp_violations(phone), csp_violations(projector)]  # filled as the pages run
    words, game = gathering.activities.order_by("position")
    login(projector, live_server, "koordinator@helgeland.test", PASSWORD)
    projector.goto(f"{live_server.url}/samlinger/{gathering.pk}/presenter/")
    expect(projector.locator("#join-code")).to_have_text(gathering.join_code)
    expect(projector.locator("#count")).to_contain_text("0")
    assert axe_violations(projector) == []

    _join(phone, live_server, gathering.join_code)
    phone.fill("#stage input[name=text]", WORD)
    phone.click("#stage form button[type=submit]")
    expect(phone.locator("#stage [role=status]")).to_contain_text(_nb("Thank you! Your answer is sent."))
    expect(projector.locator("#cloud")).to_contain_text(WORD, timeout=ON_SCREEN_MS)
    expect(projector.locator("#count")).to_contain_text("1")
    assert axe_violations(projector) == []

    # The organiser turns to the statement game on the projector and opens it; the phone follows.
    projector.click(f"nav a[href='?aktivitet={game.pk}']")
    projector.click("form[action$='/apne/'] button[type=submit]")
    expect(projector.locator(".lk-screen-question")).to_have_text(STATEMENT)
    expect(phone.locator("#question")).to_have_text(STATEMENT, timeout=ON_PHONE_MS)
    _no_sideways_scroll(phone)
    assert axe_violations(phone) == []
    _answer_the_game(phone, "agree", "Behovene er meldt fra hver barnehage og skole.")
    round_one = _nb("Round %(n)s") % {"n": 1} + " (1)"
    expect(projector.locator("#rounds")).to_contain_text(round_one, timeout=ON_SCREEN_MS)
    expect(projector.locator("#arguments")).to_contain_text("Behovene er meldt fra", timeout=ON_SCREEN_MS)
    assert axe_violations(projector) == []

    # Round 2: the phone shows what it said in round 1 and takes a new position.
    projector.click("form[action$='/runde-2/'] button[type=submit]")
    expect(phone.locator("#round-two")).to_contain_text(_position("agree"), timeout=ON_PHONE_MS)
    assert axe_violations(phone) == []
    _answer_the_game(phone, "disagree", "Ved nærmere ettertanke: UH var ikke med på å vurdere behovene.")
    moved = f"{_position('agree')} → {_position('disagree')}: 1"
    expect(projector.locator("#moved")).to_contain_text(moved, timeout=ON_SCREEN_MS)
    expect(phone.locator("#my-answer")).to_contain_text(_position("disagree"))
    assert axe_violations(projector) == []
    assert axe_violations(phone) == []

    # The presenter's page on a phone (a presenter without a projector yet): the rounds side by side would not
    # fit, so they stack, and nothing scrolls sideways.
    projector.set_viewport_size(PHONE)
    expect(projector.locator("#moved")).to_be_visible()
    _no_sideways_scroll(projector)
    assert axe_violations(projector) == []

    assert refused == [[], []]
    phone.context.close()
    projector.context.close()
    with urllib.request.urlopen(live_server.url + "/health/", timeout=60) as response:  # noqa: S310 (the test's own)
        response.read()  # the pages' last polls are answered before the test reads the database
    participant = Participant.objects.get(gathering=gathering)
    assert participant.table == 12
    assert list(words.responses.values_list("participant", "table", "text")) == [(participant.pk, 12, WORD)]
    assert sorted(game.responses.values_list("round", "position")) == [(1, "agree"), (2, "disagree")]


def test_the_organisers_activity_form_fits_a_phone(gathering: Gathering, live_server: Any, browser: Any) -> None:
    """The kind's select lists long names («Statements per table …»): they never widen the form past the screen."""
    page = browser.new_context(locale="nb-NO", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, live_server, "koordinator@helgeland.test", PASSWORD)
    for activity in (None, gathering.activities.get(kind=Activity.Kind.STATEMENT_GAME)):
        where = f"aktiviteter/{activity.pk}/endre/" if activity else "aktiviteter/ny/"
        page.goto(f"{live_server.url}/samlinger/{gathering.pk}/{where}")
        expect(page.locator("select[name=kind]")).to_be_visible()
        _no_sideways_scroll(page)
        assert axe_violations(page) == []
    page.context.close()
