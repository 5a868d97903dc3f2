"""Uploading a filled-in form on the web makes a draft to review; bad files change nothing.

The forms are the project's own (forms.py): made-up people and numbers, in the Word form's layout. The
upload is posted as a browser posts it (issue 8): the client checks CSRF as the site does, and the file
goes with the token of the import page's form.
"""

import datetime as dt
import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lokalkomp.accounts.tests.real_flow import browser, submit
from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import Contact, Measure, NeedsReport
from lokalkomp.needs.tests.forms import (
    OWNER_ORG_NUMBER,
    PARTNER_ORG_NUMBER,
    build_docx,
    default_form,
    default_text,
    form_text,
)
from lokalkomp.testing import make_partnership, make_report, make_round, sign_in_with_two_factor


@pytest.fixture
def client():
    """A browser: CSRF is checked as on the site."""
    return browser()


def _upload(client, round, name, data, *, page=None):
    """The import page's form with the file; `page`: where the person got a form from, if not from there."""
    return submit(
        client,
        page or reverse("needs:import"),
        {"round": round.pk, "file": SimpleUploadedFile(name, data)},
        to=reverse("needs:import"),
    )


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _own_partnership_form(cast, **changes):
    """The form, naming the cast's own partnership (its two paid organisations by number)."""
    leads = {p.side: p.organisation for p in cast.report.partnership.participants.filter(is_lead=True)}
    Organisation.objects.filter(pk=leads["owner"].pk).update(org_number=OWNER_ORG_NUMBER)
    Organisation.objects.filter(pk=leads["partner"].pk).update(org_number=PARTNER_ORG_NUMBER)
    return form_text(default_form(**changes))


