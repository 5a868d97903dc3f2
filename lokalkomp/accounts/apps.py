from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lokalkomp.accounts"
    label = "accounts"
    verbose_name = _("People")

    def ready(self) -> None:
        from lokalkomp import production  # noqa: F401  (registers the deploy checks)
        from lokalkomp.directory import changes

        from . import audit
        from .models import AuditEvent

        audit.connect()
        if AuditEvent.record_change not in changes.recorders:
            changes.recorders.append(AuditEvent.record_change)  # the admin's changes go on the audit record
