"""The office's long-term plan page: the Statsforvalter keeps the plans and their goals, the forum reads them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.schemes.models import LongTermPlan, PlanGoal
from lokalkomp.testing import make_measure

from .helpers import body


@pytest.fixture
def as_person(client):
    def sign_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


@pytest.fixture
def plan(cast):
    plan = LongTermPlan.make(office=cast.office, first_year=2023, last_year=2027, title="Kompetanseplan", by=None)
    for text in ("Lesing og skriving", "Inkludering", "Profesjonsfellesskap"):
        plan.add_goal(text, by=None)
    return plan


def url(cast, name="long_term_plans", *args):
    return reverse(f"schemes:{name}", args=[cast.office.slug, *args])


def goal_url(cast, plan, name, goal, *more):
    return reverse(f"schemes:{name}", args=[cast.office.slug, plan.pk, goal.pk, *more])


def test_the_statsforvalter_sees_the_plans_goals_and_the_forms_to_change_them(as_person, cast, plan):
    html = body(as_person(cast.governor).get(url(cast)))
    assert "Long-term plan 2023–2027: Kompetanseplan" in html
    assert html.index("Lesing og skriving") < html.index("Inkludering") < html.index("Profesjonsfellesskap")
    assert f'action="{url(cast, "add_long_term_plan")}"' in html
    assert f'action="{url(cast, "add_plan_goal", plan.pk)}"' in html


def test_the_forum_reads_the_plan_without_the_forms(as_person, cast, plan):
    response = as_person(cast.forum_member).get(url(cast))
    html = body(response)
    assert response.status_code == 200
    assert "Inkludering" in html
    assert "add_long_term_plan" not in html and 'action="' + url(cast, "add_plan_goal", plan.pk) not in html
    assert as_person(cast.forum_member).post(url(cast, "add_plan_goal", plan.pk), {"text": "Nytt"}).status_code == 403


@pytest.mark.parametrize("who", ["owner_contact", "coordinator", "outsider", "other_office_governor"])
def test_others_may_not_see_the_plan(as_person, cast, plan, who):
    assert as_person(getattr(cast, who)).get(url(cast)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_and_an_unknown_office_is_404(client, as_person, cast):
    assert client.get(url(cast)).status_code == 302
    assert client.get(url(cast))["Location"].startswith(reverse("account_login"))
    assert as_person(cast.governor).get(reverse("schemes:long_term_plans", args=["ukjent"])).status_code == 404


def test_the_wrong_method_is_405(as_person, cast, plan):
    governor = as_person(cast.governor)
    goal = plan.goals.first()
    assert governor.post(url(cast)).status_code == 405
    assert governor.get(url(cast, "add_long_term_plan")).status_code == 405
    assert governor.get(url(cast, "add_plan_goal", plan.pk)).status_code == 405
    assert governor.get(goal_url(cast, plan, "delete_plan_goal", goal)).status_code == 405
    assert governor.get(goal_url(cast, plan, "move_plan_goal", goal, "up")).status_code == 405
    assert governor.get(url(cast, "delete_long_term_plan", plan.pk)).status_code == 405


def test_the_statsforvalter_adds_a_plan(as_person, cast):
    response = as_person(cast.governor).post(
        url(cast, "add_long_term_plan"), {"first_year": "2027", "last_year": "2030", "title": "Ny plan"}
    )
    plan = LongTermPlan.objects.get(office=cast.office)
    assert response.status_code == 302 and response["Location"].endswith(f"#plan-{plan.pk}")
    assert (plan.first_year, plan.last_year, plan.title) == (2027, 2030, "Ny plan")
    assert AuditEvent.objects.filter(key=f"longtermplan:{plan.pk}:added", actor=cast.governor).exists()


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2025", "2029", "overlaps"),
        ("2030", "2027", "the same or a later year"),
        ("tjue", "2027", "Write a year"),
        ("99999999999", "2027", "up to 2100"),
        ("", "2027", "Write the year"),
    ],
)
def test_a_refused_plan_keeps_what_was_typed_and_says_why(as_person, cast, plan, first, last, message):
    data = {"first_year": first, "last_year": last, "title": "Tittel"}
    response = as_person(cast.governor).post(url(cast, "add_long_term_plan"), data)
    html = body(response)
    assert response.status_code == 422
    assert message in html
    assert f'value="{first}"' in html and f'value="{last}"' in html
    assert LongTermPlan.objects.count() == 1


def test_a_title_with_a_nul_byte_is_refused(as_person, cast):
    data = {"first_year": "2027", "last_year": "2028", "title": "Plan\x00"}
    response = as_person(cast.governor).post(url(cast, "add_long_term_plan"), data)
    assert response.status_code == 422
    assert not LongTermPlan.objects.exists()


def test_the_statsforvalter_changes_the_period_of_a_plan(as_person, cast, plan):
    governor = as_person(cast.governor)
    assert governor.get(url(cast, "edit_long_term_plan", plan.pk)).status_code == 200
    data = {"first_year": "2023", "last_year": "2026", "title": "Kompetanseplan"}
    assert governor.post(url(cast, "edit_long_term_plan", plan.pk), data).status_code == 302
    plan.refresh_from_db()
    assert plan.last_year == 2026
    assert AuditEvent.objects.filter(key=f"longtermplan:{plan.pk}:last_year", old_value="2027").exists()
    empty = governor.post(url(cast, "edit_long_term_plan", plan.pk), {})
    assert empty.status_code == 422


def test_a_plan_of_another_office_is_404_on_this_offices_address(as_person, cast):
    other = LongTermPlan.make(
        office=cast.other_office_governor.memberships.get().office, first_year=2023, last_year=2026, by=None
    )
    assert as_person(cast.governor).get(url(cast, "edit_long_term_plan", other.pk)).status_code == 404


def test_the_statsforvalter_adds_edits_moves_and_removes_goals(as_person, cast, plan):
    governor = as_person(cast.governor)
    added = governor.post(url(cast, "add_plan_goal", plan.pk), {"text": "  Barns   medvirkning "})
    goal = PlanGoal.objects.get(text="Barns medvirkning")
    assert added.status_code == 302 and added["Location"].endswith(f"#goal-{goal.pk}")
    assert goal.position == 4
    assert governor.post(goal_url(cast, plan, "edit_plan_goal", goal), {"text": "Elevenes stemme"}).status_code == 302
    assert governor.post(goal_url(cast, plan, "move_plan_goal", goal, "up")).status_code == 302
    assert list(plan.goals.order_by("position").values_list("text", flat=True)) == [
        "Lesing og skriving",
        "Inkludering",
        "Elevenes stemme",
        "Profesjonsfellesskap",
    ]
    assert governor.post(goal_url(cast, plan, "move_plan_goal", goal, "sideways")).status_code == 404
    assert governor.post(goal_url(cast, plan, "delete_plan_goal", goal)).status_code == 302
    assert not PlanGoal.objects.filter(pk=goal.pk).exists()
    keys = AuditEvent.objects.filter(key__startswith=f"plangoal:{goal.pk}:").values_list("key", flat=True)
    assert sorted(k.split(":")[2] for k in keys) == ["added", "position", "removed", "text"]


@pytest.mark.parametrize(("text", "message"), [("", "Write the goal."), ("Inkludering", "has this goal already")])
def test_a_refused_goal_keeps_what_was_typed(as_person, cast, plan, text, message):
    response = as_person(cast.governor).post(url(cast, "add_plan_goal", plan.pk), {"text": text or "   "})
    assert response.status_code == 422
    assert message in body(response)
    assert plan.goals.count() == 3


def test_a_goal_longer_than_500_characters_is_refused(as_person, cast, plan):
    response = as_person(cast.governor).post(url(cast, "add_plan_goal", plan.pk), {"text": "x" * 501})
    assert response.status_code == 422
    assert plan.goals.count() == 3


def test_a_goal_a_measure_names_shows_its_count_and_is_not_removed(as_person, cast, plan):
    goal = plan.goals.get(text="Inkludering")
    make_measure(cast.report).goals.add(goal)
    governor = as_person(cast.governor)
    html = body(governor.get(url(cast)))
    row = html.split(f'id="goal-{goal.pk}"')[1].split("</tr>")[0]
    assert 'data-label="Named by measures">1<' in row
    assert goal_url(cast, plan, "delete_plan_goal", goal) not in row
    response = governor.post(goal_url(cast, plan, "delete_plan_goal", goal), follow=True)
    assert "1 measure names this goal" in body(response)
    assert PlanGoal.objects.filter(pk=goal.pk).exists()


def test_the_round_page_links_to_the_plan_for_those_who_may_read_it(client, as_person, cast):
    round_url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    assert url(cast) in body(as_person(cast.forum_member).get(round_url))
    assert url(cast) in body(as_person(cast.governor).get(round_url))
    assert url(cast) not in body(as_person(cast.owner_contact).get(round_url))
    client.logout()
    assert url(cast) not in body(client.get(round_url))


def test_the_page_costs_the_same_queries_for_one_plan_and_for_several(as_person, cast):
    plan = LongTermPlan.make(office=cast.office, first_year=2015, last_year=2016, by=None)
    plan.add_goal("Ett mål", by=None)
    governor = as_person(cast.governor)
    with CaptureQueriesContext(connection) as one:
        assert governor.get(url(cast)).status_code == 200
    for n in range(4):  # more plans, each with more goals, named by measures
        extra = LongTermPlan.make(office=cast.office, first_year=2017 + 2 * n, last_year=2018 + 2 * n, by=None)
        for text in ("A", "B", "C"):
            make_measure(cast.report).goals.add(extra.add_goal(f"{text} {n}", by=None))
    with CaptureQueriesContext(connection) as five:
        html = body(governor.get(url(cast)))
    assert html.count('<tr id="goal-') == 13
    assert len(one) == len(five) <= 15, "\n".join(q["sql"] for q in five.captured_queries)
