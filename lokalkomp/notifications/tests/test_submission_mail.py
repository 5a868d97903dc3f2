"""What a submission sends: the receipt with the PDF and the reference, and the news to whoever receives it."""

import re

import pytest

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs.actions import submit_report
from lokalkomp.needs.models import NeedsReport
from lokalkomp.notifications import mail
from lokalkomp.notifications.actions import notify_report_arrived
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import complete, make_partnership, make_report, make_user

from .conftest import DEADLINE

SITE = "https://lokalkomp.example.no"
pytestmark = pytest.mark.cast(deadline=DEADLINE)


@pytest.fixture
def submit(cast, before_deadline, mail_server, mailoutbox, django_capture_on_commit_callbacks, settings):
    """Submit the report as the owner's contact, run the worker, return the mails by address."""
    settings.SITE_URL = SITE

    def submit_and_send(report=None):
        report = report or cast.report
        complete(report)
        with django_capture_on_commit_callbacks(execute=True):
            event = submit_report(NeedsReport.objects.get(pk=report.pk), by=cast.owner_contact)
        run_queued_tasks()
        return event, {m.to[0]: m for m in mailoutbox}

    return submit_and_send


def test_the_receipt_carries_the_report_as_pdf_and_the_reference_number(cast, submit):
    event, mails = submit()
    receipt = mails["owner_contact@cast.test"]
    assert event.reference in receipt.subject
    assert event.reference in receipt.body and event.reference in receipt.alternatives[0][0]
    ((name, content, mimetype),) = receipt.attachments
    assert (name.endswith(".pdf"), mimetype) == (True, "application/pdf")
    assert content.startswith(b"%PDF")
    assert mails["partner_contact@cast.test"].attachments[0][1].startswith(b"%PDF")


def test_links_in_the_receipt_point_to_the_sites_public_address(cast, submit):
    _event, mails = submit()
    receipt = mails["owner_contact@cast.test"]
    links = re.findall(r"https?://\S+", receipt.body) + re.findall(r'href="([^"]+)"', receipt.alternatives[0][0])
    assert links, "the receipt links to the report and the receipt page"
    assert all(link.startswith(f"{SITE}/behovsmeldinger/{cast.report.pk}/") for link in links), links
    assert f"{SITE}/behovsmeldinger/{cast.report.pk}/kvittering/" in receipt.body
    assert ":8000" not in receipt.body + receipt.alternatives[0][0]


def test_a_trailing_slash_in_site_url_makes_no_double_slash(cast, submit, settings):
    settings.SITE_URL = f"{SITE}/"  # as someone may write it in .env; settings strips it, tests set it raw
    _event, mails = submit()
    assert f"{SITE}/behovsmeldinger/" in mails["owner_contact@cast.test"].body
    assert "//behovsmeldinger" not in mails["owner_contact@cast.test"].body


def test_the_network_coordinator_is_told_once_that_a_report_arrived(cast, submit):
    event, mails = submit()
    arrived = Notification.objects.filter(kind=Notification.Kind.REPORT_ARRIVED)
    assert [(n.email, n.status) for n in arrived] == [("coordinator@cast.test", "sent")]
    news = mails["coordinator@cast.test"]
    assert cast.report.partnership.name in news.subject and "2027" in news.subject
    assert event.reference in news.body
    assert f"{SITE}/behovsmeldinger/{cast.report.pk}/" in news.body
    assert news.attachments == [], "the coordinator opens the report on the site"
    assert notify_report_arrived(NeedsReport.objects.get(pk=cast.report.pk), event) == 0, "never twice"


def test_the_coordinator_is_told_in_their_own_language(cast, submit):
    cast.coordinator.language = "en"
    cast.coordinator.save()
    _event, mails = submit()
    news = mails["coordinator@cast.test"]
    assert news.subject.startswith("Needs report 2027 arrived from")
    assert news.extra_headers["Content-Language"] == "en"


def test_the_coordinator_hears_in_nynorsk_and_bokmal_too(cast, submit):
    cast.coordinator.language = "nn"
    cast.coordinator.save()
    _event, mails = submit()
    assert mails["coordinator@cast.test"].subject.startswith("Behovsmelding 2027 kom frå")


def test_without_a_network_the_statsforvalters_case_officers_are_told(cast, submit):
    report = make_report(cast.round, make_partnership(cast.office))
    owner = report.partnership.participants.get(side="owner")
    owner.contacts.create(name="Eier", email="eier@cast.test", user=cast.owner_contact)
    report.union_participants.create(role="Hovedtillitsvalgt", name="T")
    admin = make_user("admin@cast.test")
    Membership.objects.create(user=admin, role=Role.GOVERNOR_ADMIN, office=cast.office)
    _event, mails = submit(report)
    arrived = Notification.objects.filter(kind=Notification.Kind.REPORT_ARRIVED)
    assert [n.email for n in arrived] == ["governor@cast.test"], "the case officers; not the network, not others"
    assert str(cast.office) in mails["governor@cast.test"].body


def test_a_pdf_that_cannot_be_made_does_not_cost_the_receipt(cast, submit, monkeypatch):
    def broken(version, language, *, seconds):
        raise OSError("fonts missing")

    monkeypatch.setattr(mail, "version_pdf", broken)
    _event, mails = submit()
    receipt = mails["owner_contact@cast.test"]
    assert receipt.attachments == []
    assert Notification.objects.get(email="owner_contact@cast.test", kind="receipt").status == "sent"


@pytest.mark.parametrize(
    "url, warned",
    [("http://127.0.0.1:8000", True), ("", True), ("localhost:8000", True), ("https://lokalkomp.example.no", False)],
)
def test_the_deploy_check_wants_the_sites_public_address_for_links_in_mail(settings, url, warned):
    from lokalkomp.notifications.checks import check_site_url

    settings.SITE_URL = url
    assert [w.id for w in check_site_url()] == (["lokalkomp.W101"] if warned else [])
