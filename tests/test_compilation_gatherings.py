"""What the network's gatherings picked for the needs analysis goes into its compilation (issues 11 and 14).

Neither allocation nor gatherings imports the other: schemes' `needs_analysis_notes` registry joins
them, so this test lives above both.
"""

from __future__ import annotations

from typing import Any

import pytest

from lokalkomp.allocation.models import CompilationVersion
from lokalkomp.allocation.tests.compilation_helpers import compilation_of, submitted_report, url
from lokalkomp.gatherings.models import Activity, Response
from lokalkomp.gatherings.tests.helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def picked(cast: Any) -> dict[str, Any]:
    submitted_report(cast, [("Språkløyper", 100_000, 50_000)])
    own = make_gathering(cast.round, network=cast.network, title="Nettverkssamling")
    word = make_activity(own, Activity.Kind.ONE_WORD, question="Hva trenger barnehagene mest?")
    chosen = word.answer(make_participant(own, table=3), text="Språkarbeid")
    word.answer(make_participant(own, table=4), text="Ikke valgt")
    Response.objects.get(pk=chosen.pk).pick(by=cast.coordinator)
    elsewhere = make_gathering(cast.round, network=None, title="Fylkessamling")
    county = make_activity(elsewhere, Activity.Kind.ONE_WORD, question="Felles behov?")
    Response.objects.get(pk=county.answer(make_participant(elsewhere), text="Lesing").pk).pick(by=None)
    return {"compilation": compilation_of(cast)}


def test_the_coordinator_sees_the_picks_of_the_networks_and_the_countys_gatherings_in_the_compilation(
    client: Any, cast: Any, picked: dict[str, Any]
) -> None:
    client.force_login(cast.coordinator)
    body = client.get(url(cast)).content.decode()
    section = body[body.index('id="compilation-gatherings"') :]
    assert "Språkarbeid" in section and "Bord 3" in section and "Nettverkssamling" in section
    assert "Lesing" in section and "Fylkessamling" in section
    assert "Ikke valgt" not in section


def test_the_delivered_version_keeps_the_picks_as_text_even_when_the_pick_is_taken_back(
    client: Any, cast: Any, picked: dict[str, Any]
) -> None:
    compilation = picked["compilation"]
    version = compilation.deliver(by=cast.coordinator, expected_version=compilation.version)
    assert [n["text"] for n in version.data["gatherings"]] == ["Språkarbeid", "Lesing"]
    Response.objects.filter(text="Språkarbeid").get().unpick()
    client.force_login(cast.governor)
    body = client.get(url(cast)).content.decode()
    assert "Språkarbeid" in body[body.index('id="compilation-gatherings"') :]
    assert CompilationVersion.objects.get(pk=version.pk).data["gatherings"][0]["detail"] == "Bord 3"
    pdf = client.get(url(cast, "compilation_pdf", number=version.number))
    assert pdf.status_code == 200


def test_a_compilation_without_picks_has_no_gatherings_section(client: Any, cast: Any) -> None:
    submitted_report(cast, [("Språkløyper", 100_000, 50_000)])
    compilation_of(cast)
    client.force_login(cast.coordinator)
    assert 'id="compilation-gatherings"' not in client.get(url(cast)).content.decode()
