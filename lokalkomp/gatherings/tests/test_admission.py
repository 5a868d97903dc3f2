"""A gathering admits at most its size, and a limited number of new phones a minute (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lokalkomp.gatherings import participate
from lokalkomp.gatherings.models import Activity, Gathering, Participant, Response

from .helpers import make_activity, make_gathering

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_word(cast: Any) -> Activity:
    return make_activity(make_gathering(cast.round), Activity.Kind.ONE_WORD, question="Stemningen?")


def _answer(activity: Activity, text: str) -> Any:
    gathering = activity.gathering
    return Client().post(f"/delta/{gathering.join_code}/svar/{activity.pk}/", {"text": text})


def test_a_script_that_drops_its_cookie_cannot_make_more_participants_than_the_gathering_holds(
    open_word: Activity,
) -> None:
    Gathering.objects.filter(pk=open_word.gathering_id).update(participant_limit=3)
    statuses = [_answer(open_word, f"ord{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Participant.objects.filter(gathering=open_word.gathering).count() == 3
    assert Response.objects.filter(activity=open_word).count() == 3
    refused = _answer(open_word, "fire")
    assert "Samlingen er full" in refused.content.decode()


def test_a_phone_already_in_the_gathering_answers_when_it_is_full(open_word: Activity) -> None:
    Gathering.objects.filter(pk=open_word.gathering_id).update(participant_limit=1)
    phone = Client()
    url = f"/delta/{open_word.gathering.join_code}/svar/{open_word.pk}/"
    assert phone.post(url, {"text": "glad"}).status_code == 200
    assert _answer(open_word, "trøtt").status_code == 429
    assert phone.post(url, {"text": "spent"}).status_code == 200  # the same phone replaces its word
    assert list(Response.objects.filter(activity=open_word).values_list("text", flat=True)) == ["spent"]


def test_at_most_new_per_minute_phones_join_in_a_minute_and_more_the_next(
    open_word: Activity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(participate, "NEW_PER_MINUTE", 2)
    assert [_answer(open_word, f"ord{n}").status_code for n in range(3)] == [200, 200, 429]
    assert "Mange blir med akkurat nå" in _answer(open_word, "igjen").content.decode()
    Gathering.objects.filter(pk=open_word.gathering_id).update(
        admit_window_at=timezone.now() - dt.timedelta(seconds=61)
    )
    assert _answer(open_word, "neste minutt").status_code == 200
    assert Gathering.objects.get(pk=open_word.gathering_id).admitted == 3


def test_choosing_a_table_counts_as_joining(open_word: Activity) -> None:
    Gathering.objects.filter(pk=open_word.gathering_id).update(participant_limit=1)
    code = open_word.gathering.join_code
    assert Client().post(f"/delta/{code}/bord/", {"table": "4"}).status_code == 302
    refused = Client().post(f"/delta/{code}/bord/", {"table": "5"})
    assert refused.status_code == 429
    assert list(Participant.objects.filter(gathering=open_word.gathering).values_list("table", flat=True)) == [4]


def test_the_size_is_a_model_field_with_bounds_the_form_states(cast: Any) -> None:
    from django.core.exceptions import ValidationError

    gathering = make_gathering(cast.round)
    assert gathering.participant_limit == 1000
    for wrong in (0, 10_001):
        gathering.participant_limit = wrong
        with pytest.raises(ValidationError) as refused:
            gathering.full_clean()
        assert "participant_limit" in refused.value.message_dict
