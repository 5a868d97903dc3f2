"""An office's long-term plans and their goals: periods that never overlap, every change on the audit record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.schemes.models import LongTermPlan, PlanGoal
from lokalkomp.testing import make_measure, make_office


def make_plan(cast, first=2023, last=2026, title="Kompetanseplan", goals=()):
    plan = LongTermPlan.make(office=cast.office, first_year=first, last_year=last, title=title, by=cast.governor)
    for text in goals:
        plan.add_goal(text, by=cast.governor)
    return plan


def events(key_start: str) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(key__startswith=key_start).order_by("pk")
    return list(rows.values_list("key", "old_value", "new_value"))


def test_a_plan_is_made_with_its_period_and_on_record(cast):
    plan = make_plan(cast)
    assert (plan.office, plan.first_year, plan.last_year, plan.period) == (cast.office, 2023, 2026, "2023–2026")
    event = AuditEvent.objects.get(key=f"longtermplan:{plan.pk}:added")
    assert (event.actor, event.office_id, event.new_value) == (
        cast.governor,
        cast.office.pk,
        "2023–2026 Kompetanseplan",
    )


@pytest.mark.parametrize(("first", "last"), [(2025, 2028), (2020, 2023), (2024, 2024), (2019, 2028)])
def test_a_period_that_overlaps_another_plan_of_the_office_is_refused(cast, first, last):
    make_plan(cast)
    with pytest.raises(ValidationError) as refused:
        make_plan(cast, first, last)
    assert refused.value.messages == [
        "Perioden overlapper Kompetanseplan (2023–2026). Et embete har én plan for hvert år."
    ]
    assert LongTermPlan.objects.filter(office=cast.office).count() == 1


def test_plans_of_two_offices_and_following_periods_do_not_overlap(cast):
    make_plan(cast)
    make_plan(cast, 2027, 2030)
    LongTermPlan.make(office=make_office(), first_year=2023, last_year=2026, by=None)
    assert LongTermPlan.objects.covering(2027).filter(office=cast.office).get().first_year == 2027
    assert LongTermPlan.objects.count() == 3


@pytest.mark.parametrize(("first", "last"), [(2026, 2023), (1999, 2002), (2099, 2101), (2020, 2031)])
def test_a_period_out_of_order_or_of_range_is_refused(cast, first, last):
    with pytest.raises(ValidationError):
        make_plan(cast, first, last)
    assert not LongTermPlan.objects.exists()


def test_the_database_holds_the_period_and_one_plan_per_office_and_start(cast):
    make_plan(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        LongTermPlan.objects.create(office=cast.office, first_year=2023, last_year=2023)
    with pytest.raises(IntegrityError), transaction.atomic():
        LongTermPlan.objects.create(office=cast.office, first_year=2030, last_year=2029)


def test_changing_the_period_records_each_field_and_keeps_out_of_other_plans(cast):
    plan = make_plan(cast)
    make_plan(cast, 2027, 2030)
    assert plan.change(first_year=2022, last_year=2026, title="Ny tittel", by=cast.governor) == [
        "first_year",
        "title",
    ]
    assert events(f"longtermplan:{plan.pk}:")[1:] == [
        (f"longtermplan:{plan.pk}:first_year", "2023", "2022"),
        (f"longtermplan:{plan.pk}:title", "Kompetanseplan", "Ny tittel"),
    ]
    with pytest.raises(ValidationError) as refused:
        plan.change(first_year=2022, last_year=2027, title="Ny tittel", by=cast.governor)
    assert refused.value.messages == [
        "Perioden overlapper Kompetanseplan (2027–2030). Et embete har én plan for hvert år."
    ]
    plan.refresh_from_db()
    assert (plan.first_year, plan.last_year) == (2022, 2026)
    assert plan.change(first_year=2022, last_year=2026, title="Ny tittel", by=cast.governor) == []


def test_goals_are_added_at_the_end_edited_moved_and_removed_on_record(cast):
    plan = make_plan(cast, goals=("Lesing", "Regning", "Inkludering"))
    reading, numeracy, inclusion = plan.goals.order_by("position")
    assert [g.position for g in (reading, numeracy, inclusion)] == [1, 2, 3]
    assert reading.change_text("Lesing og skriving", by=cast.governor)
    assert not reading.change_text("Lesing og skriving", by=cast.governor)
    assert inclusion.move(up=True, by=cast.governor)
    assert not reading.move(up=True, by=cast.governor)  # the first goal goes no higher
    numeracy.remove(by=cast.governor)
    assert list(plan.goals.order_by("position").values_list("text", "position")) == [
        ("Lesing og skriving", 1),
        ("Inkludering", 2),
    ]
    assert [key.split(":")[2] for key, _old, _new in events("plangoal:")] == [
        "added",
        "added",
        "added",
        "text",
        "position",
        "removed",
    ]
    assert AuditEvent.objects.filter(key__startswith="plangoal:", office_id=cast.office.pk).count() == 6


def test_a_goal_a_measure_names_is_not_removed_and_nor_is_its_plan(cast):
    plan = make_plan(cast, goals=("Lesing",))
    goal = plan.goals.get()
    make_measure(cast.report).goals.add(goal)
    with pytest.raises(ValidationError) as refused:
        goal.remove(by=cast.governor)
    assert refused.value.messages == ["1 tiltak viser til dette målet, så det kan ikke fjernes. Endre heller ordlyden."]
    with pytest.raises(ValidationError) as refused:
        plan.remove(by=cast.governor)
    assert refused.value.messages == ["1 tiltak viser til et mål i denne planen, så den kan ikke fjernes."]
    assert PlanGoal.objects.filter(pk=goal.pk).exists()


def test_a_plan_whose_goals_no_measure_names_is_removed_with_them_on_record(cast):
    plan = make_plan(cast, goals=("Lesing", "Regning"))
    pk = plan.pk
    plan.remove(by=cast.governor)
    assert not LongTermPlan.objects.exists() and not PlanGoal.objects.exists()
    assert events(f"longtermplan:{pk}:removed")[0][1] == "2023–2026 Kompetanseplan\nLesing\nRegning"