def test_the_statsforvalter_imports_a_word_form_as_a_draft_to_review(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    response = _upload(client, cast.round, "behovsmelding.docx", build_docx(default_text()))
    report = NeedsReport.objects.exclude(pk=cast.report.pk).get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == NeedsReport.Status.DRAFT and report.measures.count() == 3
    assert (report.grand_total().owner, report.grand_total().partner) == (210_000, 240_000)
    assert "PPTFN" in report.unplaced_text
    assert report.events.get().comment == "Importert fra behovsmelding.docx"  # bokmål, as the page shows it


def test_lines_that_could_not_be_placed_are_a_warning_not_a_success(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    response = _upload(client, cast.round, "behovsmelding.txt", default_text().encode())
    ((level, text),) = _messages(response)
    assert level == "warning"
    assert text.startswith("Skjemaet ble importert som et utkast med 3 tiltak.")
    assert "kunne ikke plasseres i et felt" in text


def test_a_form_where_everything_found_its_place_is_a_success(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    clean = default_text(
        units=" 2 1 4 0 1 ",
        network="",
        several_owners=False,
        owner_names="Fjellvik kommune",
        year="2027",
        schemes=(False, False, False),  # the round runs one scheme, which the old form does not name
        totals={"Sum": ("210 000", "240 000", "450 000")},
    )
    response = _upload(client, cast.round, "behovsmelding.txt", clean.encode())
    assert _messages(response) == [
        ("success", "Skjemaet ble importert som et utkast med 3 tiltak. Se over den før du sender den inn.")
    ]


def test_a_contact_of_the_partnership_may_import_its_form_and_is_not_added_twice(client, cast):
    other_round = make_round(cast.office, year=2028)
    text = _own_partnership_form(cast, emails=(cast.owner_contact.email, cast.partner_contact.email))
    contacts = Contact.objects.count()
    client.force_login(cast.owner_contact)
    response = _upload(client, other_round, "behovsmelding.txt", text.encode())
    assert response.status_code == 302
    report = NeedsReport.objects.get(round=other_round)
    assert report.partnership == cast.report.partnership
    assert Contact.objects.count() == contacts  # both people were on the partnership already (by e-mail)


def test_the_import_refuses_a_round_closed_for_needs_reports(client, cast):
    closed = make_round(cast.office, year=2026, deadline=dt.date(2020, 1, 15))
    sign_in_with_two_factor(client, cast.governor)
    page = client.get(reverse("needs:import")).content.decode()
    assert f'value="{closed.pk}"' not in page and f'value="{cast.round.pk}"' in page
    response = _upload(client, closed, "behovsmelding.txt", default_text().encode())
    assert response.status_code == 422
    assert "Velg en runde som er åpen for behovsmeldinger." in response.content.decode()
    assert not NeedsReport.objects.filter(round=closed).exists()


def test_an_import_into_a_submitted_report_is_refused_and_changes_nothing(client, cast):
    other_round = make_round(cast.office, year=2028)
    make_report(other_round, cast.report.partnership, status=NeedsReport.Status.SUBMITTED)
    text = _own_partnership_form(cast)
    counts = (NeedsReport.objects.count(), Measure.objects.count(), Contact.objects.count())
    client.force_login(cast.owner_contact)
    response = _upload(client, other_round, "behovsmelding.txt", text.encode())
    assert response.status_code == 422
    assert "har allerede sendt inn behovsmeldingen sin" in response.content.decode()
    assert (NeedsReport.objects.count(), Measure.objects.count(), Contact.objects.count()) == counts


def test_the_refusal_names_no_report_the_uploader_may_not_see(client, cast):
    # Another partnership of the office, which the owner contact has nothing to do with, has reported.
    theirs = make_partnership(cast.office)
    secret = make_report(cast.round, theirs)
    leads = {p.side: p.organisation for p in theirs.participants.filter(is_lead=True)}
    Organisation.objects.filter(pk=leads["owner"].pk).update(org_number=OWNER_ORG_NUMBER)
    Organisation.objects.filter(pk=leads["partner"].pk).update(org_number=PARTNER_ORG_NUMBER)
    client.force_login(cast.owner_contact)
    response = _upload(client, cast.round, "behovsmelding.txt", default_text().encode())
    page = response.content.decode()
    assert response.status_code == 422 and 'id="import-error"' in page
    assert f"nr. {secret.pk}" not in page and theirs.name not in page and str(secret) not in page
    sign_in_with_two_factor(client, cast.governor)  # who may see it is told which report it is
    response = _upload(client, cast.round, "behovsmelding.txt", default_text().encode())
    assert f"Det er behovsmelding nr. {secret.pk}." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tom.docx", b""),
        ("skadet.docx", b"PK\x03\x04 not a zip"),
        ("oppskrift.txt", "Lapskaus: poteter, gulrot og kjøtt.".encode()),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_creates_nothing(client, cast, name, data):
    sign_in_with_two_factor(client, cast.governor)
    reports, measures = NeedsReport.objects.count(), Measure.objects.count()
    response = _upload(client, cast.round, name, data)
    assert response.status_code == 422
    assert 'id="import-error"' in response.content.decode()
    assert (NeedsReport.objects.count(), Measure.objects.count()) == (reports, measures)


def test_an_upload_over_the_size_limit_is_refused_with_the_limit(client, cast, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10 * 1024
    sign_in_with_two_factor(client, cast.governor)
    response = _upload(client, cast.round, "behovsmelding.txt", default_text().encode() + b" " * 20_000)
    assert response.status_code == 422
    assert "høyst 10 kB kan importeres" in response.content.decode()
    assert NeedsReport.objects.count() == 1


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_read(client, cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 100 * 1024  # small to send, 40 MB unpacked
    sign_in_with_two_factor(client, cast.governor)
    response = _upload(client, cast.round, "behovsmelding.docx", bomb)
    assert response.status_code == 422
    assert "pakkes ut til mer enn 30 MB" in response.content.decode()


def test_my_needs_reports_links_to_the_import_for_those_who_may_import(client, cast):
    client.force_login(cast.owner_contact)
    assert 'id="import-link"' in client.get(reverse("needs:mine")).content.decode()
    client.force_login(cast.outsider)
    assert 'id="import-link"' not in client.get(reverse("needs:mine")).content.decode()


def test_someone_outside_the_partnership_cannot_import_it(client, cast):
    text = _own_partnership_form(cast)
    other_round = make_round(cast.office, year=2028)
    client.force_login(cast.outsider)
    page = client.get(reverse("needs:import")).content.decode()
    assert "<form" not in page.split("<main")[-1].split("</main>")[0]  # no round to import into: no form
    response = _upload(client, other_round, "behovsmelding.txt", text.encode(), page=reverse("account_logout"))
    assert response.status_code == 422
    assert not NeedsReport.objects.filter(round=other_round).exists()


def test_the_upload_page_needs_a_login(client, db):
    response = client.get(reverse("needs:import"))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
