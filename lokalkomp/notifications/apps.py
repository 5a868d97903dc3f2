from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lokalkomp.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lokalkomp.needs import announce

        from . import checks  # noqa: F401  (registers the deploy check of SITE_URL)
        from .actions import on_report_reopened, on_report_submitted

        # needs comes before this app in the import order: it announces, this app listens (in the
        # step's own transaction, see lokalkomp/needs/announce.py).
        announce.listen(announce.REPORT_SUBMITTED, on_report_submitted)
        announce.listen(announce.REPORT_REOPENED, on_report_reopened)
        # allocation too: a network's delivered compilation is told to the forum's secretariat.
        from lokalkomp.allocation import announce as allocation_announce

        from .actions import on_compilation_delivered, on_decisions_made

        allocation_announce.listen(allocation_announce.COMPILATION_DELIVERED, on_compilation_delivered)
        # and its decisions: each recipient's letter, by e-mail through the queue.
        allocation_announce.listen(allocation_announce.DECISIONS_MADE, on_decisions_made)
        # The round's work list (needs) shows a reminder button that this app sends (its registry).
        from lokalkomp.needs import panels

        from .partnership_reminders import BUTTON

        if BUTTON not in panels.partnership_reminders:
            panels.partnership_reminders.append(BUTTON)
        # reporting's follow-up: a report on the use of funds sent back for more is told to its partnership.
        from lokalkomp.reporting import followup_announce

        from .actions import on_funds_report_returned

        if on_funds_report_returned not in followup_announce.returned_listeners:
            followup_announce.returned_listeners.append(on_funds_report_returned)
