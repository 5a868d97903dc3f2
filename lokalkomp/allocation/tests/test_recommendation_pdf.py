"""A recommendation version as PDF: the list per scheme and network, the totals against the frames, the
justifications and the meeting record, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from lokalkomp.testing import make_user

from .overview_helpers import in_english
from .steps_helpers import make_step_round, set_amounts, set_frame, take, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def final(cast):
    r = make_step_round(cast)
    take(r, "preliminary")
    set_amounts(r.recommendation, r.a, 150_000, 100_000, reason="Kortere varighet enn søkt")
    take(
        r,
        "final",
        present=[str(r.member_seat.pk), str(r.deputy_seat.pk), str(r.secretariat_seat.pk)],
        decided_how="vote",
        votes_for="2",
        votes_against="0",
        note="Endelig innstilling vedtatt 18. mars.",
    )
    return r


def pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")  # poppler-utils
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the PDF"
    done = subprocess.run([pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603
    return re.sub(r"[ \xa0]+", " ", done.stdout.decode())


def test_the_final_pdf_holds_the_list_totals_justifications_and_meeting(client, final):
    client.force_login(final.cast.forum_member)
    response = client.get(url("recommendation_pdf", final.round, 2))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="endelig-innstilling-2024-' in response["Content-Disposition"]
    assert "-v2.pdf" in response["Content-Disposition"]
    content = pdf_text(response.content)
    for expected in (
        "Final recommendation",
        "2024",
        final.cast.network.name,
        "Lesing",
        "Skriving",
        "kr 250 000",  # Lesing as recommended
        "kr 370 000",  # the scheme's total
        "kr 1 000 000",  # its frame
        "kr 630 000",  # what remains
        "Kortere varighet enn søkt",
        "13.03.2024",
        "By vote: 2 for, 0 against, 0 blank",
        "KS – Mona Medlem (Member)",
        "Utdanningsforbundet – Vidar Vara (Deputy)",
        "Sara Sekretær (Secretariat, no vote)",
        "Endelig innstilling vedtatt 18. mars.",
    ):
        assert expected in content, expected


def test_the_preliminary_pdf_prints_what_the_preliminary_meeting_recommended(client, final):
    client.force_login(final.secretary)
    response = client.get(url("recommendation_pdf", final.round, 1))
    assert 'filename="forelopig-innstilling-2024-' in response["Content-Disposition"]
    content = pdf_text(response.content)
    assert "Preliminary recommendation" in content and "kr 420 000" in content
    assert "Kortere varighet" not in content and "By consensus" in content


def test_a_frame_exceeded_in_a_preliminary_version_is_printed_as_such(client, cast):
    r = make_step_round(cast)
    set_frame(r.round, 400_000)
    take(r, "preliminary")
    client.force_login(r.secretary)
    content = pdf_text(client.get(url("recommendation_pdf", r.round, 1)).content)
    assert "kr −20 000" in content and "Over the frame" in content


def test_the_pdf_is_in_the_readers_language(client, final):
    client.cookies["django_language"] = "nb"
    client.force_login(final.cast.forum_member)
    content = pdf_text(client.get(url("recommendation_pdf", final.round, 2)).content)
    assert "Lesing" in content and "Skrevet ut" in content and "Printed" not in content


def test_the_pdf_is_for_the_forum_and_its_secretariat_only(client, final):
    for person in (final.cast.coordinator, final.cast.owner_contact, make_user()):
        client.force_login(person)
        assert client.get(url("recommendation_pdf", final.round, 2)).status_code == 403
    client.force_login(final.cast.forum_member)
    assert client.get(url("recommendation_pdf", final.round, 3)).status_code == 404
    assert client.post(url("recommendation_pdf", final.round, 2)).status_code == 405
