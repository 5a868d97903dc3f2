"""Telling people: `notify` queues one message; the functions below queue one kind for those it concerns.

The `on_*` listeners are what needs announces (`lokalkomp.needs.announce`, registered in
`NotificationsConfig.ready`): they run inside the step's transaction, so a step that fails queues nothing.
Reports and events are passed in by needs and typed `Any` here: this app does not import needs' models.

Every message gets a dedupe key naming what it is about and to whom, so calling a function
twice (a retried request, a second worker, a command run again) queues nothing new. Each
returns the number of messages it queued.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lokalkomp.accounts.models import User
from lokalkomp.allocation.letters import letter_contacts
from lokalkomp.needs.audiences import record_contacts, report_contacts, report_receivers

from .audiences import forum_secretariat
from .models import Notification
from .tasks import enqueue_deliveries, enqueue_delivery

Kind = Notification.Kind
logger = logging.getLogger(__name__)


def notify(
    kind: str,
    *,
    recipient: User | None = None,
    email: str | None = None,
    language: str = "",
    context: dict[str, Any],
    dedupe_key: str,
) -> Notification | None:
    """Queue a message in the recipient's language; the worker sends it once the transaction commits.

    `email` defaults to the recipient's address. Returns None when there is no address, or when
    a message with this dedupe key exists already.
    """
    address = email or (recipient.email if recipient else "")
    if not address:
        return None
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "email": address,
            "language": language or (recipient.language if recipient else "") or settings.LANGUAGE_CODE,
            "context": context,
        },
    )
    if not created:
        return None
    transaction.on_commit(partial(enqueue_delivery, notification.pk))
    return notification


def notify_all(notifications: list[Notification]) -> list[Notification]:
    """Queue many messages at once, in two queries whatever their number; those whose dedupe key exists are left out.

    For a step that tells many at once in a person's request (the round's decision letters). The
    worker is given one task for all of them after the commit (`enqueue_deliveries`).
    """
    unique = {n.dedupe_key: n for n in notifications if n.email}
    existing = set(Notification.objects.filter(dedupe_key__in=list(unique)).values_list("dedupe_key", flat=True))
    created = Notification.objects.bulk_create([n for key, n in unique.items() if key not in existing])
    if created:
        transaction.on_commit(partial(enqueue_deliveries, [n.pk for n in created]))
    return created


def send_again(notifications: QuerySet[Notification]) -> int:
    """Give failed notifications a new round of attempts (after an outage longer than the retries)."""
    queued = 0
    for pk in notifications.filter(status=Notification.Status.FAILED).values_list("pk", flat=True):
        if Notification.objects.filter(pk=pk, status=Notification.Status.FAILED).update(
            status=Notification.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        ):
            transaction.on_commit(partial(enqueue_delivery, pk))
            queued += 1
    return queued


def _to_contacts(kind: str, report: Any, about: int, contacts: Any = None, **context: Any) -> int:
    """One message per contact address of the report's partnership (one person on both sides gets one)."""
    queued = 0
    for contact in report_contacts(report) if contacts is None else contacts:
        notification = notify(
            kind,
            recipient=contact.user,
            email=contact.email,
            context={"report": report.pk, "name": contact.name, **context},
            dedupe_key=f"{kind}:{about}:{contact.email.lower()}",
        )
        queued += notification is not None
    return queued


def notify_receipt(report: Any, event: Any) -> int:
    """The receipt for a submission, to every contact the submitted report names (its record)."""
    return _to_contacts(Kind.RECEIPT, report, event.pk, contacts=record_contacts(report), event=event.pk)


def notify_report_arrived(report: Any, event: Any) -> int:
    """Tell the network's coordinator (or the Statsforvalter's case officers) that a report arrived."""
    queued = 0
    for user in report_receivers(report):
        notification = notify(
            Kind.REPORT_ARRIVED,
            recipient=user,
            context={"report": report.pk, "event": event.pk},
            dedupe_key=f"{Kind.REPORT_ARRIVED}:{event.pk}:{user.pk}",
        )
        queued += notification is not None
    return queued


def notify_sent_back(report: Any, event: Any) -> int:
    """The report was reopened (sent back for changes, or opened after the deadline), with the comment."""
    return _to_contacts(Kind.SENT_BACK, report, event.pk, event=event.pk)


def on_report_submitted(*, report: Any, event: Any) -> None:
    """needs announced a submission: the receipt to its contacts, then the news to whoever receives it."""
    notify_receipt(report, event)
    notify_report_arrived(report, event)


def on_funds_report_returned(*, report: Any, event: Any) -> None:
    """reporting's follow-up asked for more on a report on the use of funds: its partnership's contacts are told."""
    for contact in report_contacts(report):
        notify(
            "funds_returned",
            recipient=contact.user,
            email=contact.email,
            context={"funds_event": event.pk, "name": contact.name},
            dedupe_key=f"funds_returned:{event.pk}:{contact.email.lower()}",
        )


def on_report_reopened(*, report: Any, event: Any) -> None:
    """needs announced a reopening: the contacts are told why."""
    notify_sent_back(report, event)


def notify_compilation_delivered(compilation: Any, version: Any) -> int:
    """A network delivered its compilation: the forum's secretariat is told, once per delivered version."""
    queued = 0
    for user in forum_secretariat(compilation.round.office_id):
        notification = notify(
            Kind.COMPILATION_DELIVERED,
            recipient=user,
            context={"compilation": compilation.pk, "compilation_version": version.pk},
            dedupe_key=f"{Kind.COMPILATION_DELIVERED}:{version.pk}:{user.pk}",
        )
        queued += notification is not None
    return queued


def on_compilation_delivered(*, compilation: Any, version: Any, event: Any) -> None:
    """allocation announced a delivery (in its transaction): the e-mail to the forum's secretariat."""
    notify_compilation_delivered(compilation, version)


def notify_decision_letters(decisions: list[Any]) -> int:
    """One message per decision with its letter, to the recipient's contacts on record, in the decision's language form.

    The letter's PDF is made by the worker when it sends (`mail.letter_attachments`), never here: this
    runs in the Statsforvalter's request, in a fixed number of queries for any number of decisions.
    A recipient without an address gets no e-mail; the decision is in the app all the same.
    """
    contacts = letter_contacts(decisions)
    queued = []
    for decision in decisions:
        people = contacts.get(decision.pk)
        if not people:
            logger.warning("Decision %s has no address for its letter", decision.number)
            continue
        queued.append(
            Notification(
                kind=Kind.DECISION_LETTER,
                recipient=people[0].user,
                email=people[0].email,
                language=decision.language_form if decision.language_form in ("nb", "nn") else "nb",
                context={"decision": decision.pk, "name": decision.recipient_name, "to": [p.email for p in people]},
                dedupe_key=f"{Kind.DECISION_LETTER}:{decision.pk}",
            )
        )
    return len(notify_all(queued))


def on_decisions_made(*, round: Any, decisions: list[Any], by: Any) -> None:
    """allocation announced decisions (in their transaction): each recipient's letter is queued."""
    notify_decision_letters(decisions)
