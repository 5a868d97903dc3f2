"""The gatherings' models: codes, answers, rounds, the timer, moderation, reset, constraints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lokalkomp.gatherings.models import (
    CODE_ALPHABET,
    Activity,
    Gathering,
    PublishFailed,
    Response,
    new_join_code,
    normalise_code,
)
from lokalkomp.testing import make_round

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db


def test_a_join_code_has_six_unambiguous_letters_and_digits():
    code = new_join_code()
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)
    assert normalise_code(" abc-def ") == "ABCDEF"


def test_publishing_draws_a_new_code_when_a_published_gathering_has_it():
    round = make_round()
    first = make_gathering(round)
    second = make_gathering(round, published=False, join_code=first.join_code)
    second.publish(by=None)
    second.refresh_from_db()
    assert second.status == "published" and second.join_code != first.join_code
    assert list(second.events.values_list("kind", flat=True)) == ["published"]


def test_two_published_gatherings_cannot_share_a_code():
    round = make_round()
    first = make_gathering(round)
    with pytest.raises(IntegrityError), transaction.atomic():
        Gathering.objects.create(
            office=round.office,
            round=round,
            title="X",
            date=dt.date(2026, 1, 1),
            join_code=first.join_code,
            status="published",
        )


def test_only_published_gatherings_are_found_by_code():
    round = make_round()
    draft = make_gathering(round, published=False)
    assert not Gathering.objects.with_code(draft.join_code).exists()
    draft.publish(by=None)
    assert Gathering.objects.with_code(draft.join_code.lower()).get() == draft


def test_opening_an_activity_closes_the_open_one_and_records_events():
    gathering = make_gathering(make_round())
    first = make_activity(gathering)
    second = make_activity(gathering, question="Ønsket tilstand")
    first.refresh_from_db()
    assert (first.state, second.state) == ("closed", "open")
    kinds = list(gathering.events.filter(activity=first).values_list("kind", flat=True))
    assert kinds == ["opened", "closed"]


def test_one_word_replaces_the_participants_answer_and_bumps_the_version():
    activity = make_activity(make_gathering(make_round()))
    person = make_participant(activity.gathering, table=12)
    version = Activity.objects.get(pk=activity.pk).version
    activity.answer(person, text="Magisk")
    activity.answer(person, text="Jippi")
    assert list(activity.responses.values_list("text", "table")) == [("Jippi", 12)]
    assert Activity.objects.get(pk=activity.pk).version == version + 2


def test_statements_are_many_per_participant():
    activity = make_activity(make_gathering(make_round()), Activity.Kind.STATEMENTS, question="3 utsagn pr bord")
    person = make_participant(activity.gathering, table=8)
    activity.answer(person, text="Samordne rekomp og dekomp på alle nivåer")
    activity.answer(person, text="Videreføre bistand inn i lærende prosesser")
    assert activity.responses.count() == 2


def test_a_second_round_position_is_a_new_response_beside_the_first():
    game = make_activity(
        make_gathering(make_round()), Activity.Kind.STATEMENT_GAME, question="Tiltakene er forankret lokalt"
    )
    person = make_participant(game.gathering, table=3)
    game.answer(person, position="agree", text="Vi har drøftet det i nettverket")
    game.start_round_two(by=None)
    game.answer(person, position="disagree", text="Enhetene var ikke med")
    rows = list(game.responses.order_by("round").values_list("round", "position"))
    assert rows == [(1, "agree"), (2, "disagree")]


def test_moderated_answers_wait_for_approval():
    activity = make_activity(make_gathering(make_round()), moderated=True)
    response = activity.answer(make_participant(activity.gathering), text="Toppers!")
    assert not Response.objects.shown().exists()
    response.approve(by=None)
    assert list(Response.objects.shown()) == [response]
    response.hide(by=None)
    assert not Response.objects.shown().exists()


def test_reset_deletes_the_responses_and_starts_again():
    game = make_activity(make_gathering(make_round()), Activity.Kind.STATEMENT_GAME)
    game.answer(make_participant(game.gathering), position="partly")
    game.start_round_two(by=None)
    game.reset(by=None)
    game.refresh_from_db()
    assert (game.responses.count(), game.round, game.state) == (0, 1, "waiting")


def test_the_igp_timer_runs_seven_then_fifteen_minutes_then_plenary():
    timer = make_activity(make_gathering(make_round()), Activity.Kind.IGP_TIMER, question="I – G – P")
    start = timezone.now()
    assert timer.timer_state(start) == ("", None)
    timer.start_timer(by=None, now=start)
    assert timer.timer_state(start + dt.timedelta(minutes=2)) == ("individual", 300)
    assert timer.timer_state(start + dt.timedelta(minutes=10)) == ("table", 720)
    assert timer.timer_state(start + dt.timedelta(minutes=23)) == ("plenary", None)
    timer.next_phase(by=None, now=start + dt.timedelta(minutes=1))
    assert timer.timer_state(start + dt.timedelta(minutes=2)) == ("table", 840)


@pytest.mark.parametrize(
    "values",
    [{"round": 3}, {"table": 1000}, {"value": 101}, {"choice": 20}, {"position": "maybe"}],
)
def test_the_database_refuses_out_of_range_responses(values):
    activity = make_activity(make_gathering(make_round()))
    person = make_participant(activity.gathering)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(activity=activity, participant=person, **values)


def test_one_answer_per_round_is_held_by_the_database():
    activity = make_activity(make_gathering(make_round()))
    person = make_participant(activity.gathering)
    Response.objects.create(activity=activity, participant=person, text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(activity=activity, participant=person, text="b")


def test_publishing_that_draws_only_taken_codes_fails_and_stays_a_draft(monkeypatch):
    round = make_round()
    first = make_gathering(round)
    second = make_gathering(round, published=False, join_code=first.join_code)
    monkeypatch.setattr("lokalkomp.gatherings.models.live.new_join_code", lambda: first.join_code)
    with pytest.raises(PublishFailed):
        second.publish(by=None)
    assert (second.status, second.join_code) == ("draft", first.join_code)
    second.refresh_from_db()
    assert second.status == "draft" and not second.events.exists()
