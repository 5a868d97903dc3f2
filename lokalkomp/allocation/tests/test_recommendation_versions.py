"""The recommendation's versions: the list, one version, two compared, the events; a version never changes."""

from __future__ import annotations

import pytest

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.testing import make_user

from ..models import RecommendationStep, RecommendationVersion
from .overview_helpers import in_english
from .steps_helpers import make_step_round, set_amounts, take, text, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def r(cast):
    return make_step_round(cast)


@pytest.fixture
def two(r):
    """A preliminary version, then «Lesing» cut with a reason, then the final version."""
    take(r, "preliminary", note="Foreløpig i gruppene.")
    set_amounts(r.recommendation, r.a, 150_000, 100_000, reason="Kortere varighet")
    take(r, "final", decided_how="vote", votes_for="1", votes_against="0", votes_blank="0")
    return r


def test_the_versions_list_each_step_with_its_meeting(client, two):
    client.force_login(two.cast.forum_member)
    response = client.get(url("recommendation_versions", two.round))
    page = text(response)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert 'id="version-1"' in page and 'id="version-2"' in page
    assert "Preliminary recommendation" in page and "Final recommendation" in page
    assert "13.03.2024" in page and "1 for, 0 against, 0 blank" in page
    assert url("recommendation_pdf", two.round, 2) in page


def test_a_version_shows_its_lines_totals_justifications_and_meeting(client, two):
    client.force_login(two.cast.forum_member)
    page = text(client.get(url("recommendation_version", two.round, 2)))
    assert "Lesing" in page and "Skriving" in page
    assert "kr 250 000" in page  # Lesing as recommended
    assert "kr 370 000" in page  # the scheme's total
    assert "kr 1 000 000" in page and "kr 630 000" in page  # the frame and what remains
    assert "Kortere varighet" in page
    assert "KS – Mona Medlem (Member)" in page
    assert "By vote: 1 for, 0 against, 0 blank" in page


def test_the_preliminary_version_keeps_the_amounts_it_had(client, two):
    client.force_login(two.cast.forum_member)
    page = text(client.get(url("recommendation_version", two.round, 1)))
    assert "kr 420 000" in page and "Kortere varighet" not in page
    assert "Foreløpig i gruppene." in page


def test_the_meeting_record_stays_as_it_was_when_a_seat_changes(client, two):
    seat = two.member_seat
    seat.person = make_user("ny@steps.test", first_name="Nils", last_name="Ny")
    seat.save()
    seat.organisation.name = "KS Nord"
    seat.organisation.save()
    client.force_login(two.cast.forum_member)
    page = text(client.get(url("recommendation_version", two.round, 1)))
    assert "KS – Mona Medlem (Member)" in page and "Nils Ny" not in page and "KS Nord" not in page
    step = RecommendationStep.objects.get(recommendation=two.recommendation, number=1)
    assert step.present[0]["person"] == "Mona Medlem"


def test_a_version_and_its_step_never_change(two):
    version = RecommendationVersion.objects.get(recommendation=two.recommendation, number=1)
    version.data = {"lines": []}
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        RecommendationVersion.objects.filter(pk=version.pk).update(status="final")
    with pytest.raises(TypeError):
        RecommendationVersion.objects.all().delete()
    with pytest.raises(TypeError):
        RecommendationStep.objects.filter(recommendation=two.recommendation).update(note="Endret")
    with pytest.raises(TypeError):
        RecommendationStep.objects.get(recommendation=two.recommendation, number=1).delete()
    assert RecommendationVersion.objects.get(pk=version.pk).data["lines"]


def test_the_comparison_highlights_old_and_new_amounts(client, two):
    client.force_login(two.cast.forum_member)
    response = client.get(url("recommendation_compare_versions", two.round) + "?a=1&b=2")
    page = text(response)
    assert response.status_code == 200
    row = page.split(f'id="change-{two.a.pk}"')[1].split("</tr>")[0]
    assert '<mark class="lk-changed"><del>kr 200 000</del> → <ins>kr 150 000</ins></mark>' in row
    assert "kr 100 000" in row and "<del>kr 100 000" not in row  # the UH amount did not change
    assert "<ins>Kortere varighet</ins>" in row
    assert f'id="change-{two.b.pk}"' not in page  # unchanged


