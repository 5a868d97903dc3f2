"""Who is disqualified from which partnership's measures (habilitet, forvaltningsloven § 6), and why."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation import conflicts
from lokalkomp.allocation.conflicts import Tie, disqualifications, disqualified_by_person, disqualified_partnership_ids
from lokalkomp.allocation.models import Declaration
from lokalkomp.directory.models import Forum, ForumMember
from lokalkomp.needs.models import Contact, Participant, UnionParticipant
from lokalkomp.testing import make_network, make_partnership, make_report, make_round

from .assess_helpers import make_assessor, owner_of, submitted_measure


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network)


@pytest.fixture
def member(cast):
    return make_assessor(cast.round)


def partnership_of(measure):
    return measure.report.partnership_id


def test_a_member_tied_to_nothing_is_disqualified_from_nothing(cast, measure, member):
    assert disqualified_by_person(cast.round, [member.pk]) == {member.pk: set()}


def test_working_for_an_owner_disqualifies_from_its_partnerships(cast, measure, member):
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    found = disqualifications(cast.round, [member.pk])[member.pk]
    assert found == {partnership_of(measure): {Tie("member", owner_of(measure).name)}}


def test_working_for_the_partner_institution_disqualifies_too(cast, measure, member):
    uh = measure.report.partnership.participants.get(side="partner").organisation
    Membership.objects.create(user=member, role=Role.PARTNER_CONTACT, organisation=uh)
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == {partnership_of(measure)}


def test_an_ended_membership_no_longer_disqualifies(cast, measure, member):
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner_of(measure), active=False)
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == set()


def test_a_forum_seat_for_an_owner_disqualifies_its_representative(cast, measure, member):
    forum = Forum.objects.create(office=cast.office, name="Samarbeidsforum")
    ForumMember.objects.create(forum=forum, organisation=owner_of(measure), person=member)
    found = disqualifications(cast.round, [member.pk])[member.pk]
    assert found == {partnership_of(measure): {Tie("seat", owner_of(measure).name)}}


def test_a_contact_person_is_disqualified_by_account_and_by_e_mail_address(cast, measure, member):
    other = make_assessor(cast.round, email="kari.nordmann@example.test")
    participant = measure.report.partnership.participants.get(side="owner")
    Contact.objects.create(participant=participant, user=member, name="M", email="")
    Contact.objects.create(participant=participant, name="Kari", email="Kari.Nordmann@Example.test")  # no account
    found = disqualified_by_person(cast.round, [member.pk, other.pk])
    assert found == {member.pk: {partnership_of(measure)}, other.pk: {partnership_of(measure)}}


def test_a_union_representative_named_on_the_report_is_disqualified(cast, measure, member):
    UnionParticipant.objects.create(report=measure.report, role="Hovedtillitsvalgt", name="T", user=member)
    assert disqualifications(cast.round, [member.pk])[member.pk] == {partnership_of(measure): {Tie("union")}}


def test_the_coordinator_of_the_partnerships_network_is_disqualified(cast, measure, member):
    Membership.objects.create(user=member, role=Role.NETWORK_COORDINATOR, network=cast.network)
    elsewhere = submitted_measure(cast.round, network=make_network(cast.office))
    found = disqualifications(cast.round, [member.pk])[member.pk]
    tie = {Tie("coordinator", cast.network.name)}
    assert found == {partnership_of(measure): tie, cast.report.partnership_id: tie}  # both in the network
    assert partnership_of(elsewhere) not in found


def test_a_declared_tie_disqualifies_and_the_latest_declaration_counts(cast, measure, member):
    owner = owner_of(measure)
    Declaration.declare(round=cast.round, person=member, no_other_ties=False, organisations=[owner], ties="Søster")
    assert disqualifications(cast.round, [member.pk])[member.pk] == {
        partnership_of(measure): {Tie("declared", owner.name)}
    }
    Declaration.declare(round=cast.round, person=member, no_other_ties=True, organisations=[], ties="")
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == set()
    assert Declaration.objects.filter(round=cast.round, person=member).count() == 3  # every one is kept


def test_a_declaration_for_another_round_does_not_count(cast, measure, member):
    next_year = make_round(cast.office, year=cast.round.year + 1)
    Declaration.declare(round=next_year, person=member, no_other_ties=False, organisations=[owner_of(measure)], ties="")
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == set()


def test_removing_the_owner_after_submission_does_not_lift_the_disqualification(cast, measure, member):
    owner = owner_of(measure)
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner)
    Participant.objects.filter(partnership_id=partnership_of(measure), organisation=owner).delete()
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == {partnership_of(measure)}


def test_a_contact_removed_after_submission_is_still_disqualified(cast, measure, member):
    participant = measure.report.partnership.participants.get(side="owner")
    contact = Contact.objects.create(participant=participant, user=member, name="M", email=member.email)
    measure.report.record_version(by=None)  # a second submission names the contact
    contact.delete()
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == {partnership_of(measure)}


def test_the_same_owner_in_another_offices_partnership_is_not_this_rounds_concern(cast, measure, member):
    other_round = make_round(year=cast.round.year)
    foreign = make_report(other_round, make_partnership(other_round.office))
    Participant.objects.create(partnership=foreign.partnership, organisation=owner_of(measure), side="owner")
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    assert disqualified_by_person(cast.round, [member.pk])[member.pk] == {partnership_of(measure)}
    assert disqualified_by_person(other_round, [member.pk])[member.pk] == {foreign.partnership_id}


def test_many_people_cost_the_same_two_queries_as_one(cast, measure):
    people = []
    for n in range(10):
        person = make_assessor(cast.round)
        Membership.objects.create(user=person, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
        Declaration.declare(round=cast.round, person=person, no_other_ties=False, organisations=[], ties=f"Bånd {n}")
        people.append(person)
        submitted_measure(cast.round)
    with CaptureQueriesContext(connection) as one:
        disqualified_by_person(cast.round, [people[0].pk])
    with CaptureQueriesContext(connection) as ten:
        found = disqualified_by_person(cast.round, [p.pk for p in people])
    assert len(one) == len(ten) == 2, [q["sql"] for q in ten.captured_queries]
    assert all(found[p.pk] == {partnership_of(measure)} for p in people)


def test_nobody_asked_costs_no_query(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert disqualified_by_person(cast.round, []) == {}


def test_the_answer_for_one_person_is_kept_for_the_request_until_forgotten(
    cast, measure, member, django_assert_num_queries
):
    assert disqualified_partnership_ids(member, cast.round) == set()
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    with django_assert_num_queries(0):
        assert disqualified_partnership_ids(member, cast.round) == set()
    conflicts.forget(member)
    assert disqualified_partnership_ids(member, cast.round) == {partnership_of(measure)}
    assert conflicts.is_disqualified(member, measure)


def test_an_anonymous_visitor_is_tied_to_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert disqualified_partnership_ids(AnonymousUser(), cast.round) == set()
    assert conflicts.tied_organisation_ids(AnonymousUser(), cast.round) == set()


def test_each_tie_is_described_in_words(cast):
    assert "Kommunen" in conflicts.describe(Tie("member", "Kommunen"))
    assert conflicts.describe(Tie("contact"))
