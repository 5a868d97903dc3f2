"""Each kind of message: who gets it, what it says, and in whose language."""

import datetime as dt

import pytest
from django.utils import translation

from lokalkomp.accounts.models import User
from lokalkomp.needs.models import NeedsReport, NeedsReportEvent
from lokalkomp.notifications import mail
from lokalkomp.notifications.actions import notify_receipt, notify_sent_back
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.reminders import send_reminders
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import make_round

from .conftest import DEADLINE

pytestmark = pytest.mark.cast(deadline=DEADLINE)


@pytest.fixture
def send(mail_server, mailoutbox, django_capture_on_commit_callbacks):
    """Queue with the given function, run the worker, and return the mails by address."""

    def queue_and_send(function, *args):
        with django_capture_on_commit_callbacks(execute=True):
            function(*args)
        run_queued_tasks()
        return {m.to[0]: m for m in mailoutbox}

    return queue_and_send


@pytest.fixture
def submitted(cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.SUBMITTED)
    return NeedsReportEvent.objects.create(report=cast.report, actor=cast.owner_contact, to_status="submitted")


def test_each_person_gets_the_receipt_in_their_own_language(cast, submitted, send):
    cast.owner_contact.language = "nn"
    cast.owner_contact.save()
    cast.partner_contact.language = "en"
    cast.partner_contact.save()
    email_only = cast.report.partnership.participants.get(side="owner").contacts.create(
        name="Uten konto", email="no-account@example.test"
    )
    mails = send(notify_receipt, cast.report, submitted)
    languages = {address: m.extra_headers["Content-Language"] for address, m in mails.items()}
    assert languages == {"owner_contact@cast.test": "nn", "partner_contact@cast.test": "en", email_only.email: "nb"}
    assert '<html lang="nn">' in mails["owner_contact@cast.test"].alternatives[0][0]
    assert mails["partner_contact@cast.test"].subject.startswith("Receipt: needs report 2027")
    assert "Uten konto" in mails[email_only.email].body


def test_the_rendering_runs_in_the_recipients_language(cast, submitted, mail_server, monkeypatch):
    seen = []
    render = mail.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(mail, "render_to_string", spy)
    cast.owner_contact.language = "nn"
    cast.owner_contact.save()
    notify_receipt(cast.report, submitted)
    with translation.override("en"):
        mail.build_message(Notification.objects.get(email="owner_contact@cast.test"))
    assert seen == ["nn", "nn", "nn"]


def test_a_report_sent_back_tells_the_contacts_why(cast, submitted, send):
    cast.partner_contact.language = "en"
    cast.partner_contact.save()
    report = NeedsReport.objects.get(pk=cast.report.pk)
    event = report.reopen(by=cast.coordinator, comment="Rett opp beløpet & send igjen")
    mails = send(notify_sent_back, report, event)
    assert sorted(mails) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    english = mails["partner_contact@cast.test"]
    assert english.subject.startswith("Open for changes: needs report 2027")
    assert "was sent back for changes by coordinator@cast.test" in english.body
    assert "Rett opp beløpet & send igjen" in english.body, "plain text is not HTML-escaped"
    assert "Rett opp beløpet &amp; send igjen" in english.alternatives[0][0]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("governs", ["needs_reports", "network_compilation", "reports_due"])
def test_every_reminder_renders_in_every_language(cast, submitted, send, language, governs):
    User.objects.update(language=language)
    round = make_round(cast.office, year=2028) if governs == "reports_due" else cast.round
    Milestone.objects.filter(round=cast.round).delete()
    Milestone.objects.create(round=round, title="Frist", starts_on=dt.date(2028, 1, 15), governs=governs)
    if governs == "needs_reports":
        NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.DRAFT)
    if governs == "reports_due":  # due from those the round before decided to fund, and not yet reported
        from lokalkomp.reporting.funds_testing import decide
        from lokalkomp.testing import make_measure

        decide(cast.round, [make_measure(cast.report, 10_000, 5_000)])
    mails = send(send_reminders, dt.date(2028, 1, 8))
    assert mails
    for m in mails.values():
        assert "15.01.2028" in m.subject and m.extra_headers["Content-Language"] == language
        assert "&amp;" not in m.body and "15.01.2028" in m.alternatives[0][0]
    assert Notification.objects.filter(status="sent").count() == len(mails)
