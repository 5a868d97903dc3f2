"""The projector appends new statements to their tables, in order, without redrawing or repeating (issue 14).

Three phones (390 px) at tables 7, 2 and 12 send statements one after another while the
projector (1600 × 900), signed in as the network's coordinator, polls. The screen must show each
statement once, in its table, in the order sent, with the tables in order (a new table placed
where the full view puts it), and the results view (#live) must be the same element throughout:
the poll appended what was new rather than redrawing. Then the coordinator hides one statement
on the moderation page and the screen redraws without it. axe runs on the projector as it fills.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from lokalkomp.gatherings.models import Activity, Gathering, Response
from lokalkomp.gatherings.presenter import POLL_MS
from lokalkomp.testing import make_network, make_office, make_round, make_user

from .conftest import axe_violations, csp_violations, login

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1600, "height": 900}
PASSWORD = "pw-Secret-123"  # make_user's
ON_SCREEN_MS = POLL_MS + 2000
SENT = [(7, "Tid til felles planlegging"), (2, "Mer veiledning i barnehagene"), (7, "Lokale behov først")]
SENT += [(12, "UH med fra starten"), (2, "Nettverk på tvers av kommuner"), (12, "Skoleeier må forankre")]


def _nb(text: str) -> str:
    with translation.override("nb"):
        return str(translation.gettext(text))


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
    activity = Activity.objects.create(gathering=gathering, kind=Activity.Kind.STATEMENTS, question="3 utsagn pr bord")
    activity.open(by=coordinator)
    return gathering


def _phone(browser: Any, live_server: Any, code: str, table: int) -> Any:
    phone = browser.new_context(locale="nb-NO", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{live_server.url}/delta/{code}/")
    phone.fill("input[name=table]", str(table))
    phone.click("form[action$='/bord/'] button[type=submit]")
    phone.wait_for_load_state()
    expect(phone.locator("#my-table")).to_contain_text(str(table))
    return phone


def _send(phone: Any, text: str) -> None:
    phone.fill("#stage [name=text]", text)
    phone.click("#stage form button[type=submit]")
    expect(phone.locator("#stage [role=status]")).to_contain_text(_nb("Thank you! Your answer is sent."))


def _screen(projector: Any) -> list[tuple[str, list[str]]]:
    """The tables on the projector, in order, each with its statements' texts."""
    return projector.evaluate(
        """() => [...document.querySelectorAll('#tables > section')].map(s =>
             [s.id, [...s.querySelectorAll('li')].map(li => li.textContent.trim())])"""
    )


def test_the_projector_appends_new_statements_in_order_once_each(
    gathering: Gathering, live_server: Any, browser: Any
) -> None:
    projector = browser.new_context(locale="nb-NO", viewport=PROJECTOR).new_page()
    refused = csp_violations(projector)
    login(projector, live_server, "koordinator@helgeland.test", PASSWORD)
    projector.goto(f"{live_server.url}/samlinger/{gathering.pk}/presenter/")
    expect(projector.locator("#count")).to_contain_text("0")
    projector.evaluate("document.getElementById('live').dataset.kept = 'yes'")  # gone if #live is redrawn
    phones = {table: _phone(browser, live_server, gathering.join_code, table) for table in (7, 2, 12)}

    for n, (table, text) in enumerate(SENT, start=1):
        _send(phones[table], text)
        expect(projector.locator("#tables li").filter(has_text=text)).to_have_count(1, timeout=ON_SCREEN_MS)
        expect(projector.locator("#count")).to_contain_text(str(n))
        if n == 3:
            assert axe_violations(projector) == []
    expect(projector.locator("#live[data-kept=yes]")).to_have_count(1)
    by_table = {t: [text for n, text in SENT if n == t] for t in (2, 7, 12)}
    assert _screen(projector) == [[f"table-{t}", by_table[t]] for t in (2, 7, 12)]
    ids = projector.evaluate("[...document.querySelectorAll('#tables li')].map(li => li.id)")
    assert len(ids) == len(set(ids)) == len(SENT)
    assert axe_violations(projector) == []

    # Moderation: the coordinator hides one statement on their own screen; the projector redraws without it.
    hidden = Response.objects.get(text=SENT[2][1])
    moderator = projector.context.new_page()
    moderator.goto(f"{live_server.url}/samlinger/{gathering.pk}/aktiviteter/{hidden.activity_id}/moderer/")
    moderator.click(f"form[action$='/svar/{hidden.pk}/skjul/'] button[type=submit]")
    moderator.wait_for_load_state()
    expect(projector.locator("#tables li").filter(has_text=SENT[2][1])).to_have_count(0, timeout=ON_SCREEN_MS)
    expect(projector.locator("#live[data-kept=yes]")).to_have_count(0)
    by_table[7].remove(SENT[2][1])
    assert _screen(projector) == [[f"table-{t}", by_table[t]] for t in (2, 7, 12)]
    _send(phones[2], "Etter moderering")
    expect(projector.locator("#table-2 li").last).to_have_text("Etter moderering", timeout=ON_SCREEN_MS)
    assert axe_violations(projector) == []

    assert refused == []
    for page in [projector, *phones.values()]:
        page.context.close()
    with urllib.request.urlopen(live_server.url + "/health/", timeout=60) as response:  # noqa: S310 (the test's own)
        response.read()  # the pages' last polls are answered before the test reads the database
    assert Response.objects.filter(activity=hidden.activity).count() == len(SENT) + 1
