"""The presenter's view: who may open it, the live results, the poll endpoint and its cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalkomp.gatherings.models import Activity, Response
from lokalkomp.gatherings.results import MAX_STATEMENTS, per_table_cap, results_of
from lokalkomp.testing import make_network

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_gathering(cast):
    return make_gathering(cast.round, network=cast.network, title="Velkommen til samling! Region Indre Helgeland")


def presenter_url(gathering):
    return f"/samlinger/{gathering.pk}/presenter/"


def live_url(activity):
    return f"/samlinger/{activity.gathering_id}/presenter/{activity.pk}/live/"


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("governor", 200),
        ("coordinator", 200),  # the network's coordinator, for the network's gathering
        ("forum_member", 403),  # sees the office's gatherings, does not run them
        ("other_coordinator", 404),
        ("owner_contact", 404),
        ("outsider", 404),
        ("other_office_governor", 404),
    ],
)
def test_who_may_open_the_presenters_view(client, cast, network_gathering, person, status):
    client.force_login(getattr(cast, person))
    assert client.get(presenter_url(network_gathering)).status_code == status


def test_the_office_gathering_is_for_the_statsforvalter_not_a_coordinator(client, cast):
    gathering = make_gathering(cast.round)
    client.force_login(cast.coordinator)
    assert client.get(presenter_url(gathering)).status_code == 404
    client.force_login(cast.governor)
    assert client.get(presenter_url(gathering)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, network_gathering):
    response = client.get(presenter_url(network_gathering))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_presenter_pages_refuse_the_wrong_method(client, cast, network_gathering):
    activity = make_activity(network_gathering)
    client.force_login(cast.governor)
    assert client.post(presenter_url(network_gathering)).status_code == 405
    assert client.post(live_url(activity)).status_code == 405


def test_the_screen_shows_the_code_the_qr_code_and_the_word_cloud(client, cast, network_gathering):
    activity = make_activity(network_gathering)
    for n, word in enumerate(["Magisk", "magisk ", "Jippi", "God!"]):
        activity.answer(make_participant(network_gathering, table=n + 1), text=word)
    client.force_login(cast.governor)
    page = client.get(presenter_url(network_gathering)).content.decode()
    assert network_gathering.join_code in page and "<svg" in page
    assert ngettext("%(n)s response so far", "%(n)s responses so far", 4) % {"n": 4} in page
    assert '<li class="lk-w6">Magisk<span class="ds-sr-only"> (2)</span></li>' in page
    assert '<li class="lk-w1">Jippi</li>' in page


def test_statements_are_grouped_by_table(client, cast, network_gathering):
    activity = make_activity(network_gathering, Activity.Kind.STATEMENTS, question="3 utsagn pr bord")
    twelve, two = make_participant(network_gathering, 12), make_participant(network_gathering, 2)
    activity.answer(twelve, text="fokus på ledelse på alle nivå")
    activity.answer(two, text="regionsamarbeidet - gode etablerte rutiner")
    activity.answer(twelve, text="Mer etterutdanning")
    client.force_login(cast.governor)
    page = client.get(presenter_url(network_gathering)).content.decode()
    table_2, table_12 = page.index(_("Table %(n)s") % {"n": 2}), page.index(_("Table %(n)s") % {"n": 12})
    assert (
        table_2
        < page.index("regionsamarbeidet")
        < table_12
        < page.index("fokus på ledelse")
        < page.index("Mer etterutdanning")
    )


def test_the_statement_game_shows_who_moved_where(client, cast, network_gathering):
    game = make_activity(network_gathering, Activity.Kind.STATEMENT_GAME, question="Behovene er lokale")
    people = [make_participant(network_gathering, table=1) for _n in range(3)]
    for person in people:
        game.answer(person, position="agree")
    game.start_round_two(by=None)
    game.answer(people[0], position="disagree")
    game.answer(people[1], position="disagree")
    game.answer(people[2], position="agree")
    client.force_login(cast.governor)
    page = client.get(presenter_url(network_gathering)).content.decode()
    assert f"{_('Agree')} → {_('Disagree')}: <strong>2</strong>" in page
    assert f"{_('Agree')} → {_('Agree')}: <strong>1</strong>" in page
    assert _("Round %(n)s") % {"n": 2} in page


def test_choices_and_scale_are_bars(client, cast, network_gathering):
    scale = make_activity(network_gathering, Activity.Kind.SCALE, question="Hvor godt?", options={"min": 1, "max": 5})
    for value in (4, 4, 5, 2):
        scale.answer(make_participant(network_gathering), value=value)
    client.force_login(cast.governor)
    page = client.get(presenter_url(network_gathering) + f"?aktivitet={scale.pk}").content.decode()
    assert 'style="width: 50%"' in page and "2 (50 %)" in page and "3,8" in page


def test_hidden_and_unapproved_responses_are_not_on_the_screen(client, cast, network_gathering):
    activity = make_activity(network_gathering, Activity.Kind.STATEMENTS, moderated=True)
    waiting = activity.answer(make_participant(network_gathering, 4), text="Venter på godkjenning")
    approved = activity.answer(make_participant(network_gathering, 5), text="Godkjent utsagn")
    hidden = activity.answer(make_participant(network_gathering, 6), text="Skjult utsagn")
    client.force_login(cast.governor)
    for response, action in ((approved, "godkjenn"), (hidden, "godkjenn"), (hidden, "skjul")):
        assert client.post(f"/samlinger/{network_gathering.pk}/svar/{response.pk}/{action}/").status_code == 302
    page = client.get(presenter_url(network_gathering)).content.decode()
    assert "Godkjent utsagn" in page
    assert waiting.text not in page and "Skjult utsagn" not in page
    hidden.refresh_from_db()
    assert hidden.hidden and list(network_gathering.events.filter(kind="hidden").values_list("actor", flat=True)) == [
        cast.governor.pk
    ]


def test_a_forum_member_may_not_hide_a_response(client, cast, network_gathering):
    response = make_activity(network_gathering).answer(make_participant(network_gathering), text="Hei")
    client.force_login(cast.forum_member)
    assert client.post(f"/samlinger/{network_gathering.pk}/svar/{response.pk}/skjul/").status_code == 403
    client.force_login(cast.other_office_governor)
    assert client.post(f"/samlinger/{network_gathering.pk}/svar/{response.pk}/skjul/").status_code == 404
    response.refresh_from_db()
    assert not response.hidden


def test_the_poll_answers_204_until_the_version_changes(client, cast, network_gathering):
    activity = make_activity(network_gathering)
    activity.refresh_from_db()
    client.force_login(cast.governor)
    assert client.get(live_url(activity), {"v": activity.version}).status_code == 204
    activity.answer(make_participant(network_gathering), text="Behagelig")
    response = client.get(live_url(activity), {"v": activity.version - 1})
    body = response.content.decode()
    assert response.status_code == 200 and "Behagelig" in body and f"?v={activity.version}&amp;p=" in body


@pytest.mark.parametrize("v", ["", "abc", "99999999999999999999", "-1", "\x00"])
def test_an_odd_version_is_answered_with_the_results(client, cast, network_gathering, v):
    activity = make_activity(network_gathering)
    client.force_login(cast.governor)
    assert client.get(live_url(activity), {"v": v}).status_code == 200


def test_the_poll_of_another_gatherings_activity_is_404(client, cast, network_gathering):
    other = make_activity(make_gathering(cast.round))
    client.force_login(cast.governor)
    assert client.get(f"/samlinger/{network_gathering.pk}/presenter/{other.pk}/live/").status_code == 404


def _poll_queries(client, activity, v):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(live_url(activity), {"v": v})
    assert response.status_code in (200, 204)
    return len(queries)


@pytest.mark.parametrize(
    "kind", [Activity.Kind.ONE_WORD, Activity.Kind.STATEMENTS, Activity.Kind.STATEMENT_GAME, Activity.Kind.SCALE]
)
def test_the_poll_costs_a_few_queries_whatever_the_number_of_responses(client, cast, network_gathering, kind):
    activity = make_activity(network_gathering, kind, moderated=True, options={"min": 1, "max": 5})
    client.force_login(cast.coordinator)  # the longest way through the rules: not a governor
    values = {"text": "Ord", "position": "agree", "value": 3}
    activity.answer(make_participant(network_gathering, 1), **values).approve(by=None)
    few = _poll_queries(client, activity, -1)
    for n in range(40):
        activity.answer(make_participant(network_gathering, n % 9 + 1), **values).approve(by=None)
    if kind == Activity.Kind.STATEMENT_GAME:
        activity.start_round_two(by=None)
        for person in network_gathering.participants.all()[:20]:
            activity.answer(person, position="disagree").approve(by=None)
    many = _poll_queries(client, activity, -1)
    activity.refresh_from_db()
    unchanged = _poll_queries(client, activity, activity.version)
    assert many == few <= 15, (few, many)
    assert unchanged <= 6


def test_a_network_coordinator_of_another_network_gets_404_on_the_poll(client, cast, network_gathering):
    activity = make_activity(network_gathering)
    make_network(cast.office, coordinator=cast.outsider)  # coordinates a network, not this one
    client.force_login(cast.outsider)
    assert client.get(live_url(activity), {"v": 0}).status_code == 404


def _statements_at_tables(gathering, activity, tables):
    """`tables` maps a table (None: no table) to how many statements it has; one participant per table."""
    rows = []
    for table, count in tables.items():
        person = make_participant(gathering, table)
        rows += [
            Response(activity=activity, participant=person, table=table, text=f"{table}-{n}", single=False)
            for n in range(count)
        ]
    Response.objects.bulk_create(rows)


def test_over_the_limit_every_table_keeps_its_newest_statements(client, cast, network_gathering):
    activity = make_activity(network_gathering, Activity.Kind.STATEMENTS, question="Utsagn pr bord")
    _statements_at_tables(network_gathering, activity, {1: 400, 7: 2, 12: 5, 40: 300, None: 3})
    results = results_of(activity)
    assert results.total == 710
    assert [t.number for t in results.tables] == [1, 7, 12, 40, None]  # no table: last, on every database
    shown = {t.number: [s["text"] for s in t.items] for t in results.tables}
    assert sum(len(items) for items in shown.values()) <= MAX_STATEMENTS
    assert shown[7] == ["7-0", "7-1"] and shown[None] == ["None-0", "None-1", "None-2"]
    cap = len(shown[1])
    assert cap == len(shown[40]) > 100
    assert shown[1] == [f"1-{n}" for n in range(400 - cap, 400)]  # the newest, oldest first
    assert {t.number: t.more for t in results.tables} == {1: 400 - cap, 7: 0, 12: 0, 40: 300 - cap, None: 0}
    client.force_login(cast.governor)
    page = client.get(presenter_url(network_gathering)).content.decode()
    assert page.index(_("Table %(n)s") % {"n": 40}) < page.index(_("No table")) < page.index("None-0")
    assert _("+%(n)s more") % {"n": 400 - cap} in page


def test_the_statements_poll_costs_the_same_over_the_limit(client, cast, network_gathering):
    activity = make_activity(network_gathering, Activity.Kind.STATEMENTS)
    client.force_login(cast.coordinator)
    _statements_at_tables(network_gathering, activity, {3: 2})
    few = _poll_queries(client, activity, -1)
    _statements_at_tables(network_gathering, activity, {n: 40 for n in range(1, 12)} | {None: 40})
    assert _poll_queries(client, activity, -1) == few


@pytest.mark.parametrize(
    ("counts", "budget", "cap"),
    [([], 300, 0), ([5, 2], 300, 5), ([400, 2, 5, 300, 3], 300, 145), ([1] * 500, 300, 1), ([10, 10, 10], 29, 9)],
)
def test_the_cap_per_table_shares_the_room(counts, budget, cap):
    assert per_table_cap(counts, budget) == cap
