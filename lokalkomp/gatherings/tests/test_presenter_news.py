"""The presenter's poll sends only what is new since the screen's version, and redraws when anything else changed.

`Screen` applies the poll's answers as the page's htmx does (a full view replaces #live; «news»
appends each table's new statements and places a new table), so the tests compare what the
projector would show with the database: every shown statement exactly once, in its table, in order.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lokalkomp.gatherings.models import Activity, Response
from lokalkomp.gatherings.results import MAX_STATEMENTS

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<section class="lk-card lk-table-card" id="table-(\w+)">(.*?)</section>', re.S)
STATEMENT = re.compile(r'<li id="statement-(\d+)">')
OOB = re.compile(r'<(ul|div) hx-swap-oob="([^"]+)">(.*?)</\1>', re.S)
POLLER = re.compile(r'<div id="live-poll" [^>]*data-version="(\d+)"')


def live_url(activity: Activity) -> str:
    return f"/samlinger/{activity.gathering_id}/presenter/{activity.pk}/live/"


def poller_version(body: str) -> int:
    found = POLLER.search(body)
    assert found, body
    return int(found.group(1))


def poll(client: Client, activity: Activity, v: int | str) -> tuple[int, str, bool]:
    """(status, body, whether it redraws the whole view)."""
    reply = client.get(live_url(activity), {"v": v, "p": ""})
    return reply.status_code, reply.content.decode(), reply.get("HX-Retarget") == "#live"


@dataclass
class Screen:
    """What the projector shows of a statements activity: tables in order, each with its statements' pks."""

    tables: list[tuple[str, list[int]]] = field(default_factory=list)
    version: int = -1
    redraws: int = 0
    news: int = 0

    def apply(self, status: int, body: str, full: bool) -> None:
        if status == 204:
            return
        assert status == 200
        self.version = poller_version(body)
        if full:
            self.redraws += 1
            self.tables = [(t, [int(pk) for pk in STATEMENT.findall(inner)]) for t, inner in SECTION.findall(body)]
            return
        self.news += 1
        for _tag, where, inner in OOB.findall(body):
            strategy, target = where.split(":")
            if strategy == "beforeend" and target.endswith("-items"):
                items = dict(self.tables)[target.removeprefix("#table-").removesuffix("-items")]
                items += [int(pk) for pk in STATEMENT.findall(inner)]
                continue
            ((table, section),) = SECTION.findall(inner)
            new = (table, [int(pk) for pk in STATEMENT.findall(section)])
            names = [t for t, _items in self.tables]
            if strategy == "afterend":
                self.tables.insert(names.index(target.removeprefix("#table-")) + 1, new)
            elif strategy == "afterbegin":
                self.tables.insert(0, new)
            else:
                assert (strategy, target) == ("beforeend", "#tables")
                self.tables.append(new)

    def follow(self, client: Client, activity: Activity) -> None:
        self.apply(*poll(client, activity, self.version))

    def statements(self) -> list[int]:
        return [pk for _table, items in self.tables for pk in items]


def expected(activity: Activity) -> list[tuple[str, list[int]]]:
    """The shown statements by table, tables up and «no table» last, each table's oldest first."""
    tables: dict[int | None, list[int]] = {}
    for pk, table in (
        Response.objects.filter(activity=activity).shown().order_by("version", "pk").values_list("pk", "table")
    ):
        tables.setdefault(table, []).append(pk)
    order = sorted(tables, key=lambda n: (n is None, n or 0))
    return [("none" if n is None else str(n), tables[n]) for n in order]


@pytest.fixture
def gathering(cast):
    return make_gathering(cast.round, network=cast.network, title="Ledersamling")


@pytest.fixture
def statements(gathering):
    return make_activity(gathering, Activity.Kind.STATEMENTS, question="3 utsagn pr bord")


@pytest.fixture
def presenter(client, cast):
    client.force_login(cast.coordinator)
    return client


def test_a_poll_with_v_n_sends_exactly_the_statements_after_n(presenter, gathering, statements):
    twelve, two = make_participant(gathering, 12), make_participant(gathering, 2)
    before = [statements.answer(twelve, text="Fokus på ledelse"), statements.answer(two, text="Gode rutiner")]
    statements.refresh_from_db()
    n = statements.version
    after = [statements.answer(two, text="Mer etterutdanning"), statements.answer(twelve, text="Felles tid")]
    status, body, full = poll(presenter, statements, n)
    assert status == 200 and not full
    assert [int(pk) for pk in STATEMENT.findall(body)] == [after[0].pk, after[1].pk]  # table 2, then 12
    assert all(r.text not in body for r in before)
    assert f'hx-swap-oob="beforeend:#table-2-items"><li id="statement-{after[0].pk}">Mer etterutdanning' in body
    assert f'hx-swap-oob="beforeend:#table-12-items"><li id="statement-{after[1].pk}">Felles tid' in body
    assert poller_version(body) == n + 2
    assert re.search(r'<p class="lk-screen-count" id="count" hx-swap-oob="true">[^<]*\b4\b', body)
    # The new version's poll is a 204; the one before it sends the last statement only.
    assert poll(presenter, statements, n + 2)[0] == 204
    assert STATEMENT.findall(poll(presenter, statements, n + 1)[1]) == [str(after[1].pk)]


