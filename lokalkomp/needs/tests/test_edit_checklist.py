"""The pre-submission checklist (`checks.problems`), its rules read from the schemes, and its page."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lokalkomp.needs.checks import problems
from lokalkomp.needs.models import NeedsReport, Participant, UnionParticipant
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import make_measure, make_report, make_round

COMPLETE = {
    "purpose": "implementation",
    "anchoring": "I hver barnehage.",
    "collective": "Lærende fellesskap.",
    "teacher_education": "Praksis.",
    "long_term_plan": "Kompetanseplanen.",
    "semesters": ["2024-autumn"],
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def codes(report, now=None):
    return {p.code for p in problems(NeedsReport.objects.get(pk=report.pk), now)}


def messages(report):
    return " | ".join(p.message for p in problems(NeedsReport.objects.get(pk=report.pk)))


def ready(report, union_discussed=False):
    """Everything outside the measures and the scheme rules in place."""
    for participant, account in zip(
        Participant.objects.filter(partnership=report.partnership, is_lead=True).order_by("side"),
        ("45162794918", "76940500660"),
        strict=True,
    ):
        participant.account_number = account
        participant.save()
    NeedsReport.objects.filter(pk=report.pk).update(union_discussed=union_discussed, public_schools=2)
    return report


def scheme_report(code, year=2024, **report_values):
    report = ready(make_report(make_round(year=year, schemes=(code,))))
    NeedsReport.objects.filter(pk=report.pk).update(**report_values)
    return report


@pytest.mark.django_db
def test_a_fresh_report_lists_the_missing_measures_union_involvement_and_accounts():
    report = make_report(make_round(year=2027))
    found = codes(report)
    assert {"no-measures", "union"} <= found
    assert sum(code.startswith("account-") for code in found) == 2
    assert "The report has no measures." in messages(report)


@pytest.mark.django_db
def test_a_report_without_schemes_is_told_to_choose_them():
    report = ready(make_report(make_round(year=2027)))
    report.report_schemes.all().delete()
    assert "schemes" in codes(report)


@pytest.mark.django_db
def test_a_complete_measure_passes():
    report = scheme_report("kompetanseloftet")
    make_measure(report, 100_000, 50_000, **COMPLETE)
    assert problems(NeedsReport.objects.get(pk=report.pk)) == []


@pytest.mark.django_db
def test_a_measure_without_amounts_is_named():
    report = scheme_report("kompetanseloftet")
    measure = make_measure(report, 0, 0, **{**COMPLETE}, name="Språkløftet")
    assert codes(report) == {f"amount-{measure.pk}"}
    assert "Språkløftet has no amounts." in messages(report)


@pytest.mark.django_db
def test_a_measure_without_narratives_names_the_missing_texts():
    report = scheme_report("kompetanseloftet")
    measure = make_measure(report, 1_000, 0, **{**COMPLETE, "collective": "  ", "long_term_plan": ""}, name="Lesing")
    assert codes(report) == {f"narratives-{measure.pk}"}
    text = messages(report)
    assert text.startswith("Lesing is missing:")
    assert "collective processes" in text and "long-term plan" in text
    assert "teacher education" not in text


@pytest.mark.django_db
def test_a_coordinator_measure_needs_no_narratives():
    report = scheme_report("kompetanseloftet")
    make_measure(report, 1_000, 0, purpose="coordinator", semesters=["2024-autumn"])
    assert problems(NeedsReport.objects.get(pk=report.pk)) == []


@pytest.mark.django_db
def test_a_measure_without_semesters_or_purpose_is_named():
    report = scheme_report("kompetanseloftet")
    measure = make_measure(report, 1_000, 0, **{**COMPLETE, "semesters": [], "purpose": ""}, name="Lesing")
    assert codes(report) == {f"semesters-{measure.pk}", f"purpose-{measure.pk}"}
    assert "Lesing: say what the grant is for." in messages(report)
    assert "Lesing: choose the semesters it runs." in messages(report)


@pytest.mark.django_db
def test_a_measure_without_a_name_is_named_by_its_number():
    report = scheme_report("kompetanseloftet")
    make_measure(report, 1_000, 0, **COMPLETE)
    second = make_measure(report, 1_000, 0, **COMPLETE, name="")
    assert codes(report) == {f"name-{second.pk}"}
    assert "Measure 2 has no name." in messages(report)


def _dekomp(co_financing, form="money"):
    """A 2024 report in Desentralisert ordning asking for a state grant of kr 100 000."""
    report = scheme_report("dekomp")
    make_measure(report, 60_000, 40_000, **COMPLETE)
    report.report_schemes.update(co_financing_amount=co_financing, co_financing_form=form)
    return report


@pytest.mark.django_db
def test_co_financing_below_the_schemes_share_of_the_state_grant_is_named():
    report = _dekomp(29_999)
    assert codes(report) == {"cofinancing-dekomp"}
    text = messages(report).replace("\u00a0", " ")
    assert "Desentralisert ordning" in text and "30 %" in text
    assert "kr 30 000" in text and "kr 29 999" in text


@pytest.mark.django_db
def test_co_financing_of_exactly_the_schemes_share_passes():
    assert codes(_dekomp(30_000)) == set()


@pytest.mark.django_db
def test_undeclared_co_financing_is_named_as_zero():
    assert codes(_dekomp(None)) == {"cofinancing-dekomp"}


@pytest.mark.django_db
def test_the_form_of_the_co_financing_must_be_stated():
    assert codes(_dekomp(30_000, form="")) == {"cofinancing-form-dekomp"}


@pytest.mark.django_db
def test_a_scheme_without_co_financing_asks_for_none():
    report = scheme_report("rekomp")
    make_measure(report, 60_000, 40_000, **COMPLETE)
    assert codes(report) == set()


@pytest.mark.django_db
def test_the_co_financing_rule_is_read_from_the_scheme_data():
    Scheme.objects.filter(code="kompetanseloftet").update(co_financing_percent=10, co_financing_basis="state_grant")
    report = scheme_report("kompetanseloftet")
    make_measure(report, 100_000, 0, **COMPLETE)
    report.report_schemes.update(co_financing_amount=9_999, co_financing_form="salary")
    assert codes(report) == {"cofinancing-kompetanseloftet"}


@pytest.mark.django_db
def test_further_education_is_refused_as_not_allowed():
    report = scheme_report("dekomp")
    measure = make_measure(report, 100_000, 0, **{**COMPLETE, "purpose": "further_education"}, name="Videreutdanning")
    report.report_schemes.update(co_financing_amount=30_000, co_financing_form="money")
    assert codes(report) == {f"use-{measure.pk}"}
    assert "Videreutdanning: Individual further education is not allowed in Desentralisert ordning." in messages(report)


@pytest.mark.django_db
def test_a_use_another_scheme_allows_is_refused_where_it_is_not_allowed():
    report = scheme_report("kompetanseloftet")
    measure = make_measure(report, 100_000, 0, **{**COMPLETE, "purpose": "trade_certificate"})
    assert codes(report) == {f"use-{measure.pk}"}


def _rekomp(capped, other):
    report = scheme_report("rekomp")
    make_measure(report, capped, 0, **{**COMPLETE, "purpose": "basic_competence"})
    make_measure(report, 0, other, **{**COMPLETE, "purpose": "assistant_courses"})
    make_measure(report, 100_000 - capped - other, 0, **COMPLETE)
    return report


@pytest.mark.django_db
def test_a_regional_scheme_cap_exceeded_is_named():
    report = _rekomp(20_000, 10_001)
    cap = Scheme.objects.get(code="rekomp").caps.get()
    assert codes(report) == {f"cap-{cap.pk}"}
    text = messages(report)
    assert "Regional ordning: at most 30 % may go to" in text
    assert "Basic kindergarten competence" in text


@pytest.mark.django_db
def test_a_regional_scheme_cap_reached_exactly_passes():
    assert codes(_rekomp(20_000, 10_000)) == set()


@pytest.mark.django_db
def test_a_passed_deadline_is_named():
    round = make_round(year=2027, deadline=dt.date(2026, 12, 15))
    report = make_report(round)
    last_minute = timezone.make_aware(dt.datetime(2026, 12, 15, 23, 59))
    next_morning = timezone.make_aware(dt.datetime(2026, 12, 16, 0, 0))
    assert "deadline" not in codes(report, last_minute)
    assert "deadline" in codes(report, next_morning)
    found = next(p for p in problems(NeedsReport.objects.get(pk=report.pk), next_morning) if p.code == "deadline")
    assert "15.12.2026" in found.message


@pytest.mark.django_db
def test_a_reopened_report_is_not_held_to_the_deadline():
    round = make_round(year=2027, deadline=dt.date(2026, 12, 15))
    report = make_report(round, reopened=True)
    assert "deadline" not in codes(report, timezone.make_aware(dt.datetime(2027, 1, 10)))


@pytest.mark.django_db
def test_union_discussion_without_participants_is_named():
    report = scheme_report("kompetanseloftet", union_discussed=True)
    make_measure(report, 1_000, 0, **COMPLETE)
    assert codes(report) == {"union-who"}
    UnionParticipant.objects.create(report=report, role="Hovedtillitsvalgt", name="Tone")
    assert codes(report) == set()


@pytest.mark.django_db
def test_a_partner_of_a_kind_the_scheme_does_not_allow_is_named():
    report = scheme_report("dekomp")
    make_measure(report, 100_000, 0, **COMPLETE)
    report.report_schemes.update(co_financing_amount=30_000, co_financing_form="money")
    partner = Participant.objects.get(partnership=report.partnership, side="partner")
    partner.organisation.kind = "vocational_college"
    partner.organisation.save()
    assert codes(report) == {f"partner-kind-{partner.pk}"}


def test_the_checklist_page_links_each_problem(client, cast, django_assert_max_num_queries):
    measure = make_measure(cast.report, 0, 0, name="Lesing")
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(40):
        response = client.get(reverse("needs:edit_section", args=[cast.report.pk, "check"]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    found = problems(NeedsReport.objects.get(pk=cast.report.pk))
    assert {p.code for p in found} >= {f"amount-{measure.pk}", f"purpose-{measure.pk}", "union"}
    for problem in found:
        assert f'<a class="ds-link" href="{problem.url}">{problem.message}</a>' in page
    assert 'id="preview-report" aria-disabled="true" disabled' in page


def test_the_checklist_page_says_a_complete_report_can_be_submitted(client, cast):
    from lokalkomp.testing import complete

    complete(cast.report)
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("needs:edit_section", args=[cast.report.pk, "check"])).content.decode()
    assert "Everything is in place. The report can be submitted." in page
    assert f'href="{reverse("needs:preview", args=[cast.report.pk])}" id="preview-report">' in page


@pytest.mark.django_db
def test_a_report_without_any_unit_count_is_named():
    report = ready(make_report(make_round(year=2027)))
    NeedsReport.objects.filter(pk=report.pk).update(public_schools=None)
    assert "units" in codes(report)
    NeedsReport.objects.filter(pk=report.pk).update(private_schools=0)
    assert "units" not in codes(report)