def test_the_comparison_defaults_to_the_last_two_and_survives_bad_numbers(client, two):
    client.force_login(two.cast.forum_member)
    compare = url("recommendation_compare_versions", two.round)
    assert f'id="change-{two.a.pk}"' in text(client.get(compare))
    for query in ("?a=x&b=2", "?a=99999999999999999999&b=1", "?a=%00&b=2", "?a=7&b=8"):
        response = client.get(compare + query)
        assert response.status_code == 200, query
        assert "There is no such version" in text(response)
    assert "Choose two different versions" in text(client.get(compare + "?a=1&b=1"))


def test_with_one_version_there_is_nothing_to_compare(client, r):
    take(r, "preliminary")
    client.force_login(r.cast.forum_member)
    assert 'id="compare-too-few"' in text(client.get(url("recommendation_compare_versions", r.round)))


def test_the_events_list_who_when_old_new_and_why(client, two):
    client.force_login(two.cast.forum_member)
    response = client.get(url("recommendation_events", two.round))
    page = text(response)
    assert response.status_code == 200
    assert "Changed: Owner amount" in page and "kr 200 000" in page and "kr 150 000" in page
    assert "Kortere varighet" in page and "Lesing" in page
    assert "Step taken" in page and "Final recommendation" in page
    assert "Sara Sekretær" in page


def test_a_disqualified_member_does_not_see_that_partnerships_lines(client, two):
    owner = two.a.report.partnership.participants.get(side="owner").organisation
    Membership.objects.create(user=two.cast.forum_member, role=Role.OWNER_CONTACT, organisation=owner)
    client.force_login(two.cast.forum_member)
    page = text(client.get(url("recommendation_version", two.round, 2)))
    assert f'id="line-{two.a.pk}"' not in page and f'id="line-{two.b.pk}"' in page
    assert "1 measure is not shown" in page and "kr 370 000" in page  # still in the totals
    compare = text(client.get(url("recommendation_compare_versions", two.round)))
    assert f'id="change-{two.a.pk}"' not in compare
    assert "Kortere varighet" not in text(client.get(url("recommendation_events", two.round)))


def test_before_any_step_the_lists_are_empty(client, r):
    client.force_login(r.cast.forum_member)
    assert 'id="no-versions"' in text(client.get(url("recommendation_versions", r.round)))
    assert client.get(url("recommendation_version", r.round, 1)).status_code == 404


@pytest.mark.parametrize(
    "name", ["recommendation_versions", "recommendation_compare_versions", "recommendation_events"]
)
def test_the_pages_are_for_the_forum_and_its_secretariat(client, two, name):
    for person in (two.cast.forum_member, two.deputy, two.secretary, two.cast.governor):
        client.force_login(person)
        assert client.get(url(name, two.round)).status_code == 200
    for person in (two.cast.coordinator, two.cast.owner_contact, two.cast.other_office_governor):
        client.force_login(person)
        assert client.get(url(name, two.round)).status_code == 403
    client.logout()
    assert client.get(url(name, two.round)).status_code == 302
    client.force_login(two.cast.forum_member)
    assert client.post(url(name, two.round)).status_code == 405


def test_an_unknown_version_or_round_is_404(client, two):
    client.force_login(two.cast.forum_member)
    assert client.get(url("recommendation_version", two.round, 3)).status_code == 404
    assert client.get(url("recommendation_version", two.round, 2**40)).status_code == 404
    assert client.get(url("recommendation_versions", two.round).replace("/2024/", "/1999/")).status_code == 404


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["recommendation_versions", "recommendation_events", "recommendation_version"])
def test_the_lists_take_the_same_number_of_queries_however_long(client, r, name):
    args = (1,) if name == "recommendation_version" else ()
    take(r, "preliminary")
    client.force_login(r.cast.forum_member)
    before = _queries(client, url(name, r.round, *args))
    for n in range(1, 6):
        set_amounts(r.recommendation, r.a, 200_000 - n * 1000, 100_000, reason=f"Runde {n}")
    if name == "recommendation_versions":
        take(r, "final")
    assert _queries(client, url(name, r.round, *args)) == before
