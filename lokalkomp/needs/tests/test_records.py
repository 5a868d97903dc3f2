"""A submitted report is a record: what it said on the day stays, whatever next year's draft changes."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from lokalkomp.needs.actions import submit_report
from lokalkomp.needs.audiences import record_contacts
from lokalkomp.needs.models import (
    Contact,
    Measure,
    NeedsReport,
    NeedsReportVersion,
    Participant,
    TransitionError,
)
from lokalkomp.needs.records import diff, field_label, record_of
from lokalkomp.notifications.models import Notification
from lokalkomp.testing import complete, make_organisation, make_report, make_round

DEADLINE = dt.date(2026, 12, 15)
BEFORE = "2026-12-10 12:00 +01:00"
OLD_ACCOUNT, NEW_ACCOUNT = "76940500660", "15031234503"


def text(response) -> str:
    """The page's text with no-break spaces as plain ones, so «kr 120 000» reads as typed."""
    return response.content.decode().replace("\u00a0", " ")


def fresh(report):
    return NeedsReport.objects.get(pk=report.pk)


def with_a_complete_report(cast):
    """Three schools, a payment reference on both leads, one measure: owner kr 120 000, UH kr 50 000."""
    complete(cast.report, owner=120_000, public_schools=3, payment_reference="Lesing 2027")


pytestmark = pytest.mark.cast(deadline=DEADLINE, then=with_a_complete_report)


def submit(cast):
    with time_machine.travel(BEFORE, tick=False):
        fresh(cast.report).submit(by=cast.owner_contact)


def next_years_draft(cast):
    """The partnership's draft in the next round: it edits the partnership the submitted report was made with."""
    return make_report(make_round(cast.office, year=2028), cast.report.partnership)


def change_the_partnership(cast):
    """What next year's draft does: a new UH account number, a renamed contact, another UH."""
    partnership = cast.report.partnership
    Participant.objects.filter(partnership=partnership, side="partner", is_lead=True).update(account_number=NEW_ACCOUNT)
    Contact.objects.filter(participant__partnership=partnership, user=cast.owner_contact).update(
        name="Nytt Navn", phone="999 99 999"
    )
    Participant.objects.create(
        partnership=partnership,
        organisation=make_organisation("university", name="Nord universitet"),
        side="partner",
        is_lead=False,
    )


def test_a_submission_keeps_participants_contacts_accounts_and_measures_as_version_1(cast):
    submit(cast)
    version = NeedsReportVersion.objects.get(report=cast.report)
    assert (version.number, version.submitted_by, version.event.to_status) == (1, cast.owner_contact, "submitted")
    data = version.data
    accounts = {p["side"]: p["account_number"] for p in data["participants"] if p["is_lead"]}
    assert accounts == {"owner": "45162794918", "partner": OLD_ACCOUNT}
    assert {c["email"] for p in data["participants"] for c in p["contacts"]} == {
        cast.owner_contact.email,
        cast.partner_contact.email,
    }
    assert all(p["payment_reference"] == "Lesing 2027" and len(p["org_number"]) in (0, 9) for p in data["participants"])
    [measure] = data["measures"]
    assert (measure["name"], measure["owner_amount"], measure["partner_amount"]) == (
        "Lesing i barnehagen",
        120_000,
        50_000,
    )
    assert (data["units"]["public_schools"], data["union_discussed"]) == (3, True)
    assert [u["role"] for u in data["union_participants"]] == ["Hovedtillitsvalgt"]


def test_a_refused_submission_records_no_version(cast):
    Measure.objects.filter(report=cast.report).update(name="")
    with time_machine.travel(BEFORE, tick=False), pytest.raises(TransitionError):
        fresh(cast.report).submit(by=cast.owner_contact)
    assert not NeedsReportVersion.objects.filter(report=cast.report).exists()


def test_the_submitted_page_is_unchanged_when_next_years_draft_changes_the_partnership(client, cast):
    submit(cast)
    draft = next_years_draft(cast)
    change_the_partnership(cast)
    client.force_login(cast.partner_contact)
    page = text(client.get(reverse("needs:report", args=[cast.report.pk])))
    assert "7694.05.00660" in page and "1503.12.34503" not in page
    assert "Nord universitet" not in page and "Nytt Navn" not in page
    assert "versjon 1" in page.lower()
    live = text(client.get(reverse("needs:report", args=[draft.pk])))  # the draft shows the partnership as it is now
    assert "1503.12.34503" in live and "Nord universitet" in live and "Nytt Navn" in live


