"""Announcements: how needs tells the apps after it what happened to a report, without importing them.

The import order puts needs before the apps that react to its steps (the e-mail app queues a
receipt when a report is submitted). Such an app registers a listener in its `AppConfig.ready()`::

    announce.listen(announce.REPORT_SUBMITTED, on_report_submitted)

and the step, inside its transaction, calls::

    announce.announce(announce.REPORT_SUBMITTED, report=report, event=event)

The hook is synchronous and in process, on purpose. Each listener runs inside the step's own
transaction, before the step returns, in the order the listeners were registered. What a listener
writes (the rows of the messages to send) commits with the step or rolls back with it: a submission
that fails leaves no receipt behind, and one that succeeds always has its receipt, once. A listener
that raises makes the step fail. Work that must wait for the commit (sending the mail) is the
listener's to defer with `transaction.on_commit`. Not Django's signals: the house has no signals for
domain flow, and a named announcement with fixed keywords is found from both ends by its name.

A listener may keep the ids of what it was told and look the rows up again later (a worker renders
the mail minutes afterwards): the `*_named` functions below do that without the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from .models import NeedsReport, NeedsReportEvent, Partnership

# report=NeedsReport, event=NeedsReportEvent (the submission)
REPORT_SUBMITTED = "needs.report_submitted"
# report=NeedsReport, event=NeedsReportEvent (sent back for changes, or opened after the deadline)
REPORT_REOPENED = "needs.report_reopened"
NAMES = frozenset({REPORT_SUBMITTED, REPORT_REOPENED})

Listener = Callable[..., object]
_listeners: dict[str, list[Listener]] = {name: [] for name in NAMES}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(**keywords)` whenever `name` is announced; registering it again changes nothing."""
    if name not in NAMES:
        raise ValueError(f"needs announces no {name!r}")
    if listener not in _listeners[name]:
        _listeners[name].append(listener)


def listeners(name: str) -> list[Listener]:
    """Who listens to `name`, in the order they are called."""
    return list(_listeners[name])


def announce(name: str, **keywords: object) -> None:
    """Call every listener of `name` now, in the caller's transaction (which must be open)."""
    if name not in NAMES:
        raise ValueError(f"needs announces no {name!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} is announced outside a transaction: its listeners' rows would not go with it")
    for listener in _listeners[name]:
        listener(**keywords)


def report_named(pk: int) -> NeedsReport:
    """The report an announcement named, with its partnership, network, round and office; raises
    NeedsReport.DoesNotExist when it has been deleted since."""
    return NeedsReport.objects.select_related("partnership__network", "round__office").get(pk=pk)


def event_named(pk: int) -> NeedsReportEvent:
    """The event (a submission, a reopening) an announcement named, with its actor."""
    return NeedsReportEvent.objects.select_related("actor").get(pk=pk)


def partnerships_named(pks: Iterable[int]) -> list[Partnership]:
    """The partnerships with these ids that still exist, by name."""
    return list(Partnership.objects.filter(pk__in=list(pks)).order_by("name"))
