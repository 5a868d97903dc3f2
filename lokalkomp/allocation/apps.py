from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "lokalkomp.allocation"
    label = "allocation"
    verbose_name = _("Compilation and assessment")

    def ready(self) -> None:
        from . import registrations

        registrations.register()
