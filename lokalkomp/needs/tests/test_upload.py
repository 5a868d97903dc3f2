"""Uploading a filled-in form on the web makes a draft to review; bad files change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lokalkomp.accounts.models import User
from lokalkomp.demo.build import build
from lokalkomp.needs.importer.fixtures import build_docx, seed_text
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import Round


@pytest.fixture
def nordland_2024(db):
    build()
    # The demo already holds seed 003's report; an import must not overwrite it, so start without it.
    NeedsReport.objects.filter(partnership__name="God opplæring for alle", round__year=2024).delete()
    return Round.objects.get(office__slug="nordland", year=2024)


def _upload(client, round, name, data):
    return client.post(reverse("needs:import"), {"round": round.pk, "file": SimpleUploadedFile(name, data)})


def test_the_statsforvalter_imports_seed_003_as_a_draft_to_review(client, nordland_2024):
    client.force_login(User.objects.get(email="saksbehandler@lokalkomp.test"))
    response = _upload(client, nordland_2024, "behovsmelding.docx", build_docx(seed_text()))
    report = NeedsReport.objects.get(partnership__name="God opplæring for alle", round=nordland_2024)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == NeedsReport.Status.DRAFT
    assert report.measures.count() == 8
    assert report.grand_total().owner == 625_000
    assert report.grand_total().partner == 919_000
    assert "PPTYH" in report.unplaced_text


def test_a_contact_of_the_partnership_may_import_its_form(client, nordland_2024):
    client.force_login(User.objects.get(email="eier@lokalkomp.test"))
    response = _upload(client, nordland_2024, "behovsmelding.txt", seed_text().encode())
    assert response.status_code == 302
    assert NeedsReport.objects.filter(round=nordland_2024, partnership__name="God opplæring for alle").exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tom.docx", b""),
        ("skadet.docx", b"PK\x03\x04 not a zip"),
        ("oppskrift.txt", "Lapskaus: poteter, gulrot og kjøtt.".encode()),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_creates_nothing(client, nordland_2024, name, data):
    client.force_login(User.objects.get(email="saksbehandler@lokalkomp.test"))
    reports, measures = NeedsReport.objects.count(), Measure.objects.count()
    response = _upload(client, nordland_2024, name, data)
    assert response.status_code == 422
    assert 'id="import-error"' in response.content.decode()
    assert (NeedsReport.objects.count(), Measure.objects.count()) == (reports, measures)


def test_someone_outside_the_partnership_cannot_import_it(client, nordland_2024):
    client.force_login(User.objects.get(email="koordinator-ih@lokalkomp.test"))
    response = _upload(client, nordland_2024, "behovsmelding.txt", seed_text().encode())
    assert response.status_code == 422
    assert not NeedsReport.objects.filter(round=nordland_2024, partnership__name="God opplæring for alle").exists()


def test_the_upload_page_needs_a_login(client, db):
    response = client.get(reverse("needs:import"))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
