"""The assessment's predicates and their Q twins: who reads which assessment, who assesses which measure."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Assessment, Declaration
from lokalkomp.allocation.rules.assessment import (
    assessable_measures_q,
    assessment_rounds_q,
    can_assess_measure,
    can_read_assessment,
    can_view_assessments,
    must_declare,
    sees_every_assessment,
    visible_assessments_q,
    visible_declarations_q,
)
from lokalkomp.needs.models import Measure
from lokalkomp.schemes.models import Round
from lokalkomp.testing import make_round

from .assess_helpers import make_assessor, owner_of, submitted_measure


@pytest.fixture
def world(cast):
    """Two measures; on each, a draft and a shared assessment by two other members."""
    tied = submitted_measure(cast.round, network=cast.network, name="Bundet")
    free = submitted_measure(cast.round, network=cast.network, name="Fri")
    Membership.objects.create(user=cast.forum_member, role=Role.OWNER_CONTACT, organisation=owner_of(tied))
    drafter, sharer = make_assessor(cast.round), make_assessor(cast.round)
    for measure in (tied, free):
        Assessment.objects.create(round=cast.round, measure=measure, assessor=drafter)
        Assessment.objects.create(
            round=cast.round, measure=measure, assessor=sharer, shared=True, shared_at=timezone.now()
        )
    Assessment.objects.create(round=cast.round, measure=free, assessor=cast.forum_member)
    return {"tied": tied, "free": free, "drafter": drafter, "sharer": sharer}


def readable(user, round):
    return set(Assessment.objects.filter(visible_assessments_q(user, round)).values_list("pk", flat=True))


def fresh(user):
    """The same person as a new request sees them (no cached answers)."""
    return type(user).objects.get(pk=user.pk)


def test_the_secretariat_sees_every_assessment_shared_or_not(cast, world):
    assert sees_every_assessment(cast.governor, cast.round)
    assert readable(cast.governor, cast.round) == set(Assessment.objects.values_list("pk", flat=True))


def test_a_member_sees_their_own_and_the_shared_ones_but_no_draft_of_another(cast, world):
    member = world["drafter"]
    expected = set(Assessment.objects.filter(assessor=member).values_list("pk", flat=True))
    expected |= set(Assessment.objects.filter(shared=True).values_list("pk", flat=True))
    assert readable(member, cast.round) == expected
    assert not sees_every_assessment(member, cast.round)


def test_a_disqualified_member_sees_nothing_of_the_measure_not_even_shared_ones(cast, world):
    seen = Assessment.objects.filter(visible_assessments_q(fresh(cast.forum_member), cast.round))
    assert world["tied"].pk not in set(seen.values_list("measure_id", flat=True))
    assert seen.filter(measure=world["free"]).count() == 2  # the shared one and their own


def test_the_object_rule_and_its_q_twin_agree_for_everyone(cast, world):
    people = [cast.forum_member, cast.governor, world["drafter"], world["sharer"], cast.coordinator, cast.outsider]
    for person in people:
        person = fresh(person)
        listed = readable(person, cast.round)
        allowed = {
            a.pk
            for a in Assessment.objects.select_related("round", "measure__report")
            if can_read_assessment(person, a)
        }
        assert listed == allowed, person


def test_who_assesses_which_measure_agrees_with_the_list(cast, world):
    Measure.objects.create(report=cast.report, scheme=world["free"].scheme, name="Utkast")  # a draft's measure
    for person in (cast.forum_member, world["drafter"], cast.governor, cast.outsider):
        person = fresh(person)
        listed = set(Measure.objects.filter(assessable_measures_q(person, cast.round)).values_list("pk", flat=True))
        allowed = {m.pk for m in Measure.objects.select_related("report__round") if can_assess_measure(person, m)}
        assert listed == allowed, person
    assert can_assess_measure(fresh(cast.forum_member), world["free"])
    assert not can_assess_measure(fresh(cast.forum_member), world["tied"])


def test_the_rounds_in_the_list_are_those_whose_work_list_opens(cast, world):
    make_round(year=cast.round.year)  # another office's
    for person in (cast.forum_member, cast.governor, cast.coordinator, cast.other_office_governor):
        listed = set(Round.objects.filter(assessment_rounds_q(person)).values_list("pk", flat=True))
        assert listed == {r.pk for r in Round.objects.all() if can_view_assessments(person, r)}, person


def test_the_declarations_are_read_by_the_secretariat_and_each_by_its_declarant(cast, world):
    assert Declaration.objects.filter(visible_declarations_q(cast.governor)).count() == Declaration.objects.count()
    own = Declaration.objects.filter(visible_declarations_q(cast.forum_member))
    assert set(own.values_list("person_id", flat=True)) == {cast.forum_member.pk}
    assert not Declaration.objects.filter(visible_declarations_q(cast.other_office_governor)).exists()


def test_only_an_undeclared_member_or_deputy_must_declare(cast):
    assert not must_declare(cast.forum_member, cast.round)  # declared in the cast
    assert must_declare(make_assessor(cast.round, declared=False), cast.round)
    assert must_declare(make_assessor(cast.round, role=Role.FORUM_DEPUTY, declared=False), cast.round)
    assert not must_declare(cast.governor, cast.round)
    assert not must_declare(cast.coordinator, cast.round)


def test_the_work_of_an_author_disqualified_after_writing_is_left_out_of_the_overview(cast, world):
    from lokalkomp.allocation.access.assessment import without_disqualified_authors
    from lokalkomp.allocation.conflicts import disqualified_by_person

    sharer, free, tied = world["sharer"], world["free"], world["tied"]
    Declaration.declare(round=cast.round, person=sharer, no_other_ties=False, organisations=[owner_of(free)], ties="")
    shared = list(
        Assessment.objects.filter(
            visible_assessments_q(fresh(world["drafter"]), cast.round), shared=True
        ).select_related("measure__report")
    )
    assert {(a.assessor_id, a.measure_id) for a in shared} == {(sharer.pk, free.pk), (sharer.pk, tied.pk)}
    found = disqualified_by_person(cast.round, {a.assessor_id for a in shared})
    kept = without_disqualified_authors(shared, found)
    assert [(a.assessor_id, a.measure_id) for a in kept] == [(sharer.pk, tied.pk)]
