"""The results as PDF: what the room saw and what the groups wrote, for the organisers only."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalkomp.gatherings.models import Activity, GroupTask, TaskGroup

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)


def test_the_pdf_has_the_results_and_the_groups_answers(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    words = make_activity(gathering)
    for text in ("Magisk", "magisk", "Spent"):
        words.answer(make_participant(gathering, table=1), text=text)
    words.answer(make_participant(gathering), text="Skjultord").hide(by=None)
    statements = make_activity(gathering, Activity.Kind.STATEMENTS, question="Tre utsagn per bord")
    statements.answer(make_participant(gathering, table=12), text="Vi trenger tid til samarbeid")
    task = GroupTask.from_template(gathering, "county")
    TaskGroup.objects.create(task=task, name="Bord 3").write({"cooperation": "Faste nettverksmøter"}, seen_revision=0)
    client.force_login(cast.coordinator)
    response = client.get(f"/samlinger/{gathering.pk}/resultater.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in ("Magisk (2)", "Spent", "Vi trenger tid til samarbeid", "Bord 3", "Faste nettverksmøter"):
        assert expected in text, expected
    assert "Skjultord" not in text


def test_the_pdf_reads_a_fixed_number_of_queries(client, cast):
    gathering = make_gathering(cast.round)
    task = GroupTask.from_template(gathering, "municipal")
    for n in range(8):
        TaskGroup.objects.create(task=task, name=f"Kommune {n}").write({"goals": "Mål"}, seen_revision=0)
    client.force_login(cast.governor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/samlinger/{gathering.pk}/resultater.pdf").status_code == 200
    assert len(queries) <= 16


def test_only_the_organisers_get_the_pdf(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    for person, status in (("forum_member", 403), ("other_coordinator", 404), ("outsider", 404)):
        client.force_login(getattr(cast, person))
        assert client.get(f"/samlinger/{gathering.pk}/resultater.pdf").status_code == status, person
    assert client.post(f"/samlinger/{gathering.pk}/resultater.pdf").status_code == 405
