"""Participants join by code on their phone, without an account, pick a table and answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.gatherings.models import Activity, Participant, Response
from lokalkomp.gatherings.participate import COOKIE
from lokalkomp.testing import make_round

from .helpers import answer, make_activity, make_gathering, make_participant, phone_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering():
    return make_gathering(make_round())


def test_the_code_leads_to_the_gathering(client, gathering):
    response = client.get("/delta/", {"kode": gathering.join_code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/delta/{gathering.join_code}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and gathering.title in page.content.decode()
    assert not Participant.objects.exists()  # looking creates nobody


def test_an_unknown_code_gives_a_message(client, gathering):
    response = client.get("/delta/", {"kode": "QQQQQQ"})
    assert response.status_code == 422
    assert _("No gathering has that code. Check the code on the screen.") in response.content.decode()
    assert client.get("/delta/QQQQQQ/").status_code == 404


def test_a_draft_gathering_cannot_be_joined(client):
    draft = make_gathering(make_round(), published=False)
    assert client.get(f"/delta/{draft.join_code}/").status_code == 404


def test_picking_a_table_keeps_the_participant_in_a_signed_cookie(gathering):
    phone = phone_client(gathering, table=12)
    participant = Participant.objects.get()
    assert participant.table == 12
    assert phone.cookies[COOKIE].value != participant.token  # signed, not the bare token
    assert "Bord 12" in phone.get(f"/delta/{gathering.join_code}/").content.decode()


def test_answering_the_open_activity(gathering):
    activity = make_activity(gathering)
    phone = phone_client(gathering, table=7)
    page = phone.get(f"/delta/{gathering.join_code}/").content.decode()
    assert activity.question in page
    response = answer(phone, activity, text="Magisk")
    assert response.status_code == 200
    assert _("Thank you! Your answer is sent.") in response.content.decode()
    assert list(Response.objects.values_list("text", "table", "round")) == [("Magisk", 7, 1)]


def test_a_phone_without_a_table_may_answer_too(client, gathering):
    activity = make_activity(gathering)
    assert answer(client, activity, text="Juhuu").status_code == 200
    assert Response.objects.get().table is None and Participant.objects.count() == 1


def test_with_htmx_the_answer_returns_only_the_stage(gathering):
    activity = make_activity(gathering)
    phone = phone_client(gathering)
    response = phone.post(
        f"/delta/{gathering.join_code}/svar/{activity.pk}/", {"text": "Jippi"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="stage"') and "<html" not in body


def test_the_statement_game_second_round_stores_a_new_position(gathering):
    game = make_activity(gathering, Activity.Kind.STATEMENT_GAME, question="Tiltakene er forankret i lokale behov")
    phone = phone_client(gathering, table=3)
    assert answer(phone, game, position="agree", text="Vi har drøftet det").status_code == 200
    game.start_round_two(by=None)
    page = phone.get(f"/delta/{gathering.join_code}/").content.decode()
    assert _("Round 2: you may change your position.") in page
    assert _("In round 1 you said: %(p)s.") % {"p": _("Agree")} in page
    assert answer(phone, game, position="disagree", text="Enhetene var ikke med").status_code == 200
    assert list(game.responses.order_by("round").values_list("round", "position", "text")) == [
        (1, "agree", "Vi har drøftet det"),
        (2, "disagree", "Enhetene var ikke med"),
    ]


def test_a_closed_activity_takes_no_answers(gathering):
    activity = make_activity(gathering)
    activity.close(by=None)
    response = answer(phone_client(gathering), activity, text="Sent")
    assert response.status_code == 409 and not Response.objects.exists()


def test_the_timer_takes_no_answers(gathering):
    timer = make_activity(gathering, Activity.Kind.IGP_TIMER, question="I – G – P")
    timer.start_timer(by=None)
    phone = phone_client(gathering)
    page = phone.get(f"/delta/{gathering.join_code}/").content.decode()
    assert _("Individually: note on your own") in page and 'data-countdown="4' in page  # 419 or 420 seconds left
    assert answer(phone, timer, text="x").status_code == 409


@pytest.mark.parametrize(
    "data",
    [
        {"text": "Nul\x00byte"},
        {"text": "x" * 61},  # one word: at most 60 characters
        {},
    ],
)
def test_bad_words_give_a_message_and_nothing_is_stored(gathering, data):
    activity = make_activity(gathering)
    response = answer(phone_client(gathering), activity, **data)
    assert response.status_code == 422
    assert 'class="ds-validation-message"' in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Activity.Kind.SCALE, {"value": "99999999999999999999"}),
        (Activity.Kind.SCALE, {"value": "-1"}),
        (Activity.Kind.MULTIPLE_CHOICE, {"choice": "7"}),
        (Activity.Kind.MULTIPLE_CHOICE, {"choice": "x\x00"}),
        (Activity.Kind.STATEMENT_GAME, {"position": "agree", "text": "y" * 1001}),
        (Activity.Kind.STATEMENT_GAME, {"position": "maybe"}),
        (Activity.Kind.STATEMENTS, {"text": "z" * 5000}),
    ],
)
def test_bad_answers_of_every_kind_give_a_message(gathering, kind, data):
    options = {"choices": ["Ja", "Nei"]} if kind == Activity.Kind.MULTIPLE_CHOICE else {"min": 1, "max": 5}
    activity = make_activity(gathering, kind, options=options)
    response = answer(phone_client(gathering), activity, **data)
    assert response.status_code == 422 and not Response.objects.exists()


@pytest.mark.parametrize("table", ["0", "1000", "99999999999999999999", "12\x00", "tolv"])
def test_a_bad_table_number_gives_a_message(client, gathering, table):
    response = client.post(f"/delta/{gathering.join_code}/bord/", {"table": table})
    assert response.status_code == 422 and 'class="ds-validation-message"' in response.content.decode()
    assert not Participant.objects.exists()


@pytest.mark.parametrize("code", ["\x00", "A" * 5000, "ÆØÅ", "%00"])
def test_odd_codes_give_a_message(client, gathering, code):
    assert client.get("/delta/", {"kode": code}).status_code == 422
    assert client.get(f"/delta/{code[:100]}/").status_code in (404,)


def test_a_forged_cookie_is_a_new_participant(gathering):
    activity = make_activity(gathering)
    phone = Client()
    phone.cookies[COOKIE] = "forged-token"
    assert answer(phone, activity, text="Hei").status_code == 200
    assert Participant.objects.get().token != "forged-token"


def test_answers_are_throttled_per_participant(gathering):
    activity = make_activity(gathering, Activity.Kind.STATEMENTS)
    phone = phone_client(gathering, table=1)
    statuses = [answer(phone, activity, text=f"Utsagn {n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert activity.responses.count() == 3


def test_the_phone_poll_answers_204_while_the_stage_is_unchanged(client, gathering):
    activity = make_activity(gathering)
    live = f"/delta/{gathering.join_code}/live/"
    assert client.get(live, {"s": activity.stage()}).status_code == 204
    activity.close(by=None)
    response = client.get(live, {"s": "stale"})
    assert response.status_code == 200
    assert _("Waiting for the presenter to open an activity.") in response.content.decode()


def test_the_participants_pages_refuse_the_wrong_method(client, gathering):
    activity = make_activity(gathering)
    code = gathering.join_code
    assert client.post("/delta/").status_code == 405
    assert client.post(f"/delta/{code}/").status_code == 405
    assert client.post(f"/delta/{code}/live/").status_code == 405
    assert client.get(f"/delta/{code}/bord/").status_code == 405
    assert client.get(f"/delta/{code}/svar/{activity.pk}/").status_code == 405


def test_the_phone_poll_is_two_queries_and_never_cached(client, gathering, django_assert_max_num_queries):
    activity = make_activity(gathering)
    with django_assert_max_num_queries(2):
        response = client.get(f"/delta/{gathering.join_code}/live/", {"s": activity.stage()})
    assert response.status_code == 204 and "no-store" in response["Cache-Control"]


def test_an_unchanged_phone_poll_reads_no_table_within_a_second(client, gathering, django_assert_num_queries):
    activity = make_activity(gathering)
    live = f"/delta/{gathering.join_code}/live/"
    assert client.get(live, {"s": activity.stage()}).status_code == 204
    with django_assert_num_queries(0):  # 300 phones ask this 100 times a second
        assert client.get(live, {"s": activity.stage()}).status_code == 204
    assert client.get("/delta/QQQQQQ/live/", {"s": "none"}).status_code == 404
    with django_assert_num_queries(0):  # an unknown code is remembered as unknown too
        assert client.get("/delta/QQQQQQ/live/", {"s": "none"}).status_code == 404


@pytest.mark.parametrize(
    "change",
    ["close", "start_round_two", "start_timer", "reset", "open_another", "unpublish"],
)
def test_a_change_of_stage_reaches_the_phones_next_poll_at_once(client, gathering, change):
    activity = make_activity(gathering, Activity.Kind.STATEMENT_GAME)
    live = f"/delta/{gathering.join_code}/live/"
    shown = activity.stage()
    assert client.get(live, {"s": shown}).status_code == 204  # now in the cache
    if change == "open_another":
        make_activity(gathering, Activity.Kind.SCALE, open=False).open(by=None)
    elif change == "unpublish":
        gathering.unpublish(by=None)
    else:
        getattr(Activity.objects.get(pk=activity.pk), change)(by=None)  # a fresh instance, as a view has
    reply = client.get(live, {"s": shown})
    assert reply.status_code == (404 if change == "unpublish" else 200)
    if change != "unpublish":
        assert 'id="stage"' in reply.content.decode()


def test_republishing_forgets_that_the_code_was_unknown(client):
    draft = make_gathering(make_round(), published=False)
    make_activity(draft)
    live = f"/delta/{draft.join_code}/live/"
    assert client.get(live, {"s": "none"}).status_code == 404
    draft.publish(by=None)
    assert client.get(live, {"s": "none"}).status_code == 200


def test_an_answer_does_not_read_the_open_activity_twice(gathering, django_assert_num_queries):
    activity = make_activity(gathering, Activity.Kind.STATEMENTS)
    phone = phone_client(gathering, table=3)
    answer(phone, activity, text="Først")
    # the gathering, the activity, the participant; the throttle; the version raised and read, the response;
    # and the test's savepoints (the view's transactions). The reply's stage is the activity just read.
    with django_assert_num_queries(11):
        assert answer(phone, activity, text="Magisk").status_code == 200


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Activity.Kind.ONE_WORD, {"text": "Magisk"}),
        (Activity.Kind.STATEMENT_GAME, {"position": "agree"}),
        (Activity.Kind.MULTIPLE_CHOICE, {"choice": "1"}),
        (Activity.Kind.SCALE, {"value": "4"}),
    ],
)
def test_a_replacing_answer_is_throttled_too(gathering, kind, data):
    activity = make_activity(gathering, kind, options={"choices": ["Ja", "Nei"], "min": 1, "max": 5})
    phone = phone_client(gathering, table=1)
    before = Activity.objects.get().version
    statuses = [answer(phone, activity, **data).status_code for _n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Activity.objects.get().version == before + 3 and activity.responses.count() == 1


def test_the_throttle_window_passes():
    participant = make_participant(make_gathering(make_round()))
    second, start = dt.timedelta(seconds=1), timezone.now()
    assert [participant.count_answer(limit=3, window=second, now=start) for _n in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    later = start + dt.timedelta(milliseconds=1001)
    assert participant.count_answer(limit=3, window=second, now=later)
    participant.refresh_from_db()
    assert (participant.window_started_at, participant.answers_in_window) == (later, 1)


def test_an_answer_to_a_closed_activity_creates_no_participant(client, gathering):
    activity = make_activity(gathering)
    activity.close(by=None)
    response = answer(client, activity, text="Sent")
    assert response.status_code == 409 and not Participant.objects.exists()
    assert COOKIE not in response.cookies


def test_a_bad_answer_creates_no_participant_and_a_good_one_does(client, gathering):
    activity = make_activity(gathering)
    assert answer(client, activity, text="x" * 61).status_code == 422
    assert not Participant.objects.exists()
    assert answer(client, activity, text="Magisk").status_code == 200
    assert Participant.objects.get().responses.get().text == "Magisk"
