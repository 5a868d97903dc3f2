"""The notifications' deadline and a mail server that can be switched off.

The test modules give their cast the deadline: `pytestmark = pytest.mark.cast(deadline=DEADLINE)`.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem

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


@pytest.fixture
def before_deadline() -> Iterator[None]:
    with time_machine.travel(BEFORE, tick=False):
        yield
