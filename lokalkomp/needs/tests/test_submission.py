"""The preview before «Send inn», the submission, and the receipt page with its reference number."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.needs.models import NeedsReport, NeedsReportEvent, office_code
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import complete, make_measure, make_office, make_partnership, make_report, make_round

DEADLINE = dt.date(2026, 12, 15)
BEFORE = "2026-12-10 12:00 +01:00"
pytestmark = pytest.mark.cast(deadline=DEADLINE)


@pytest.fixture
def before_deadline():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def ready(cast):
    """A complete report with two measures, ready to submit."""
    complete(cast.report)
    make_measure(
        cast.report,
        70_000,
        0,
        name="Koordinator for nettverket",
        purpose="coordinator",
        anchoring="Styringsgruppa.",
        collective="Felles plan.",
        teacher_education="–",
        long_term_plan="Planen.",
        semesters=[f"{cast.round.year}-spring"],
    )
    return NeedsReport.objects.get(pk=cast.report.pk)


def page(response):
    return html.unescape(response.content.decode())


def test_the_preview_shows_every_measure_and_the_totals_and_posts_to_submit(client, cast, ready, before_deadline):
    client.force_login(cast.owner_contact)
    response = client.get(reverse("needs:preview", args=[ready.pk]))
    assert response.status_code == 200
    text = page(response)
    for measure in ready.measures.all():
        assert measure.name in text
        assert f'id="measure-{measure.pk}" open' in text, "every measure is shown open, not folded"
    assert "I hver barnehage." in text  # the measures' texts, as the report page shows them
    assert "kr\u00a0170\u00a0000" in text and "kr\u00a050\u00a0000" in text and "kr\u00a0220\u00a0000" in text
    submit_url = reverse("needs:submit", args=[ready.pk])
    assert (
        f'<form method="post" action="{submit_url}" class="lk-actions"><input type="hidden" name="csrfmiddlewaretoken"'
        in text
    )
    assert 'id="submit-report">' in text
    assert NeedsReport.objects.get(pk=ready.pk).status == "draft", "previewing submits nothing"


def test_the_preview_renders_the_same_body_as_the_report_page(client, cast, ready, before_deadline):
    client.force_login(cast.owner_contact)
    preview = page(client.get(reverse("needs:preview", args=[ready.pk])))
    report = page(client.get(reverse("needs:report", args=[ready.pk])))

    def body(text):
        start = text.index('<section aria-labelledby="header-heading">')
        return text[start : text.index('<section aria-labelledby="', text.index('id="union-heading"'))]

    def same(text):  # blank lines between sections are not the body
        return re.sub(r"\n\s*\n", "\n", text)

    assert same(body(preview).replace(" open>", ">")) == same(body(report))


def test_the_preview_of_an_incomplete_report_names_the_problems_and_cannot_submit(client, cast, before_deadline):
    make_measure(cast.report, 0, 0, name="Uferdig tiltak")
    client.force_login(cast.owner_contact)
    text = page(client.get(reverse("needs:preview", args=[cast.report.pk])))
    assert 'id="submit-report" aria-disabled="true" disabled' in text
    assert "Uferdig tiltak" in text
    assert 'id="checklist"' in text


def test_the_checklist_leads_to_the_preview(client, cast, ready, before_deadline):
    client.force_login(cast.owner_contact)
    text = page(client.get(reverse("needs:edit_section", args=[ready.pk, "check"])))
    assert f'href="{reverse("needs:preview", args=[ready.pk])}" id="preview-report">Forhåndsvis og send inn</a>' in text
    assert 'id="submit-report"' not in text, "submitting is done from the preview"


def test_a_submitted_report_has_no_preview_to_submit_again(client, cast, ready, before_deadline):
    ready.submit(by=cast.owner_contact)
    client.force_login(cast.owner_contact)
    response = client.get(reverse("needs:preview", args=[ready.pk]))
    assert (response.status_code, response.url) == (302, ready.get_absolute_url())


@pytest.mark.parametrize("who, status", [("union_rep", 403), ("coordinator", 403), ("outsider", 404)])
def test_only_those_who_may_submit_see_the_preview(client, cast, ready, before_deadline, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("needs:preview", args=[ready.pk])).status_code == status


def test_submitting_leads_to_the_receipt_page(client, cast, ready, before_deadline):
    client.force_login(cast.owner_contact)
    response = client.post(reverse("needs:submit", args=[ready.pk]))
    assert (response.status_code, response.url) == (302, reverse("needs:receipt", args=[ready.pk]))
    assert NeedsReport.objects.get(pk=ready.pk).status == "submitted"


def test_the_receipt_page_shows_the_reference_who_when_to_whom_and_what_happens_next(
    client, cast, ready, before_deadline
):
    for title, day, governs in (
        ("Nettverkene leverer sammenstilt behovsmelding", dt.date(2027, 1, 10), "network_compilation"),
        ("Endelig innstilling", dt.date(2027, 3, 18), "recommendation"),
        ("Statsforvalteren godkjenner", dt.date(2027, 4, 15), "decision"),
        ("Frist for rapport om bruk av midler", dt.date(2027, 6, 17), "reports_due"),
    ):
        Milestone.objects.create(round=cast.round, title=title, starts_on=day, governs=governs)
    client.force_login(cast.owner_contact)
    client.post(reverse("needs:submit", args=[ready.pk]))
    response = client.get(reverse("needs:receipt", args=[ready.pk]))
    assert response.status_code == 200
    text = page(response)
    reference = f"BM-2027-{office_code(cast.office.slug)}-{ready.pk:04d}-v1"
    assert f'<strong id="reference">{reference}</strong>' in text
    assert "10.12.2026 12:00" in text
    assert str(cast.owner_contact) in text
    assert f"<dt>Sendt til</dt><dd>{cast.network}</dd>" in text
    steps = text[text.index('id="next-steps"') : text.index("</ol>", text.index('id="next-steps"'))]
    assert steps.index("10.01.2027") < steps.index("18.03.2027") < steps.index("15.04.2027")
    assert f"{cast.network} sammenstiller behovsmeldingene" in steps
    assert "Frist for rapport om bruk av midler" not in steps, "reporting on last year's funds is not a next step"


def test_without_a_network_the_receipt_names_the_statsforvalter_and_skips_the_compilation(
    client, cast, before_deadline
):
    report = make_report(cast.round, make_partnership(cast.office))
    Milestone.objects.create(
        round=cast.round, title="Sammenstilling", starts_on=dt.date(2027, 1, 10), governs="network_compilation"
    )
    Milestone.objects.create(round=cast.round, title="Vedtak", starts_on=dt.date(2027, 4, 15), governs="decision")
    event = NeedsReportEvent.objects.create(
        report=report, actor=cast.governor, from_status="draft", to_status="submitted"
    )
    NeedsReport.objects.filter(pk=report.pk).update(status="submitted")
    client.force_login(cast.governor)
    text = page(client.get(reverse("needs:receipt", args=[report.pk])))
    assert f"<dt>Sendt til</dt><dd>{cast.office}</dd>" in text
    steps = text[text.index('id="next-steps"') : text.index("</ol>", text.index('id="next-steps"'))]
    assert "Sammenstilling" not in steps and "Vedtak" in steps
    assert event.reference in text


def test_the_receipt_stays_reachable_from_the_report_page(client, cast, ready, before_deadline):
    client.force_login(cast.owner_contact)
    report_url = reverse("needs:report", args=[ready.pk])
    assert 'id="receipt-link"' not in page(client.get(report_url)), "a draft never submitted has no receipt"
    client.post(reverse("needs:submit", args=[ready.pk]))
    client.force_login(cast.coordinator)
    assert f'href="{reverse("needs:receipt", args=[ready.pk])}" id="receipt-link"' in page(client.get(report_url))
    assert client.get(reverse("needs:receipt", args=[ready.pk])).status_code == 200


def test_a_report_never_submitted_has_no_receipt(client, cast):
    client.force_login(cast.owner_contact)
    assert client.get(reverse("needs:receipt", args=[cast.report.pk])).status_code == 404


def test_strangers_do_not_see_the_receipt(client, cast, ready, before_deadline):
    ready.submit(by=cast.owner_contact)
    client.force_login(cast.outsider)
    assert client.get(reverse("needs:receipt", args=[ready.pk])).status_code == 404


def test_a_report_submitted_again_gets_the_next_reference_and_the_first_keeps_its_own(cast, ready, before_deadline):
    first = ready.submit(by=cast.owner_contact)
    ready.reopen(by=cast.coordinator, comment="Rett opp beløpet")
    second = ready.submit(by=cast.owner_contact)
    prefix = f"BM-2027-{office_code(cast.office.slug)}-{ready.pk:04d}"
    assert (first.reference, second.reference) == (f"{prefix}-v1", f"{prefix}-v2")
    assert NeedsReport.objects.get(pk=ready.pk).last_submission == second


def test_the_receipt_after_a_reopening_says_the_report_must_be_submitted_again(client, cast, ready, before_deadline):
    ready.submit(by=cast.owner_contact)
    ready.reopen(by=cast.coordinator)
    client.force_login(cast.owner_contact)
    text = page(client.get(reverse("needs:receipt", args=[ready.pk])))
    assert 'id="reopened-note"' in text and "-v1</strong>" in text


@pytest.mark.parametrize(
    "slug, code",
    [("nordland", "NOR"), ("troms-finnmark", "TF"), ("trondelag", "TRO"), ("ostfold-buskerud-oslo-akershus", "OBOA")],
)
def test_the_office_code_is_short_and_tells_the_offices_apart(slug, code):
    assert office_code(slug) == code


def test_the_reference_reads_year_office_report_and_submission(db):
    office = make_office("nordland")
    report = make_report(make_round(office, year=2027))
    event = NeedsReportEvent.objects.create(report=report, to_status="submitted")
    assert event.reference == f"BM-2027-NOR-{report.pk:04d}-v1"
