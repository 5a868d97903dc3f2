from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "lokalkomp.needs"
    label = "needs"
    verbose_name = _("Needs reports")

    def ready(self) -> None:
        from lokalkomp.accounts.audit import ChangeFeed, change_feeds

        from . import history

        change_feeds["needs"] = ChangeFeed(rows=history.feed_rows, fetch=history.feed_fetch)