def test_a_new_table_goes_where_the_full_view_puts_it(presenter, gathering, statements):
    for table in (2, 12):
        statements.answer(make_participant(gathering, table), text=f"Bord {table}")
    screen = Screen()
    screen.follow(presenter, statements)
    for table in (20, 7, None, 1, 12, 13):
        statements.answer(make_participant(gathering, table), text=f"Nytt fra {table}")
    screen.follow(presenter, statements)
    assert (screen.redraws, screen.news) == (1, 1)
    assert [t for t, _items in screen.tables] == ["1", "2", "7", "12", "13", "20", "none"]
    assert screen.tables == expected(statements)


@pytest.mark.parametrize("change", ["hide", "approve", "close", "reset"])
def test_a_change_other_than_new_answers_redraws_the_whole_view(presenter, gathering, cast, change):
    activity = make_activity(gathering, Activity.Kind.STATEMENTS, moderated=(change == "approve"))
    people = [make_participant(gathering, table) for table in (1, 2)]
    first = activity.answer(people[0], text="Først")
    activity.refresh_from_db()
    n = activity.version
    activity.answer(people[1], text="Etterpå")
    if change == "hide":
        first.hide(by=cast.coordinator)
    elif change == "approve":
        first.approve(by=cast.coordinator)
    else:
        getattr(activity, change)(by=cast.coordinator)
    status, body, full = poll(presenter, activity, n)
    assert status == 200 and full
    assert ("Først" in body) == (change in ("approve", "close"))
    assert ("Etterpå" in body) == (change in ("hide", "close"))  # moderated: «Etterpå» waits for approval


def test_an_edit_of_the_question_redraws_the_whole_view(presenter, gathering, statements):
    statements.answer(make_participant(gathering, 3), text="Først")
    statements.refresh_from_db()
    n = statements.version
    data = {"kind": statements.kind, "question": "Hva nå?", "scale_min": 1, "scale_max": 5}
    url = f"/samlinger/{gathering.pk}/aktiviteter/{statements.pk}/endre/"
    assert presenter.post(url, data).status_code == 302
    status, body, full = poll(presenter, statements, n)
    assert status == 200 and full and "Hva nå?" in body and "Først" in body


def test_the_edit_keeps_a_version_raised_while_the_form_was_open(presenter, gathering, statements):
    statements.refresh_from_db()
    n = statements.version
    statements.answer(make_participant(gathering, 3), text="Mens skjemaet var åpent")
    data = {"kind": statements.kind, "question": "Hva nå?", "scale_min": 1, "scale_max": 5}
    assert presenter.post(f"/samlinger/{gathering.pk}/aktiviteter/{statements.pk}/endre/", data).status_code == 302
    statements.refresh_from_db()
    assert statements.version == n + 2 and statements.question == "Hva nå?"
    assert poll(presenter, statements, n)[2]  # the edit is not taken for one more answer


def test_a_statement_waiting_for_approval_only_raises_the_count(presenter, gathering):
    activity = make_activity(gathering, Activity.Kind.STATEMENTS, profanity_filter=True)
    person = make_participant(gathering, 4)
    activity.answer(person, text="Spennende")
    activity.refresh_from_db()
    n = activity.version
    held = activity.answer(person, text="Faen heller")
    status, body, full = poll(presenter, activity, n)
    assert held.flagged and status == 200 and not full
    assert "Faen" not in body and STATEMENT.findall(body) == []
    assert re.search(r'id="count" hx-swap-oob="true">[^<]*\b1\b[^<]*·[^<]*\b1\b', body)


@pytest.mark.parametrize("kind", [Activity.Kind.ONE_WORD, Activity.Kind.STATEMENT_GAME, Activity.Kind.SCALE])
def test_the_word_cloud_and_the_charts_are_always_redrawn(presenter, gathering, kind):
    activity = make_activity(gathering, kind, options={"min": 1, "max": 5})
    values = {"text": "Magisk", "position": "agree", "value": 3}
    activity.answer(make_participant(gathering, 1), **values)
    activity.refresh_from_db()
    n = activity.version
    activity.answer(make_participant(gathering, 2), **values)
    status, body, full = poll(presenter, activity, n)
    assert status == 200 and full and 'id="live"' in body


@pytest.mark.parametrize("v", ["-1", "", "abc", "99999"])
def test_an_unknown_or_future_version_gets_the_whole_view(presenter, gathering, statements, v):
    statements.answer(make_participant(gathering, 1), text="Hei")
    status, _body, full = poll(presenter, statements, v)
    assert status == 200 and full


def test_a_screen_loaded_before_the_poller_existed_gets_the_whole_view(presenter, gathering, statements):
    statements.answer(make_participant(gathering, 1), text="Først")
    statements.refresh_from_db()
    n = statements.version
    statements.answer(make_participant(gathering, 2), text="Etterpå")
    reply = presenter.get(live_url(statements), {"v": n, "p": ""}, headers={"HX-Target": "live"})
    assert reply.status_code == 200 and reply["HX-Retarget"] == "#live" and "Først" in reply.content.decode()


