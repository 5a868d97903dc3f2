"""A measure names the goals of the office's long-term plan it serves: on its page, in its change record,
in the submitted record (its page, its PDF, what changed between versions) and when it is carried over."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lokalkomp.needs.actions import copy_measure
from lokalkomp.needs.documents import report_pdf_html
from lokalkomp.needs.models import FieldEdit, NeedsReport
from lokalkomp.needs.records import diff
from lokalkomp.schemes.models import LongTermPlan
from lokalkomp.testing import complete, make_measure, make_report, make_round


@pytest.fixture
def measure(cast):
    return complete(cast.report)


@pytest.fixture
def plan(cast):
    """The office's plan for 2023–2027 (the cast's round is 2027) with three goals."""
    plan = LongTermPlan.make(office=cast.office, first_year=2023, last_year=2027, by=None)
    for text in ("Lesing og skriving", "Inkludering", "Profesjonsfellesskap"):
        plan.add_goal(text, by=None)
    return plan


def goal(plan, text):
    return plan.goals.get(text=text)


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    return client


def page_url(cast, measure):
    return reverse("needs:measure", args=[cast.report.pk, measure.pk])


def save_url(cast, measure):
    return reverse("needs:save_measure_goals", args=[cast.report.pk, measure.pk])


def text(response):
    return response.content.decode().replace("\u00a0", " ")


def chosen(measure):
    return sorted(measure.goals.values_list("text", flat=True))


def submit_on_record(report):
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    return report.record_version(by=None, event=event)


def test_the_measure_page_lists_the_goals_of_the_plan_for_the_rounds_year(owner, cast, measure, plan):
    LongTermPlan.make(office=cast.office, first_year=2028, last_year=2030, by=None).add_goal("Neste plan", by=None)
    other_office = cast.other_office_governor.memberships.get().office
    LongTermPlan.make(office=other_office, first_year=2027, last_year=2027, by=None).add_goal("Fremmed mål", by=None)
    measure.goals.add(goal(plan, "Inkludering"))
    html = text(owner.get(page_url(cast, measure)))
    section = html.split(f'id="measure-{measure.pk}-goals"')[1].split(f'id="msg-measure-{measure.pk}-goals"')[0]
    assert "Which goals of the long-term plan does the measure serve?" in section
    assert "Long-term plan 2023–2027" in section
    assert section.index("Lesing og skriving") < section.index("Inkludering") < section.index("Profesjonsfellesskap")
    assert f'value="{goal(plan, "Inkludering").pk}" checked' in section
    assert "Neste plan" not in html and "Fremmed mål" not in html
    # beside the question it answers, the free text stays for the explanation
    assert html.index(f'id="measure-{measure.pk}-long_term_plan"') < html.index(f'id="measure-{measure.pk}-goals"')
    assert f'<form id="measure-{measure.pk}-goals-form" method="post" action="{save_url(cast, measure)}"' in html


def test_without_a_plan_for_the_year_the_page_has_no_goals_to_choose(owner, cast, measure):
    assert f'id="measure-{measure.pk}-goals"' not in text(owner.get(page_url(cast, measure)))


def test_a_choice_is_saved_with_htmx_and_written_in_the_change_record(owner, cast, measure, plan):
    picked = [goal(plan, "Lesing og skriving").pk, goal(plan, "Profesjonsfellesskap").pk]
    response = owner.post(save_url(cast, measure), {"choice": picked, "base": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved" in text(response)
    assert f'id="base-measure-{measure.pk}-goals" name="base" value="{",".join(map(str, sorted(picked)))}"' in text(
        response
    )
    assert chosen(measure) == ["Lesing og skriving", "Profesjonsfellesskap"]
    edit = FieldEdit.objects.get(report=cast.report, key=f"measure:{measure.pk}:goals")
    assert (edit.old_value, edit.value, edit.by) == ("", "Lesing og skriving; Profesjonsfellesskap", cast.owner_contact)
    assert NeedsReport.objects.get(pk=cast.report.pk).version > cast.report.version


def test_without_javascript_the_choice_is_saved_and_the_page_comes_back_to_the_list(owner, cast, measure, plan):
    measure.goals.add(goal(plan, "Inkludering"))
    base = str(goal(plan, "Inkludering").pk)
    response = owner.post(save_url(cast, measure), {"base": base})  # every box unticked
    assert response.status_code == 302
    assert response["Location"] == page_url(cast, measure) + f"#measure-{measure.pk}-goals"
    assert chosen(measure) == []
    assert FieldEdit.objects.get(key=f"measure:{measure.pk}:goals").old_value == "Inkludering"


def test_the_same_choice_again_writes_nothing(owner, cast, measure, plan):
    measure.goals.add(goal(plan, "Inkludering"))
    base = str(goal(plan, "Inkludering").pk)
    response = owner.post(save_url(cast, measure), {"choice": [base], "base": base}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not FieldEdit.objects.filter(key=f"measure:{measure.pk}:goals").exists()


def test_a_choice_made_on_a_page_older_than_a_co_authors_is_refused_as_a_conflict(owner, cast, measure, plan):
    measure.goals.add(goal(plan, "Inkludering"))  # a co-author's tick after this page was read
    data = {"choice": [goal(plan, "Lesing og skriving").pk], "base": ""}
    response = owner.post(save_url(cast, measure), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Someone else changed this choice" in text(response)
    assert chosen(measure) == ["Inkludering"]


@pytest.mark.parametrize("value", ["not-a-number", "-1", "1" * 30])
def test_a_value_a_checkbox_never_sends_is_refused(owner, cast, measure, plan, value):
    response = owner.post(save_url(cast, measure), {"choice": [value], "base": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert chosen(measure) == []


def test_a_goal_of_another_offices_plan_cannot_be_chosen(owner, cast, measure, plan):
    other_office = cast.other_office_governor.memberships.get().office
    foreign = LongTermPlan.make(office=other_office, first_year=2027, last_year=2027, by=None)
    foreign_goal = foreign.add_goal("Fremmed mål", by=None)
    response = owner.post(save_url(cast, measure), {"choice": [foreign_goal.pk], "base": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Choose among the options shown." in text(response)
    assert chosen(measure) == []
    assert not FieldEdit.objects.filter(key=f"measure:{measure.pk}:goals").exists()


def test_a_goal_chosen_before_the_plan_changed_is_marked_and_may_be_kept_not_chosen_anew(owner, cast, measure, plan):
    old = LongTermPlan.make(office=cast.office, first_year=2019, last_year=2022, by=None)
    kept = old.add_goal("Gammelt mål", by=None)
    unticked = old.add_goal("Enda et gammelt mål", by=None)
    measure.goals.add(kept)
    html = text(owner.get(page_url(cast, measure)))
    assert 'Gammelt mål <span class="lk-muted">(not in the plan for 2027)</span>' in html
    assert "Enda et gammelt mål" not in html
    inclusion = goal(plan, "Inkludering").pk
    base = str(kept.pk)
    kept_too = owner.post(save_url(cast, measure), {"choice": [kept.pk, inclusion], "base": base})
    assert kept_too.status_code == 302 and chosen(measure) == ["Gammelt mål", "Inkludering"]
    base = ",".join(map(str, sorted([kept.pk, inclusion])))
    anew = owner.post(save_url(cast, measure), {"choice": [kept.pk, unticked.pk], "base": base})
    assert anew.status_code == 302 and chosen(measure) == ["Gammelt mål", "Inkludering"]


@pytest.mark.parametrize(("who", "status"), [("coordinator", 403), ("forum_member", 403), ("outsider", 404)])
def test_only_the_reports_writers_may_choose(client, cast, measure, plan, who, status):
    client.force_login(getattr(cast, who))
    response = client.post(save_url(cast, measure), {"choice": [goal(plan, "Inkludering").pk], "base": ""})
    assert response.status_code == status
    assert chosen(measure) == []


def test_the_wrong_method_is_405(owner, cast, measure):
    assert owner.get(save_url(cast, measure)).status_code == 405


def test_a_measure_of_another_report_is_404(owner, cast, measure, plan):
    other = make_measure(make_report(cast.round))
    url = reverse("needs:save_measure_goals", args=[cast.report.pk, other.pk])
    assert owner.post(url, {"choice": [goal(plan, "Inkludering").pk]}).status_code == 404


def test_a_submitted_report_is_locked(owner, cast, measure, plan):
    submit_on_record(cast.report)
    data = {"choice": [goal(plan, "Inkludering").pk], "base": "", "key": f"measure:{measure.pk}:goals"}
    assert owner.post(save_url(cast, measure), data, HTTP_HX_REQUEST="true").status_code == 423
    assert owner.post(save_url(cast, measure), data).status_code == 302  # back to the report, with why
    assert chosen(measure) == []


def test_the_submitted_record_keeps_the_goals_as_they_were_worded(owner, cast, measure, plan):
    measure.goals.add(goal(plan, "Inkludering"), goal(plan, "Lesing og skriving"))
    version = submit_on_record(cast.report)
    recorded = version.data["measures"][0]["goals"]
    assert [g["text"] for g in recorded] == ["Lesing og skriving", "Inkludering"]
    assert recorded[0]["plan"] == "2023–2027"
    goal(plan, "Inkludering").change_text("Inkludering og mangfold", by=None)
    html = text(owner.get(reverse("needs:report", args=[cast.report.pk])))
    listed = html.split(f'id="measure-{measure.pk}-goals">')[1].split("</ul>")[0]
    assert listed == "<li>Lesing og skriving</li><li>Inkludering</li>"
    assert "Goals in the long-term plan" in html


def test_the_pdf_prints_the_goals(cast, measure, plan):
    measure.goals.add(goal(plan, "Profesjonsfellesskap"))
    with translation.override("en"):
        html = report_pdf_html(cast.report)
    assert "<h3>Goals in the long-term plan</h3>" in html
    assert "<li>Profesjonsfellesskap</li>" in html


def test_what_changed_between_two_versions_names_the_goals(cast, measure, plan):
    measure.goals.add(goal(plan, "Inkludering"))
    first = submit_on_record(cast.report)
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.DRAFT)
    measure.goals.add(goal(plan, "Profesjonsfellesskap"))
    second = submit_on_record(cast.report)
    with translation.override("en"):
        changes = [(c.label, c.old, c.new) for c in diff(first.data, second.data)]
    assert changes == [("Goals in the long-term plan", "Inkludering", "Inkludering; Profesjonsfellesskap")]


def test_a_measure_without_goals_records_as_it_did_before_goals(cast, measure):
    data = submit_on_record(cast.report).data["measures"][0]
    assert "goals" not in data and "links" not in data


def test_a_measure_carried_over_keeps_the_goals_still_in_the_plan_of_the_new_year(cast, plan):
    earlier = make_measure(
        make_report(make_round(cast.office, year=2025, schemes=("dekomp",)), cast.report.partnership)
    )
    old = LongTermPlan.make(office=cast.office, first_year=2019, last_year=2022, by=None).add_goal("Gammelt", by=None)
    earlier.goals.add(goal(plan, "Inkludering"), old)
    report = NeedsReport.objects.select_related("round").get(pk=cast.report.pk)
    copy = copy_measure(report, earlier, by=cast.owner_contact)
    assert chosen(copy) == ["Inkludering"]
    assert chosen(earlier) == ["Gammelt", "Inkludering"]


def test_the_measure_page_costs_the_same_queries_for_few_goals_and_many(owner, cast, measure, plan):
    with CaptureQueriesContext(connection) as few:
        assert owner.get(page_url(cast, measure)).status_code == 200
    for n in range(12):
        measure.goals.add(plan.add_goal(f"Mål {n}", by=None))
        make_measure(cast.report, 1, 1)
    with CaptureQueriesContext(connection) as many:
        html = text(owner.get(page_url(cast, measure)))
    assert html.count(f'name="choice" id="measure-{measure.pk}-goals-') == 15
    assert len(few) == len(many) <= 15, "\n".join(q["sql"] for q in many.captured_queries)
