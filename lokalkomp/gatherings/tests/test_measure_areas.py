"""The municipality's plan in the needs report: an owner's measure names the plan's development areas it serves.

The list is on the measure's page (needs' registry), the choice is on the report's change record, and
the submitted record keeps the areas' titles, so it says the same when the plan changes later."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lokalkomp.gatherings.models import MeasureArea, MunicipalPlan, PlanArea
from lokalkomp.needs.actions import copy_measure
from lokalkomp.needs.documents import report_pdf_html
from lokalkomp.needs.models import FieldEdit, NeedsReport, Participant
from lokalkomp.needs.records import diff
from lokalkomp.schemes.models import LongTermPlan
from lokalkomp.testing import complete, make_measure, make_organisation, make_report, make_round

FIELD = "development_areas"


@pytest.fixture
def measure(cast):
    return complete(cast.report)


def owner_of(cast):
    return cast.report.partnership.participants.get(side="owner", is_lead=True).organisation


def make_plan(owner, first=2024, last=2027, areas=("Språk og lesing", "Inkludering")):
    plan = MunicipalPlan.objects.create(owner=owner, first_year=first, last_year=last)
    for position, title in enumerate(areas, start=1):
        PlanArea.objects.create(plan=plan, title=title, position=position)
    return plan


@pytest.fixture
def plan(cast):
    return make_plan(owner_of(cast))


def area(plan, title):
    return plan.areas.get(title=title)


@pytest.fixture
def writer(client, cast):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    return client


def page_url(cast, measure):
    return reverse("needs:measure", args=[cast.report.pk, measure.pk])


def save_url(cast, measure):
    return reverse("gatherings:measure_areas", args=[cast.report.pk, measure.pk])


def text(response):
    return response.content.decode().replace("\u00a0", " ")


def chosen(measure):
    return sorted(MeasureArea.objects.filter(measure=measure).values_list("area__title", flat=True))


def submit_on_record(report):
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    return report.record_version(by=None, event=event)


def test_the_measure_page_lists_the_areas_of_each_owners_current_plan(writer, cast, measure, plan):
    second_owner = make_organisation(name="Nabokommunen")
    Participant.objects.create(partnership=cast.report.partnership, organisation=second_owner, side="owner")
    make_plan(second_owner, 2026, 2029, areas=("Regning",))
    make_plan(owner_of(cast), 2020, 2023, areas=("Gammel plan",))  # over before 2027
    make_plan(make_organisation(name="Fremmed"), 2027, 2027, areas=("Fremmed område",))
    html = text(writer.get(page_url(cast, measure)))
    section = html.split(f'id="measure-{measure.pk}-{FIELD}"')[1].split(f'id="msg-measure-{measure.pk}-{FIELD}"')[0]
    assert "Which development areas of the municipality&#x27;s plan does the measure serve?" in section
    assert f"{owner_of(cast)}: the plan for 2024–2027" in section and "Nabokommunen: the plan for 2026–2029" in section
    assert section.index("Språk og lesing") < section.index("Inkludering")
    assert "Regning" in section
    assert "Gammel plan" not in html and "Fremmed område" not in html
    assert f'action="{save_url(cast, measure)}"' in html


def test_of_two_plans_covering_the_year_the_latest_is_the_owners_current_one(writer, cast, measure, plan):
    make_plan(owner_of(cast), 2026, 2028, areas=("Ny plan",))
    section = (
        text(writer.get(page_url(cast, measure))).split(f'id="measure-{measure.pk}-{FIELD}"')[1].split("</fieldset>")[0]
    )
    assert "Ny plan" in section and "Språk og lesing" not in section


def test_without_an_owners_plan_for_the_year_the_page_has_no_areas(writer, cast, measure):
    make_plan(owner_of(cast), 2020, 2023)
    assert f'id="measure-{measure.pk}-{FIELD}"' not in text(writer.get(page_url(cast, measure)))


def test_a_choice_is_saved_on_the_reports_change_record(writer, cast, measure, plan):
    picked = [area(plan, "Språk og lesing").pk, area(plan, "Inkludering").pk]
    response = writer.post(save_url(cast, measure), {"choice": picked, "base": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved" in text(response)
    assert chosen(measure) == ["Inkludering", "Språk og lesing"]
    edit = FieldEdit.objects.get(report=cast.report, key=f"measure:{measure.pk}:{FIELD}")
    assert (edit.old_value, edit.value, edit.by) == ("", "Språk og lesing; Inkludering", cast.owner_contact)
    history = text(writer.get(reverse("needs:report", args=[cast.report.pk])))
    assert "Development areas in the municipality&#x27;s plan" in history


def test_without_javascript_the_page_comes_back_to_the_list(writer, cast, measure, plan):
    MeasureArea.objects.create(measure=measure, area=area(plan, "Inkludering"))
    response = writer.post(save_url(cast, measure), {"base": str(area(plan, "Inkludering").pk)})
    assert response.status_code == 302
    assert response["Location"] == page_url(cast, measure) + f"#measure-{measure.pk}-{FIELD}"
    assert chosen(measure) == []


def test_a_choice_from_a_page_older_than_a_co_authors_is_a_conflict(writer, cast, measure, plan):
    MeasureArea.objects.create(measure=measure, area=area(plan, "Inkludering"))
    data = {"choice": [area(plan, "Språk og lesing").pk], "base": ""}
    assert writer.post(save_url(cast, measure), data, HTTP_HX_REQUEST="true").status_code == 409
    assert chosen(measure) == ["Inkludering"]


def test_an_area_of_another_owners_plan_cannot_be_chosen(writer, cast, measure, plan):
    foreign = make_plan(make_organisation(), 2027, 2027, areas=("Fremmed",))
    data = {"choice": [area(foreign, "Fremmed").pk], "base": ""}
    assert writer.post(save_url(cast, measure), data, HTTP_HX_REQUEST="true").status_code == 422
    assert chosen(measure) == []
    bad = writer.post(save_url(cast, measure), {"choice": ["x"], "base": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422


@pytest.mark.parametrize(("who", "status"), [("coordinator", 403), ("union_rep", 403), ("outsider", 404)])
def test_only_the_reports_writers_may_choose(client, cast, measure, plan, who, status):
    client.force_login(getattr(cast, who))
    response = client.post(save_url(cast, measure), {"choice": [area(plan, "Inkludering").pk], "base": ""})
    assert response.status_code == status
    assert chosen(measure) == []


def test_the_wrong_method_is_405_and_a_submitted_report_is_locked(writer, cast, measure, plan):
    assert writer.get(save_url(cast, measure)).status_code == 405
    submit_on_record(cast.report)
    data = {"choice": [area(plan, "Inkludering").pk], "base": "", "key": f"measure:{measure.pk}:{FIELD}"}
    assert writer.post(save_url(cast, measure), data, HTTP_HX_REQUEST="true").status_code == 423
    assert chosen(measure) == []


def test_the_record_keeps_the_areas_titles_when_the_plan_changes_later(writer, cast, measure, plan):
    MeasureArea.objects.create(measure=measure, area=area(plan, "Inkludering"))
    version = submit_on_record(cast.report)
    recorded = version.data["measures"][0]["links"][FIELD]
    assert [(a["text"], a["plan"]) for a in recorded] == [("Inkludering", f"{owner_of(cast)} 2024–2027")]
    PlanArea.objects.filter(pk=area(plan, "Inkludering").pk).update(title="Omdøpt")
    area(plan, "Omdøpt").delete()  # the owner removes the area from the plan: the record still says it
    html = text(writer.get(reverse("needs:report", args=[cast.report.pk])))
    assert html.split(f'id="measure-{measure.pk}-{FIELD}">')[1].split("</ul>")[0] == "<li>Inkludering</li>"
    with translation.override("en"):
        pdf = report_pdf_html(cast.report)
    assert "<h3>Development areas in the municipality&#x27;s plan</h3>" in pdf and "<li>Inkludering</li>" in pdf


def test_what_changed_between_versions_names_the_areas(cast, measure, plan):
    first = submit_on_record(cast.report)
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.DRAFT)
    MeasureArea.objects.create(measure=measure, area=area(plan, "Språk og lesing"))
    second = submit_on_record(cast.report)
    with translation.override("en"):
        changes = [(c.label, c.old, c.new) for c in diff(first.data, second.data)]
    assert changes == [("Development areas in the municipality's plan", "–", "Språk og lesing")]


def test_a_carried_over_measure_keeps_the_areas_of_the_owners_plan_for_the_new_year(cast, plan):
    earlier = make_measure(
        make_report(make_round(cast.office, year=2025, schemes=("dekomp",)), cast.report.partnership)
    )
    old = make_plan(owner_of(cast), 2019, 2023, areas=("Gammelt",))
    for chosen_area in (area(plan, "Inkludering"), area(old, "Gammelt")):
        MeasureArea.objects.create(measure=earlier, area=chosen_area)
    report = NeedsReport.objects.select_related("round").get(pk=cast.report.pk)
    copy = copy_measure(report, earlier, by=cast.owner_contact)
    assert chosen(copy) == ["Inkludering"]


def test_the_measure_page_with_goals_and_areas_costs_the_same_for_one_area_and_many(writer, cast, measure, plan):
    LongTermPlan.make(office=cast.office, first_year=2027, last_year=2027, by=None).add_goal("Lesing", by=None)
    with CaptureQueriesContext(connection) as few:
        assert writer.get(page_url(cast, measure)).status_code == 200
    for n in range(10):
        PlanArea.objects.create(plan=plan, title=f"Område {n}", position=10 + n)
        second = make_organisation(name=f"Eier {n}")
        Participant.objects.create(partnership=cast.report.partnership, organisation=second, side="owner")
        MeasureArea.objects.create(
            measure=measure, area=make_plan(second, 2027, 2027, areas=(f"Eget {n}",)).areas.get()
        )
    with CaptureQueriesContext(connection) as many:
        html = text(writer.get(page_url(cast, measure)))
    assert html.count(f'name="choice" id="measure-{measure.pk}-{FIELD}-') == 22
    assert len(few) == len(many) <= 15, "\n".join(q["sql"] for q in many.captured_queries)


def test_the_draft_report_page_costs_the_same_for_one_choice_and_many(writer, cast, measure, plan):
    MeasureArea.objects.create(measure=measure, area=area(plan, "Inkludering"))
    url = reverse("needs:report", args=[cast.report.pk])
    with CaptureQueriesContext(connection) as few:
        assert writer.get(url).status_code == 200
    goals = LongTermPlan.make(office=cast.office, first_year=2027, last_year=2027, by=None)
    for n in range(8):
        other = make_measure(cast.report, 1, 1)
        other.goals.add(goals.add_goal(f"Mål {n}", by=None))
        MeasureArea.objects.create(measure=other, area=area(plan, "Språk og lesing"))
    with CaptureQueriesContext(connection) as many:
        assert writer.get(url).status_code == 200
    assert len(few) == len(many), "\n".join(q["sql"] for q in many.captured_queries)
