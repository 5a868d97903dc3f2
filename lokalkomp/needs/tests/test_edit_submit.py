"""Submitting a needs report within the deadline, the receipt, the lock, and reopening it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.needs.models import FieldEdit, Measure, NeedsReport, NeedsReportEvent, Participant
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import complete

DEADLINE = dt.date(2026, 12, 15)
BEFORE = "2026-12-10 12:00 +01:00"
LAST_EVENING = "2026-12-15 23:30 +01:00"
AFTER = "2026-12-16 08:00 +01:00"
pytestmark = pytest.mark.cast(deadline=DEADLINE)


def autosave(client, report, key, value, base):
    return client.post(
        reverse("needs:save", args=[report.pk]),
        {"key": key, key: value, f"base:{key}": base},
        headers={"HX-Request": "true"},
    )


def submit(client, report):
    return client.post(reverse("needs:submit", args=[report.pk]))


def fresh(report):
    return NeedsReport.objects.get(pk=report.pk)


def submitted(cast):
    """Submit before the deadline. Sessions last 8 hours, so tests sign in after travelling."""
    with time_machine.travel(BEFORE, tick=False):
        fresh(cast.report).submit(by=cast.owner_contact)


@pytest.fixture
def measure(cast):
    return complete(cast.report)


@pytest.fixture
def before_deadline():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def after_deadline():
    with time_machine.travel(AFTER, tick=False):
        yield


def test_a_complete_report_is_submitted_within_the_deadline(client, cast, measure, before_deadline):
    client.force_login(cast.owner_contact)
    response = submit(client, cast.report)
    assert response.status_code == 302
    assert response.url == reverse("needs:receipt", args=[cast.report.pk])
    report = fresh(cast.report)
    assert report.status == NeedsReport.Status.SUBMITTED
    event = NeedsReportEvent.objects.get(report=report, to_status="submitted")
    assert (event.from_status, event.actor) == ("draft", cast.owner_contact)
    assert str(cast.network) in event.comment


def test_the_report_can_be_submitted_late_on_the_last_day(client, cast, measure):
    with time_machine.travel(LAST_EVENING, tick=False):
        client.force_login(cast.partner_contact)
        submit(client, cast.report)
    assert fresh(cast.report).status == "submitted"


def test_the_receipt_is_mailed_once_to_every_contact_with_an_address(
    client, cast, measure, before_deadline, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.owner_contact)
    owner_side = Participant.objects.get(partnership=cast.report.partnership, side="owner")
    owner_side.contacts.create(name="Uten e-post")
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, cast.report)
    assert run_queued_tasks() == 3  # the worker sends what the submission queued: two receipts, the network's news
    assert run_queued_tasks() == 0
    mailoutbox = [m for m in mailoutbox if m.to != ["coordinator@cast.test"]]
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert all("2027" in m.subject and cast.report.partnership.name in m.subject for m in mailoutbox)
    assert all(m.alternatives and m.alternatives[0][1] == "text/html" for m in mailoutbox)


def test_the_receipt_is_in_each_contacts_own_language(
    client, cast, measure, before_deadline, mailoutbox, django_capture_on_commit_callbacks
):
    cast.partner_contact.language = "en"
    cast.partner_contact.save()
    client.force_login(cast.owner_contact)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, cast.report)
    run_queued_tasks()
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["partner_contact@cast.test"].startswith("Receipt: needs report 2027")
    assert not subjects["owner_contact@cast.test"].startswith("Receipt"), "the receipt is not translated to bokmål"


def test_no_receipt_is_sent_when_the_submission_fails(
    client, cast, before_deadline, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.owner_contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, cast.report)
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "check"])
    assert run_queued_tasks() == 0 and mailoutbox == []
    assert fresh(cast.report).status == "draft"
    assert not NeedsReportEvent.objects.filter(report=cast.report, to_status="submitted").exists()


def test_a_submitted_report_is_locked_for_autosave(client, cast, measure, before_deadline):
    client.force_login(cast.owner_contact)
    submit(client, cast.report)
    version = fresh(cast.report).version
    response = autosave(client, cast.report, f"measure:{measure.pk}:name", "Endret", base=measure.name)
    assert response.status_code == 423
    assert (
        "Behovsmeldingen er låst: den er sendt inn, eller fristen er ute. Endringen din ble ikke lagret."
        in response.content.decode()
    )
    assert Measure.objects.get(pk=measure.pk).name == "Lesing i barnehagen"
    assert fresh(cast.report).version == version
    assert not FieldEdit.objects.filter(report=cast.report).exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("add_measure", []),
        ("delete_measure", ["measure"]),
        ("move_measure", ["measure", "up"]),
        ("save_measure", ["measure"]),
        ("save_section", ["units"]),
    ],
)
def test_a_submitted_report_refuses_every_change_and_says_why(client, cast, measure, before_deadline, name, args):
    client.force_login(cast.owner_contact)
    submit(client, cast.report)
    url = reverse(f"needs:{name}", args=[cast.report.pk, *(measure.pk if a == "measure" else a for a in args)])
    response = client.post(url, {f"measure:{measure.pk}:name": "Endret"}, follow=True)
    assert response.redirect_chain[0] == (reverse("needs:report", args=[cast.report.pk]), 302)
    assert list(Measure.objects.filter(report=cast.report).values_list("name", flat=True)) == ["Lesing i barnehagen"]


def test_a_submitted_report_cannot_be_submitted_again(client, cast, measure, before_deadline):
    client.force_login(cast.owner_contact)
    submit(client, cast.report)
    response = submit(client, cast.report)
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "check"])
    assert NeedsReportEvent.objects.filter(report=cast.report, to_status="submitted").count() == 1


def test_after_the_deadline_a_draft_cannot_be_saved(client, cast, measure, after_deadline):
    client.force_login(cast.owner_contact)
    response = autosave(client, cast.report, f"measure:{measure.pk}:name", "Endret", base=measure.name)
    assert response.status_code == 423
    assert Measure.objects.get(pk=measure.pk).name == "Lesing i barnehagen"


def test_after_the_deadline_a_draft_cannot_be_submitted(client, cast, measure, after_deadline):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    response = submit(client, cast.report)
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "check"])
    assert fresh(cast.report).status == "draft"
    page = client.get(response.url).content.decode()
    assert "was 15.12.2026" in page


@pytest.mark.parametrize("who", ["coordinator", "governor"])
def test_the_network_or_the_statsforvalter_reopens_a_submitted_report(client, cast, measure, who):
    submitted(cast)
    with time_machine.travel(AFTER, tick=False):
        client.force_login(getattr(cast, who))
        response = client.post(reverse("needs:reopen", args=[cast.report.pk]), {"comment": "Rett opp beløpet"})
    assert response.status_code == 302
    report = fresh(cast.report)
    assert (report.status, report.reopened) == ("draft", True)
    event = NeedsReportEvent.objects.filter(report=report).last()
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        "submitted",
        "draft",
        getattr(cast, who),
        "Rett opp beløpet",
    )
    with time_machine.travel(AFTER, tick=False):
        client.force_login(cast.owner_contact)
        key = f"measure:{measure.pk}:name"
        assert autosave(client, cast.report, key, "Endret", base=measure.name).status_code == 200


def test_a_reopened_report_can_be_changed_and_submitted_again_after_the_deadline(
    client, cast, measure, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(cast)
    with time_machine.travel(AFTER, tick=False):
        fresh(cast.report).reopen(by=cast.coordinator)
        client.force_login(cast.partner_contact)
        key = f"measure:{measure.pk}:owner_amount"
        assert autosave(client, cast.report, key, "90 000", base="100 000").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            submit(client, cast.report)
        run_queued_tasks()
    report = fresh(cast.report)
    assert report.status == "submitted"
    assert Measure.objects.get(pk=measure.pk).owner_amount == 90_000
    assert list(NeedsReportEvent.objects.filter(report=report).values_list("to_status", flat=True)) == [
        "submitted",
        "draft",
        "submitted",
    ]
    # The first submission was made outside the client: no receipt for it; the second's two receipts.
    assert sorted(m.to[0] for m in mailoutbox if m.attachments) == [
        "owner_contact@cast.test",
        "partner_contact@cast.test",
    ]


def test_a_late_draft_can_be_reopened(client, cast, measure, after_deadline):
    client.force_login(cast.governor)
    client.post(reverse("needs:reopen", args=[cast.report.pk]))
    assert fresh(cast.report).reopened
    client.force_login(cast.owner_contact)
    assert autosave(client, cast.report, f"measure:{measure.pk}:name", "Endret", base=measure.name).status_code == 200


def test_reopening_an_open_report_again_changes_nothing(client, cast, measure):
    fresh(cast.report).reopen(by=cast.governor)
    client.force_login(cast.coordinator)
    client.post(reverse("needs:reopen", args=[cast.report.pk]))
    assert NeedsReportEvent.objects.filter(report=cast.report).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner_contact", 403),
        ("partner_contact", 403),
        ("forum_member", 403),
        ("union_rep", 403),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("other_office_governor", 404),
    ],
)
def test_others_cannot_reopen(client, cast, measure, who, status):
    submitted(cast)
    client.force_login(getattr(cast, who))
    response = client.post(reverse("needs:reopen", args=[cast.report.pk]))
    assert response.status_code == status
    report = fresh(cast.report)
    assert (report.status, report.reopened) == ("submitted", False)
    assert NeedsReportEvent.objects.filter(report=report).count() == 1


def test_an_anonymous_visitor_cannot_reopen(client, cast, measure):
    submitted(cast)
    assert client.post(reverse("needs:reopen", args=[cast.report.pk])).status_code == 404
    assert fresh(cast.report).status == "submitted"


@pytest.mark.parametrize("who", ["governor", "forum_member", "coordinator", "union_rep"])
def test_readers_cannot_submit(client, cast, measure, before_deadline, who):
    client.force_login(getattr(cast, who))
    assert submit(client, cast.report).status_code == 403
    assert fresh(cast.report).status == "draft"


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "other_office_governor"])
def test_strangers_cannot_submit(client, cast, measure, before_deadline, who):
    client.force_login(getattr(cast, who))
    assert submit(client, cast.report).status_code == 404
    assert fresh(cast.report).status == "draft"


def test_submit_and_reopen_only_answer_post(client, cast, measure):
    client.force_login(cast.owner_contact)
    assert client.get(reverse("needs:submit", args=[cast.report.pk])).status_code == 405
    client.force_login(cast.governor)
    assert client.get(reverse("needs:reopen", args=[cast.report.pk])).status_code == 405
    assert fresh(cast.report).status == "draft"


def test_the_report_page_offers_reopening_to_those_who_may(client, cast, measure):
    submitted(cast)
    url = reverse("needs:reopen", args=[cast.report.pk])
    client.force_login(cast.coordinator)
    assert url in client.get(reverse("needs:report", args=[cast.report.pk])).content.decode()
    client.force_login(cast.forum_member)
    assert url not in client.get(reverse("needs:report", args=[cast.report.pk])).content.decode()


def test_reopening_tells_the_contacts_why(client, cast, measure, mailoutbox, django_capture_on_commit_callbacks):
    submitted(cast)
    mailoutbox.clear()
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.coordinator)
        response = client.post(reverse("needs:reopen", args=[cast.report.pk]), {"comment": "Rett opp beløpet"})
    assert response.status_code == 302, response.content[:500]
    run_queued_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    assert all("Rett opp beløpet" in m.body for m in mailoutbox)
