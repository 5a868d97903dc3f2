"""A fagutvalg member (a professional committee some offices have) assesses like a forum member.

They read the office's submitted reports (never its drafts), declare their ties, assess, are
disqualified by their ties as a forum member is, and see the overview; they do not set up the round.
"""

from __future__ import annotations

import pytest
import rules
from django.urls import reverse

from lokalkomp.accounts import invitations
from lokalkomp.accounts.access import invitation_targets
from lokalkomp.accounts.models import REPORT_READER_ROLES, TWO_FACTOR_ROLES, Membership, Role
from lokalkomp.accounts.navigation import places_for
from lokalkomp.accounts.rules import can_invite, requires_two_factor
from lokalkomp.allocation import criteria as round_criteria
from lokalkomp.allocation.models import Assessment, AssessmentSetup, Declaration
from lokalkomp.allocation.rules.assessment import ASSESSOR_ROLES
from lokalkomp.allocation.rules.overview import OVERVIEW_ROLES
from lokalkomp.schemes.audience import offices_by_audience
from lokalkomp.testing import (
    give_totp,
    make_governor_admin,
    make_invitation,
    make_office,
    make_round,
    make_user,
    mark_reauthenticated,
)

from .assess_helpers import form_data, make_assessor, owner_of, submitted_measure, url

FAGUTVALG = Role.FAGUTVALG_MEMBER


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network, name="Lesing")


@pytest.fixture
def fagutvalg(client, cast):
    """A fagutvalg member of the cast's office who has declared no other ties."""
    user = make_assessor(cast.round, role=FAGUTVALG)
    client.force_login(user)
    return user


def html(response) -> str:
    return response.content.decode()


def test_the_fagutvalg_member_is_an_assessor_a_reader_of_submitted_reports_and_signs_in_with_a_code():
    assert FAGUTVALG in ASSESSOR_ROLES and FAGUTVALG in REPORT_READER_ROLES
    assert FAGUTVALG in OVERVIEW_ROLES and FAGUTVALG in TWO_FACTOR_ROLES


def test_a_fagutvalg_member_without_a_code_is_sent_to_set_up_two_factor_authentication(client, cast):
    user = make_user()
    Membership.objects.create(user=user, role=FAGUTVALG, office=cast.office)
    assert requires_two_factor(user)
    client.force_login(user)
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_header_shows_a_fagutvalg_member_the_assessment_and_the_round(cast, fagutvalg):
    keys = {place.key for place in places_for(fagutvalg)}
    assert {"assessment", "round"} <= keys


def test_a_fagutvalg_member_sees_the_assessment_work_list(client, cast, measure, fagutvalg):
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 200
    assert f'id="measure-{measure.pk}"' in html(response)
    assert 'data-status="not_started"' in html(response)


def test_a_fagutvalg_member_assesses_and_shares(client, cast, measure, fagutvalg):
    criteria = round_criteria.for_scheme(measure.scheme, cast.round)
    assert client.get(url("assess", cast.round, measure.pk)).status_code == 200
    response = client.post(url("assess_save", cast.round, measure.pk), form_data(criteria))
    assert response.status_code == 302
    assessment = Assessment.objects.get(measure=measure, assessor=fagutvalg)
    assert assessment.scores.count() == 5 and not assessment.shared
    response = client.post(url("assess_share", cast.round, measure.pk), form_data(criteria, version=1))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).shared


def test_an_undeclared_fagutvalg_member_is_sent_to_the_declaration_and_declares(client, cast, measure):
    newcomer = make_assessor(cast.round, role=FAGUTVALG, declared=False)
    client.force_login(newcomer)
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 302 and response["Location"].startswith(url("declaration", cast.round))
    assert client.post(url("declaration", cast.round), {"no_other_ties": "on"}).status_code == 302
    declaration = Declaration.objects.get(person=newcomer, round=cast.round)
    assert declaration.no_other_ties
    assert client.get(url("assessments", cast.round)).status_code == 200