def test_the_submitted_pdf_and_excel_are_unchanged_when_the_partnership_changes(client, cast):
    submit(cast)
    next_years_draft(cast)
    change_the_partnership(cast)
    client.force_login(cast.partner_contact)
    response = client.get(reverse("needs:pdf", args=[cast.report.pk]))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)
    assert "7694.05.00660" in pdf and "1503.12.34503" not in pdf
    assert "Nord universitet" not in pdf and "Nytt Navn" not in pdf
    sheet = client.get(reverse("needs:report_xlsx", args=[cast.report.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][7] == "Lesing i barnehagen" and rows[1][9] == 120_000
    assert "Nord universitet" not in rows[1]


def test_a_submitted_report_shows_its_record_even_when_its_measures_table_is_changed_behind_its_back(client, cast):
    submit(cast)
    Measure.objects.filter(report=cast.report).update(owner_amount=999_000)  # a script, the admin, a bug
    client.force_login(cast.owner_contact)
    page = text(client.get(reverse("needs:report", args=[cast.report.pk])))
    assert "kr 120 000" in page and "kr 999 000" not in page


def test_sent_back_and_submitted_again_is_version_2_and_the_compare_page_says_what_changed(client, cast):
    submit(cast)
    fresh(cast.report).reopen(by=cast.coordinator, comment="Rett beløpet")
    Measure.objects.filter(report=cast.report).update(owner_amount=150_000)
    submit(cast)
    assert list(NeedsReportVersion.objects.filter(report=cast.report).values_list("number", flat=True)) == [1, 2]
    client.force_login(cast.owner_contact)
    page = text(client.get(reverse("needs:report", args=[cast.report.pk])))
    assert f"{reverse('needs:versions', args=[cast.report.pk])}?a=1&amp;b=2" in page
    compare = text(client.get(reverse("needs:versions", args=[cast.report.pk]), {"a": 1, "b": 2}))
    assert "kr 120 000 → kr 150 000" in compare
    assert "Lesing i barnehagen" in compare
    assert str(cast.owner_contact) in compare and "10.12.2026" in compare
    assert "kr 50 000 →" not in compare  # only what changed


def test_the_compare_page_refuses_unknown_versions_without_an_error(client, cast):
    submit(cast)
    client.force_login(cast.owner_contact)
    url = reverse("needs:versions", args=[cast.report.pk])
    assert client.get(url).status_code == 200
    for bad in ({"a": "7"}, {"b": "x"}, {"a": "١"}, {"a": "-1"}):
        assert client.get(url, bad).status_code == 404
    assert client.post(url).status_code == 405


def test_diff_labels_and_formats_each_changed_field():
    a = {
        "measures": [{"id": 1, "position": 1, "name": "Lesing", "owner_amount": 120_000, "semesters": ["2027-spring"]}]
    }
    b = {
        "measures": [{"id": 1, "position": 1, "name": "Lesing", "owner_amount": 150_000, "semesters": ["2027-autumn"]}]
    }
    changes = {(c.label, c.old, c.new) for c in diff(a, b)}
    labels = {label: (old, new) for label, old, new in changes}
    assert labels[field_label(Measure, "owner_amount")] == ("kr\u00a0120\u00a0000", "kr\u00a0150\u00a0000")
    assert labels[field_label(Measure, "semesters")] == ("Vår 2027", "Høst 2027")
    assert diff(a, a) == []


def test_versions_cannot_be_changed_or_deleted(cast):
    submit(cast)
    version = NeedsReportVersion.objects.get(report=cast.report)
    version.data = {}
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        NeedsReportVersion.objects.filter(pk=version.pk).update(data={})
    with pytest.raises(TypeError):
        NeedsReportVersion.objects.filter(pk=version.pk).delete()
    admin = site._registry[NeedsReportVersion]
    request = RequestFactory().get("/")
    request.user = cast.governor
    assert not admin.has_delete_permission(request, version) and not admin.has_change_permission(request, version)
    assert NeedsReportVersion.objects.get(pk=version.pk).data["measures"][0]["owner_amount"] == 120_000


def test_a_submitted_report_refuses_changes_at_the_model(cast):
    fresh(cast.report).assert_editable()  # a draft may change
    submit(cast)
    with pytest.raises(TransitionError):
        fresh(cast.report).assert_editable()


def test_receipts_go_to_the_contacts_of_the_record(cast):
    with time_machine.travel(BEFORE, tick=False):
        submit_report(fresh(cast.report), by=cast.owner_contact)
    receipts = set(Notification.objects.filter(kind=Notification.Kind.RECEIPT).values_list("email", flat=True))
    assert receipts == {cast.owner_contact.email, cast.partner_contact.email}
    participant = Participant.objects.get(partnership=cast.report.partnership, side="owner", is_lead=True)
    Contact.objects.create(participant=participant, name="Importert Person", email="importert@example.test")
    assert "importert@example.test" not in {c.email for c in record_contacts(fresh(cast.report))}


def test_a_draft_reads_its_live_rows_and_a_submitted_report_its_latest_version(cast):
    assert not record_of(fresh(cast.report)).is_record
    submit(cast)
    record = record_of(fresh(cast.report))
    assert record.is_record and record.version.number == 1
    assert record.lead("partner").account_number_display == "7694.05.00660"
