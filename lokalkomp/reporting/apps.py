from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lokalkomp.reporting"
    label = "reporting"
    verbose_name = _("Reporting and statistics")

    def ready(self) -> None:
        from lokalkomp.accounts import navigation

        from .funds_navigation import my_funds_reports

        if my_funds_reports not in navigation.providers:
            navigation.providers.append(my_funds_reports)  # funds: the header's «My reports»
        from . import followup_registrations

        followup_registrations.register()  # followup: claims back on allocation's payment list
        from .archive import registrations as archive_registrations

        archive_registrations.register()  # archive: document sources, the round page's link
        from .views import round_links

        round_links.register()  # the round page's «After the money» links
        # (the other rules modules are imported by the modules above; this one only by its views, so without it
        # the permission existed only once the URLconf was loaded: the role matrix saw it in a server, not in a test)
        from . import matrix as reporting_matrix
        from .rules import statistics as _statistics_rules  # noqa: F401 - registers reporting.import_history

        reporting_matrix.register()  # the role matrix's columns (docs/roles.md)
