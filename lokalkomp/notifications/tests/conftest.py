"""The notifications' test cast and a mail server that can be switched off."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem

from lokalkomp.needs.models import NeedsReport, Participant
from lokalkomp.testing import Cast, make_cast, make_measure

DEADLINE = dt.date(2026, 12, 15)
BEFORE = "2026-12-10 12:00 +01:00"


class MailServer(locmem.EmailBackend):
    """The test outbox, with a switch: while `failure` is set, every send raises it."""

    failure: BaseException | None = None

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if MailServer.failure is not None:
            raise MailServer.failure
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings: Any, mailoutbox: list[EmailMessage]) -> Iterator[type[MailServer]]:
    settings.EMAIL_BACKEND = "lokalkomp.notifications.tests.conftest.MailServer"
    MailServer.failure = None
    yield MailServer
    MailServer.failure = None


def server_down() -> smtplib.SMTPServerDisconnected:
    return smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def complete(report: NeedsReport) -> None:
    """Fill in what the checklist asks for, so that the report can be submitted."""
    for side, account in (("owner", "45162794918"), ("partner", "76940500660")):
        Participant.objects.filter(partnership=report.partnership, side=side, is_lead=True).update(
            account_number=account
        )
    # The cast names a union participant; the report covers one school.
    NeedsReport.objects.filter(pk=report.pk).update(union_discussed=True, public_schools=1)
    report.refresh_from_db()
    make_measure(
        report,
        100_000,
        50_000,
        name="Lesing i barnehagen",
        purpose="implementation",
        anchoring="I hver barnehage.",
        collective="Lærende fellesskap.",
        teacher_education="Praksis.",
        long_term_plan="Kompetanseplanen.",
        semesters=[f"{report.round.year}-spring"],
    )


@pytest.fixture
def cast(db: Any) -> Cast:
    return make_cast(deadline=DEADLINE)


@pytest.fixture
def before_deadline() -> Iterator[None]:
    with time_machine.travel(BEFORE, tick=False):
        yield
