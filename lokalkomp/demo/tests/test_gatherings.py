"""The demo's gatherings reproduce seeds 001 and 004: the same words, the same statements at the same tables."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import time_machine
from django.utils import translation

from lokalkomp.accounts.models import User
from lokalkomp.demo.build import build
from lokalkomp.demo.gatherings import DATA, build_gatherings
from lokalkomp.gatherings.models import Activity, AgendaItem, Gathering, GatheringEvent, Participant, Response
from lokalkomp.gatherings.results import results_of
from lokalkomp.testing import sign_in_with_two_factor

# Counted by hand in seed 001 (the Mentimeter pages): «12 responses so far», and the cards of
# «3 utsagn pr bord», by the «Bord N» each begins with (None: a card without a table).
SEED_WORDS = [
    "Upåklagelig",
    "Juhuu",
    "Jippi",
    "Magisk",
    "God!",
    "Offensivt",
    "Behagelig",
    "God jul!",
    "Tillitsfulle?",
    "Kreativ",
    "Toppers!",
    "Stor grad av trivsel",
]
SEED_STATEMENTS_PER_TABLE = {1: 3, 2: 3, 3: 1, 4: 2, 5: 1, 6: 3, 7: 3, 8: 3, 10: 1, 11: 3, 12: 3, None: 5}
INNLANDET = "Ledersamling for skoleeier og barnehagemyndighet i Innlandet"


@pytest.fixture
def demo(db):
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=False):
        build()
        build_gatherings()
        yield


def _activity(title: str, kind: str) -> Activity:
    return Activity.objects.get(gathering__title=title, kind=kind)


def test_the_innlandet_gathering_is_seed_001s(demo):
    gathering = Gathering.objects.select_related("office", "round").get(title=INNLANDET)
    assert (gathering.office.slug, gathering.round.year, str(gathering.date)) == ("innlandet", 2020, "2020-02-03")
    assert gathering.status == Gathering.Status.PUBLISHED


def test_the_word_cloud_has_the_seeds_twelve_words_in_its_order(demo):
    words = _activity(INNLANDET, Activity.Kind.ONE_WORD)
    assert list(words.responses.order_by("created", "pk").values_list("text", flat=True)) == SEED_WORDS
    results = results_of(words)
    assert results.total == 12  # «12 responses so far»
    assert sorted(w["text"] for w in results.words) == sorted(SEED_WORDS)


def test_the_statements_sit_at_the_tables_the_seed_names(demo):
    statements = _activity(INNLANDET, Activity.Kind.STATEMENTS)
    tables = Counter(statements.responses.values_list("table", flat=True))
    assert dict(tables) == SEED_STATEMENTS_PER_TABLE
    assert statements.responses.count() == 31
    results = results_of(statements)
    assert {t.number: len(t.items) for t in results.tables} == SEED_STATEMENTS_PER_TABLE
    assert all(t.more == 0 for t in results.tables)  # 31 statements: every one on the screen
    table_8 = [s["text"] for s in next(t for t in results.tables if t.number == 8).items]
    assert table_8 == [
        "3. Bruke en arbeidsform som bygger en felles kultur for læring. Lokal handlefrihet i forhold til bruk av midler",
        "1. Samordne rekomp og dekom på alle nivåer",
        "2. Videreføre bistand inn i lærende prosesser med oppdatert kunnskap og forskning",
    ]
    # a table's phone sent its statements: the participant's table is the statement's
    assert all(r.table == r.participant.table for r in statements.responses.select_related("participant"))


def test_the_indre_helgeland_gathering_has_its_agenda_a_statement_game_and_the_igp_timer(demo):
    gathering = Gathering.objects.select_related("network", "round__office").get(date="2023-10-05")
    assert (gathering.network.slug, gathering.round.office.slug, gathering.round.year) == (
        "indre-helgeland",
        "nordland",
        2024,
    )
    assert gathering.agenda.count() == 8
    assert "Påstandsspillet" in list(gathering.agenda.values_list("what", flat=True))
    kinds = list(gathering.activities.values_list("kind", "state"))
    assert kinds == [(Activity.Kind.STATEMENT_GAME, "open"), (Activity.Kind.IGP_TIMER, "waiting")]


def test_the_networks_coordinator_may_present_it(client, demo):
    client.force_login(User.objects.get(email="koordinator-ih@lokalkomp.test"))
    gathering = Gathering.objects.get(date="2023-10-05")
    response = client.get(f"/samlinger/{gathering.pk}/presenter/")
    assert response.status_code == 200
    assert gathering.join_code in response.content.decode()


def test_the_projector_shows_the_seeds_statements_by_table(client, demo):
    sign_in_with_two_factor(client, User.objects.get(email="admin@lokalkomp.test"))  # Innlandet has no demo staff
    statements = _activity(INNLANDET, Activity.Kind.STATEMENTS)
    response = client.get(f"/samlinger/{statements.gathering_id}/presenter/?aktivitet={statements.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="lk-card lk-table-card"') == len(SEED_STATEMENTS_PER_TABLE)
    with translation.override("nb"):  # the page's language; read through gettext, compiled or not
        count = translation.ngettext("%(n)s response so far", "%(n)s responses so far", 31) % {"n": 31}
    assert count in body


def test_loading_twice_gives_the_same_data(demo):
    def snapshot() -> dict[str, object]:
        return {
            "gatherings": list(Gathering.objects.order_by("pk").values_list("pk", "title", "status", "join_code")),
            "agenda": list(AgendaItem.objects.order_by("pk").values_list("pk", "gathering", "position", "what")),
            "activities": list(Activity.objects.order_by("pk").values_list("pk", "kind", "state", "round")),
            "participants": sorted(Participant.objects.values_list("token", "table")),
            "responses": sorted(
                Response.objects.values_list("activity__question", "participant__token", "table", "text", "created")
            ),
            "events": GatheringEvent.objects.count(),
        }

    before = snapshot()
    with time_machine.travel("2026-11-23 10:00 +01:00", tick=False):
        build()
        build_gatherings()
    assert snapshot() == before


def test_a_demo_answer_is_gone_when_the_demo_is_loaded_again(demo):
    game = _activity("Velkommen til samling! Region Indre Helgeland", Activity.Kind.STATEMENT_GAME)
    game.answer(Participant.objects.create(gathering=game.gathering, table=3), position="agree", text="Ja")
    build_gatherings()
    assert game.responses.count() == 0
    assert not Participant.objects.filter(gathering=game.gathering).exists()


def test_the_data_file_names_no_person():
    text = DATA.read_text(encoding="utf-8")
    assert "@" not in text
    assert not re.search(r"\d{3} ?\d{2} ?\d{3}", text)  # no phone number
