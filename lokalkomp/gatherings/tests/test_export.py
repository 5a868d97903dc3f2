"""The results as Excel: what the room saw, for the organisers only."""

from __future__ import annotations

import io

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lokalkomp.gatherings.models import Activity

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db


def sheets(response):
    book = load_workbook(io.BytesIO(response.content))
    return {ws.title: [[c for c in r] for r in ws.iter_rows(values_only=True)] for ws in book}


def test_the_workbook_has_an_overview_and_a_sheet_per_activity(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    words = make_activity(gathering)
    for text in ("Magisk", "magisk", "=SUM(A1:A9)", "Kreativ\x01"):
        words.answer(make_participant(gathering, table=1), text=text)
    hidden = words.answer(make_participant(gathering, table=2), text="Skjult ord")
    hidden.hide(by=None)
    game = make_activity(gathering, Activity.Kind.STATEMENT_GAME, question="Behovene er lokale")
    person = make_participant(gathering, table=4)
    game.answer(person, position="agree", text="Vi har drøftet det")
    game.start_round_two(by=None)
    game.answer(person, position="partly")
    client.force_login(cast.coordinator)
    response = client.get(f"/samlinger/{gathering.pk}/resultater.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    book = sheets(response)
    overview, cloud, statements = book.values()
    assert overview[0][0] == gathering.title
    assert [words.question, 4] == overview[6][1:4:2] and overview[7][3] == 1  # 4 words shown; round 2 has 1
    flat = [c for r in cloud for c in r if c is not None]
    assert "=SUM(A1:A9)" in flat and "Kreativ" in flat and "Skjult ord" not in flat
    assert ["magisk", 2] in [r[:2] for r in cloud] or ["Magisk", 2] in [r[:2] for r in cloud]
    assert [f"{_('Agree')} → {_('Partly agree')}", 1] in [r[:2] for r in statements]


def test_the_workbook_has_a_sheet_per_group_task(client, cast):
    from lokalkomp.gatherings.models import GroupTask, TaskGroup

    gathering = make_gathering(cast.round)
    task = GroupTask.from_template(gathering, "county")
    TaskGroup.objects.create(task=task, name="Bord 3", table=3).write({"cooperation": "Faste møter"}, seen_revision=0)
    client.force_login(cast.governor)
    book = sheets(client.get(f"/samlinger/{gathering.pk}/resultater.xlsx"))
    (sheet,) = [rows for title, rows in book.items() if "Gruppearbeid" in title]
    assert ["Bord 3", 3, "Hvordan skal vi samarbeide i vårt fylke?", "Faste møter"] in [list(r[:4]) for r in sheet]
    assert len([r for r in sheet if r[0] == "Bord 3"]) == 6  # one row per question


def test_only_the_organisers_export(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    for person, status in (("forum_member", 403), ("other_coordinator", 404), ("outsider", 404), ("governor", 200)):
        client.force_login(getattr(cast, person))
        assert client.get(f"/samlinger/{gathering.pk}/resultater.xlsx").status_code == status, person
    assert client.post(f"/samlinger/{gathering.pk}/resultater.xlsx").status_code == 405
