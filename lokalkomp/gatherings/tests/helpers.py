"""Small builders for the gatherings' tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from lokalkomp.gatherings.models import Activity, Gathering, Participant


def make_gathering(round: Any, *, network: Any = None, published: bool = True, **values: Any) -> Gathering:
    values.setdefault("title", "Ledersamling for skoleeier og barnehagemyndighet i Innlandet")
    values.setdefault("date", dt.date(2020, 2, 3))
    gathering = Gathering.objects.create(office=round.office, round=round, network=network, **values)
    if published:
        gathering.publish(by=None)
    return gathering


def make_activity(
    gathering: Gathering, kind: str = Activity.Kind.ONE_WORD, *, open: bool = True, **values: Any
) -> Activity:
    values.setdefault("question", "Hvordan er stemningen ved bordet? Beskriv med ett ord.")
    activity = Activity.objects.create(gathering=gathering, kind=kind, **values)
    if open:
        activity.open(by=None)
    return activity


def make_participant(gathering: Gathering, table: int | None = None, name: str = "") -> Participant:
    return Participant.objects.create(gathering=gathering, table=table, name=name)


def phone_client(gathering: Gathering, table: int | None = None) -> Client:
    """A phone that has joined the gathering and picked its table."""
    client = Client()
    data = {"table": table} if table else {}
    response = client.post(f"/delta/{gathering.join_code}/bord/", data)
    assert response.status_code == 302, response.content
    return client


def answer(client: Client, activity: Activity, **data: Any) -> Any:
    return client.post(f"/delta/{activity.gathering.join_code}/svar/{activity.pk}/", data)
