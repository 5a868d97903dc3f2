from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lokalkomp.accounts"
    label = "accounts"
    verbose_name = _("People")

    def ready(self) -> None:
        from lokalkomp import production  # noqa: F401  (registers the deploy checks)
        from lokalkomp.directory import changes, seats
        from lokalkomp.directory.panels import network_sections

        from . import audit
        from .models import AuditEvent
        from .panels import network_coordinators
        from .rules import office_governors_q, seat_candidates_q

        audit.connect()
        if network_coordinators not in network_sections:
            network_sections.append(network_coordinators)  # the network's page names its coordinators
        if AuditEvent.record_change not in changes.recorders:
            changes.recorders.append(AuditEvent.record_change)  # the admin's changes go on the audit record
        if not seats.seat_people:  # a forum seat's representative: one of the office's people
            seats.seat_people.append(seats.SeatPeople(candidates=seat_candidates_q, governors=office_governors_q))