def test_a_fagutvalg_member_who_works_for_the_owner_is_disqualified_like_a_forum_member(
    client, cast, measure, fagutvalg
):
    Membership.objects.create(user=fagutvalg, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    response = client.get(url("assess", cast.round, measure.pk))
    assert response.status_code == 403 and owner_of(measure).name in html(response)
    criteria = round_criteria.for_scheme(measure.scheme, cast.round)
    assert client.post(url("assess_save", cast.round, measure.pk), form_data(criteria)).status_code == 403
    assert not Assessment.objects.filter(assessor=fagutvalg).exists()
    page = html(client.get(url("assessments", cast.round)))
    assert 'data-status="disqualified"' in page.split(f'id="measure-{measure.pk}"')[1].split("</tr>")[0]


def test_a_tie_the_fagutvalg_member_declares_disqualifies_them(client, cast, measure):
    newcomer = make_assessor(cast.round, role=FAGUTVALG, declared=False)
    client.force_login(newcomer)
    client.post(url("declaration", cast.round), {"organisations": [owner_of(measure).pk], "ties": "Styreverv"})
    assert client.get(url("assess", cast.round, measure.pk)).status_code == 403


def test_a_fagutvalg_member_sees_the_overview(client, cast, measure, fagutvalg):
    response = client.get(url("assessment_overview", cast.round))
    assert response.status_code == 200
    assert f'id="measure-{measure.pk}"' in html(response)


def test_a_fagutvalg_member_reads_a_submitted_report_and_never_a_draft(client, cast, measure, fagutvalg):
    assert client.get(measure.report.get_absolute_url()).status_code == 200
    assert client.get(cast.report.get_absolute_url()).status_code == 404  # the cast's report is a draft


def test_a_fagutvalg_member_cannot_set_up_the_round(client, cast, measure, fagutvalg):
    response = client.post(url("assessment_setup", cast.round), {"central_questions": "on"})
    assert response.status_code == 403
    assert not AssessmentSetup.objects.filter(round=cast.round, central_questions=True).exists()


def test_a_fagutvalg_member_of_another_office_sees_nothing_of_this_round(client, cast, measure):
    stranger = make_user()
    Membership.objects.create(user=stranger, role=FAGUTVALG, office=make_office())
    give_totp(stranger)
    client.force_login(stranger)
    assert client.get(url("assessments", cast.round)).status_code in (403, 404)
    assert client.get(url("assess", cast.round, measure.pk)).status_code in (403, 404)
    assert client.get(
        reverse("allocation:assessment_overview", args=[cast.office.slug, cast.round.year])
    ).status_code in (
        403,
        404,
    )


# ── The header's «Vurdering» (/vurdering/): the newest round with something to assess ──


def test_the_headers_assessment_goes_to_the_newest_round_with_submitted_measures_not_the_next_one(client, cast):
    """The cast's round (2027) has steps ahead and only a draft; 2024 has a submitted measure, 2023 too."""
    for year in (2023, 2024):
        submitted_measure(make_round(cast.office, year=year))
    client.force_login(cast.forum_member)
    response = client.get(reverse("allocation:my_assessment"))
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:assessments", args=[cast.office.slug, 2024])


def test_the_headers_assessment_stays_on_the_offices_round_when_nothing_is_submitted(client, cast):
    client.force_login(cast.forum_member)
    response = client.get(reverse("allocation:my_assessment"))
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:assessments", args=[cast.office.slug, cast.round.year])


def test_the_headers_assessment_offers_each_office_its_round_with_work(client, cast):
    submitted_measure(make_round(cast.office, year=2024))
    other = make_round(make_office(), year=2025)
    submitted_measure(other)
    Membership.objects.create(user=cast.forum_member, role=Role.FORUM_MEMBER, office=other.office)
    client.force_login(cast.forum_member)
    response = client.get(reverse("allocation:my_assessment"))
    assert response.status_code == 200
    assert {(r.office_id, r.year) for r in response.context["rounds"]} == {
        (cast.office.pk, 2024),
        (other.office_id, 2025),
    }


def test_a_fagutvalg_member_is_shown_the_forums_milestones_and_reads_the_long_term_plan(cast, fagutvalg):
    assert cast.office.pk in offices_by_audience(fagutvalg)["forum"]
    assert rules.has_perm("schemes.view_longtermplan", fagutvalg, cast.office)
    assert not rules.has_perm("schemes.change_longtermplan", fagutvalg, cast.office)


def test_the_statsforvalter_invites_a_fagutvalg_member_and_accepting_gives_the_office_role(cast):
    assert (FAGUTVALG, cast.office.pk) in {(t.role, t.office.pk) for t in invitation_targets(cast.governor)}
    invitation = make_invitation(cast.governor, FAGUTVALG, "fagutvalg@example.test")
    assert can_invite(cast.governor, invitation) and not can_invite(cast.forum_member, invitation)
    person = make_user("fagutvalg@example.test")
    membership = invitations.accept(invitation, user=person)
    assert (membership.role, membership.office, membership.active) == (FAGUTVALG, cast.office, True)


def test_the_statsforvalters_administrator_gives_the_fagutvalg_role_on_the_people_page(client, cast):
    admin = make_governor_admin(cast.office, "admin@cast.test")
    client.force_login(admin)
    mark_reauthenticated(client, admin)
    page = html(client.get(reverse("accounts:people", args=[cast.office.slug]), {"person": cast.owner_contact.pk}))
    assert f'value="{FAGUTVALG}.office"' in page
    response = client.post(
        reverse("accounts:add_role", args=[cast.office.slug]),
        {"person": cast.owner_contact.pk, "target": f"{FAGUTVALG}.office"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.owner_contact, role=FAGUTVALG, office=cast.office).exists()
