"""What the follow-up tells the apps after it (notifications): a registry, as needs/announce.py.

notifications comes after reporting in the year and may import it, not the other way round, so it
appends its listener here in its AppConfig.ready()::

    from lokalkomp.reporting import followup_announce
    followup_announce.returned_listeners.append(actions.on_funds_report_returned)

A listener is called with the report and its event (the return, with the Statsforvalter's comment),
inside the step's request; it queues the e-mail to the partnership's contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

returned_listeners: list[Callable[..., None]] = []


def announce_returned(report: Any, event: Any) -> None:
    for listener in returned_listeners:
        listener(report=report, event=event)


def latest_return(report: Any) -> Any:
    """The event that sent the report back for more (with its comment), while it is still returned; else None.

    The partnership's form shows its comment at the top until the report is submitted again.
    """
    if report.status != report.Status.RETURNED:
        return None
    return report.events.filter(to_status=report.Status.RETURNED).select_related("actor").order_by("-at", "-pk").first()


def funds_event_named(pk: int) -> Any:
    """The report's event an e-mail names, with its report, partnership and round (DoesNotExist if gone)."""
    from .models.funds import FundsReportEvent

    return FundsReportEvent.objects.select_related("report__partnership", "report__round__office", "actor").get(pk=pk)
