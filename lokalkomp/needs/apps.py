from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "lokalkomp.needs"
    label = "needs"
    verbose_name = _("Needs reports")

    def ready(self) -> None:
        from lokalkomp.accounts import matrix
        from lokalkomp.accounts import rules as people
        from lokalkomp.accounts.audit import ChangeFeed, change_feeds
        from lokalkomp.schemes import audience

        from . import history, invitations
        from . import matrix as needs_matrix
        from . import rules as needs_rules

        change_feeds["needs"] = ChangeFeed(rows=history.feed_rows, fetch=history.feed_fetch)
        # What accounts and schemes ask of partnerships, without importing this app (their registries):
        people.invitation_kinds.update(invitations.KINDS)  # inviting a partnership's contact persons
        people.office_people_q["needs"] = needs_rules.partnership_people_q  # an office's people include them
        audience.partnership_offices["needs"] = needs_rules.partnership_office_ids  # the calendar's audience
        matrix.sections["needs"] = needs_matrix.SECTION  # the role matrix's columns of needs' permissions
        from lokalkomp.schemes import long_term_plans

        from . import goals

        long_term_plans.goal_uses["needs"] = goals.use_counts  # a goal that measures name is not removed
        from lokalkomp.accounts import navigation

        from .navigation import my_reports

        if my_reports not in navigation.providers:
            navigation.providers.append(my_reports)  # the header's «My needs reports»
        from . import panels  # noqa: F401  the reports on the round, network and start pages (their registries)