def test_past_the_screens_room_the_view_is_redrawn(presenter, gathering, statements):
    person = make_participant(gathering, 1)
    Response.objects.bulk_create(
        Response(activity=statements, participant=person, table=1, text=f"{n}", single=False)
        for n in range(MAX_STATEMENTS)
    )
    statements.refresh_from_db()
    n = statements.version
    statements.answer(person, text="Én for mye")
    assert poll(presenter, statements, n)[2]


def test_news_costs_the_same_queries_however_many_are_new(presenter, gathering, statements):
    people = [make_participant(gathering, table) for table in range(1, 11)]
    statements.answer(people[0], text="Først")
    statements.refresh_from_db()
    n = statements.version
    for i in range(60):
        statements.answer(people[i % 10], text=f"Utsagn {i}")
    with CaptureQueriesContext(connection) as one:
        assert not poll(presenter, statements, n + 59)[2]
    with CaptureQueriesContext(connection) as sixty:
        assert not poll(presenter, statements, n)[2]
    with CaptureQueriesContext(connection) as whole:
        assert poll(presenter, statements, -1)[2]
    assert len(one) == len(sixty) <= len(whole) + 1, (len(one), len(sixty), len(whole))


def test_nothing_is_lost_or_shown_twice_between_polls(presenter, gathering, cast):
    """Answers, polls, a redraw (hidden, approved) and more answers, interleaved: the screen is the database."""
    activity = make_activity(gathering, Activity.Kind.STATEMENTS, moderated=True)
    people = [make_participant(gathering, table) for table in (5, 1, None, 9, 3)]
    screen = Screen()
    screen.follow(presenter, activity)
    answers = []
    for step in range(40):
        response = activity.answer(people[step % 5], text=f"Utsagn {step}")
        answers.append(response)
        if step % 3:
            response.approve(by=cast.coordinator)
        if step % 4 == 0:
            screen.follow(presenter, activity)
        if step == 17:
            answers[2].hide(by=cast.coordinator)
    screen.follow(presenter, activity)
    assert screen.tables == expected(activity)
    assert len(screen.statements()) == len(set(screen.statements()))
    assert screen.redraws > 1 and screen.news > 0


def _answer_in_threads(gathering, activity, threads: int, each: int) -> list[threading.Thread]:
    people = [make_participant(gathering, t % 7 + 1) for t in range(threads)]

    def answer(person) -> None:
        try:
            for n in range(each):
                with transaction.atomic():  # as the phone's view does
                    activity.answer(person, text=f"{person.pk}-{n}")
        finally:
            connection.close()

    workers = [threading.Thread(target=answer, args=(p,)) for p in people]
    for worker in workers:
        worker.start()
    return workers


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with their own connections need PostgreSQL")
def test_concurrent_answers_reach_the_screen_once_each(cast):
    """Four phones answer at once, each in its own transaction and connection, while the screen polls."""
    gathering = make_gathering(cast.round, network=cast.network)
    activity = make_activity(gathering, Activity.Kind.STATEMENTS)
    presenter = Client()
    presenter.force_login(cast.coordinator)
    screen = Screen()
    workers = _answer_in_threads(gathering, activity, threads=4, each=25)
    polls = 0
    while any(w.is_alive() for w in workers):
        polls += 1
        if polls % 4 == 0:  # a redraw now and then (the page reloaded): it must not show an answer twice either
            screen.version = -1
        screen.follow(presenter, activity)
    for worker in workers:
        worker.join()
    screen.follow(presenter, activity)
    assert Response.objects.filter(activity=activity).count() == 100
    assert screen.tables == expected(activity)
    assert sorted(screen.statements()) == sorted(set(screen.statements()))
    assert screen.news > 0


TRIGGER = re.compile(r'<div id="live-poll" [^>]*hx-trigger="([^"]+)"')


def test_after_news_the_screen_asks_again_soon_and_otherwise_every_poll_interval(presenter, gathering, statements):
    from lokalkomp.gatherings.presenter import POLL_MS, SOON_MS

    page = presenter.get(f"/samlinger/{gathering.pk}/presenter/").content.decode()
    assert TRIGGER.findall(page) == [f"every {POLL_MS}ms"]  # nothing new yet: the ordinary interval
    statements.refresh_from_db()
    n = statements.version
    statements.answer(make_participant(gathering, 4), text="Mer tid")
    status, body, full = poll(presenter, statements, n)
    assert status == 200 and not full
    # While answers arrive, each poll brings what came during the one before: the next comes SOON_MS after.
    assert TRIGGER.findall(body) == [f"load delay:{SOON_MS}ms, every {POLL_MS}ms"]
    status, body, full = poll(presenter, statements, -1)  # a full redraw asks again soon too
    assert status == 200 and full and TRIGGER.findall(body) == [f"load delay:{SOON_MS}ms, every {POLL_MS}ms"]
    assert poll(presenter, statements, n + 1)[0] == 204  # and a quiet screen keeps its poller as it is
