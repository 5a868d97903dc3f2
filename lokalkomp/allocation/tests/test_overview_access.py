"""Who sees the overview, its Excel, a measure's assessments side by side and the overlap finder; the round page's link."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.schemes import panels as round_page
from lokalkomp.testing import give_totp, make_user

from ..views.overview import round_panel
from .assess_helpers import make_assessor
from .overview_helpers import build_round, in_english, text, url

pytestmark = pytest.mark.cast(year=2024)  # three schemes (overview_helpers)

PAGES = ("assessment_overview", "assessment_overview_xlsx", "overlap")


@pytest.fixture
def r3(cast):
    return build_round(cast)


def office_person(cast, role):
    user = make_user()
    Membership.objects.create(user=user, role=role, office=cast.office)
    give_totp(user)
    return user


def all_urls(r3):
    round = r3.cast.round
    return [url(round, name) for name in PAGES] + [url(round, "assessment_overview_measure", r3.b.pk)]


@pytest.mark.parametrize("role", [Role.FORUM_DEPUTY, Role.FORUM_SECRETARY, Role.CASE_OFFICER, Role.GOVERNOR_ADMIN])
def test_the_forum_and_the_statsforvalter_may_see_every_page(client, r3, role):
    user = make_assessor(r3.cast.round, role=role) if role == Role.FORUM_DEPUTY else office_person(r3.cast, role)
    client.force_login(user)
    for path in all_urls(r3):
        assert client.get(path).status_code == 200, path


def test_a_forum_member_may_see_every_page(client, r3):
    client.force_login(r3.anna)
    for path in all_urls(r3):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "who", ["coordinator", "owner_contact", "partner_contact", "outsider", "other_office_governor"]
)
def test_everyone_else_signed_in_is_told_no(client, r3, who):
    client.force_login(getattr(r3.cast, who))
    for path in all_urls(r3):
        assert client.get(path).status_code == 403, path


def test_a_reader_of_the_office_is_told_no(client, r3):
    client.force_login(office_person(r3.cast, Role.READER))
    for path in all_urls(r3):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(client, r3):
    for path in all_urls(r3):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_member_who_has_not_declared_their_ties_declares_first(client, r3):
    undeclared = make_assessor(r3.cast.round, declared=False)
    client.force_login(undeclared)
    for path in all_urls(r3):
        response = client.get(path)
        assert response.status_code == 302 and "/habilitet/" in response["Location"], path


def test_each_page_refuses_post(client, r3):
    client.force_login(r3.cast.governor)
    for path in all_urls(r3):
        assert client.post(path).status_code == 405, path


def test_an_unknown_round_or_a_measure_not_of_it_is_404(client, r3):
    client.force_login(r3.cast.governor)
    round = r3.cast.round
    assert client.get(reverse("allocation:assessment_overview", args=[round.office.slug, 1999])).status_code == 404
    assert client.get(reverse("allocation:overlap", args=["ingen", round.year])).status_code == 404
    draft = r3.cast.report.measures.create(scheme=r3.a.scheme, name="Utkast")
    for pk in (draft.pk, 2**63, 999_999):
        assert client.get(url(round, "assessment_overview_measure", pk)).status_code == 404


# ── One measure's assessments side by side ──


def test_the_secretariat_sees_each_assessment_side_by_side_and_the_disqualified_authors_apart(client, r3):
    client.force_login(r3.cast.governor)
    page = text(in_english(client).get(url(r3.cast.round, "assessment_overview_measure", r3.a.pk)))
    table = page.split('id="side-by-side"')[1].split("</table>")[0]
    assert "Anna Vurderer" in table and "Bjørn Vurderer" in table and "Cato" not in table
    assert "Anna: 3" in table and "Possible" in table and "1 met, 0 partly met, 1 not met" in table
    assert "Cato Vurderer: Prioritise" in page.split('id="written-by-disqualified"')[1]
    assert f"/behovsmeldinger/{r3.a.report_id}/#measure-{r3.a.pk}" in page


def test_a_member_sees_their_own_and_the_shared_assessments_side_by_side(client, r3):
    client.force_login(r3.anna)
    page = text(in_english(client).get(url(r3.cast.round, "assessment_overview_measure", r3.b.pk)))
    assert "Anna Vurderer" in page and "Cato Vurderer" in page
    assert "Bjørn" not in page  # his draft is his alone
    assert 'id="written-by-disqualified"' not in page


def test_a_disqualified_member_is_refused_the_measures_assessments_page_and_partial(client, r3):
    client.force_login(r3.cato)
    path = url(r3.cast.round, "assessment_overview_measure", r3.a.pk)
    assert client.get(path).status_code == 403
    assert client.get(path, HTTP_HX_REQUEST="true").status_code == 403
    assert client.get(url(r3.cast.round, "assessment_overview_measure", r3.b.pk)).status_code == 200


def test_with_htmx_the_measure_page_answers_with_its_table_alone(client, r3):
    client.force_login(r3.cast.governor)
    page = text(client.get(url(r3.cast.round, "assessment_overview_measure", r3.b.pk), HTTP_HX_REQUEST="true"))
    assert page.lstrip().startswith('<section aria-labelledby="assessments-heading" id="assessments">')


# ── The round's page ──


def round_url(cast):
    return reverse("schemes:round", args=[cast.office.slug, cast.round.year])


@pytest.mark.parametrize("who", ["governor", "forum_member"])
def test_the_round_page_links_the_overview_and_the_overlap_finder_for_the_forum(client, cast, who):
    client.force_login(getattr(cast, who))
    page = text(client.get(round_url(cast)))
    assert url(cast.round) in page and url(cast.round, "overlap") in page


@pytest.mark.parametrize("who", ["coordinator", "owner_contact", "outsider", "other_office_governor", None])
def test_the_round_page_shows_no_link_to_others(client, cast, who):
    if who:
        client.force_login(getattr(cast, who))
    page = text(client.get(round_url(cast)))
    assert url(cast.round) not in page and url(cast.round, "overlap") not in page


@pytest.mark.parametrize("who", ["governor", "forum_member", "coordinator"])
def test_the_round_pages_link_costs_no_query(client, cast, who, monkeypatch):
    client.force_login(getattr(cast, who))
    client.get(round_url(cast))
    with CaptureQueriesContext(connection) as with_panel:
        client.get(round_url(cast))
    monkeypatch.setattr(round_page, "round_panels", [p for p in round_page.round_panels if p is not round_panel])
    from lokalkomp.schemes import views as round_views

    monkeypatch.setattr(round_views, "round_panels", round_page.round_panels)
    with CaptureQueriesContext(connection) as without:
        page = text(client.get(round_url(cast)))
    assert url(cast.round) not in page  # the panel was really taken out
    assert len(with_panel) == len(without)
