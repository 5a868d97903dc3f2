"""The people of the access matrix and their world: the cast, another partnership of the office, another office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import (
    make_governor_admin,
    make_invitation,
    make_measure,
    make_network,
    make_partnership,
    make_report,
    make_round,
    make_user,
)

PERSONAS = (
    "anonymous",
    "outsider",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "coordinator",
    "other_coordinator",
    "forum_member",
    "reader",
    "governor",
    "governor_admin",
    "other_office_governor",
)
LOGIN = "login"  # a 302 to the sign-in page

# Not the project's own pages: Django's admin and i18n, allauth's accounts, the health check.
SKIPPED_MODULES = ("django.", "allauth.")
SKIPPED_NAMES = {"health"}


# ── The world: the cast, and objects of another partnership (same office) and another office ──
# The cast's own report is a draft; the other partnership's, in another network of the office, is
# submitted (what the office's reader may read); the other office's is a draft.


@dataclass
class World:
    cast: Any
    people: dict[str, Any]
    measure: Any
    milestone: Any
    union_row: Any
    sibling_report: Any
    sibling_measure: Any
    foreign_office: Any
    foreign_round: Any
    foreign_network: Any
    foreign_report: Any
    foreign_measure: Any
    foreign_milestone: Any
    pending_invitation: Any
    used_invitation: Any
    feed: Any
    extra: dict[str, Any] = field(default_factory=dict)


SIBLING = "Nabopartnerskap Vesterheim"
SIBLING_MEASURE = "Nabotiltak om lesing"
FOREIGN = "Fremmed partnerskap Austerheim"
FOREIGN_MEASURE = "Fremmed tiltak om regning"
FOREIGN_EMAIL = "fremmed-invitert@example.test"


def build_world(cast: Any) -> World:
    cache.clear()
    deadline = timezone.localdate() + dt.timedelta(days=30)
    owner = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(owner)
    milestone = Milestone.objects.create(
        round=cast.round, title="Frist for behovsmeldinger", starts_on=deadline, governs="needs_reports"
    )
    sibling = make_report(
        cast.round, make_partnership(cast.office, Network.objects.get(memberships__user=cast.other_coordinator))
    )
    sibling.partnership.name = SIBLING
    sibling.partnership.save()
    sibling_measure = make_measure(sibling, owner=100, name=SIBLING_MEASURE)
    submit_on_record(sibling)
    foreign_office = cast.other_office_governor.memberships.get().office
    foreign_round = make_round(foreign_office, year=cast.round.year, deadline=deadline)
    foreign_network = make_network(foreign_office)
    foreign = make_report(foreign_round, make_partnership(foreign_office, foreign_network))
    foreign.partnership.name = FOREIGN
    foreign.partnership.save()
    used = make_invitation(cast.governor, email="brukt@example.test")
    used.accepted_at, used.accepted_by = timezone.now(), cast.outsider
    used.save()
    make_invitation(cast.other_office_governor, email=FOREIGN_EMAIL)
    from lokalkomp.schemes.models import CalendarFeed

    return World(
        cast=cast,
        people={
            **{name: getattr(cast, name) for name in PERSONAS if hasattr(cast, name)},
            "anonymous": None,
            "governor_admin": make_governor_admin(cast.office, "governor_admin@cast.test"),
            "reader": make_reader(cast.office),
        },
        measure=make_measure(cast.report, owner=100, name="Eget tiltak"),
        milestone=milestone,
        union_row=cast.report.union_participants.get(),
        sibling_report=sibling,
        sibling_measure=sibling_measure,
        foreign_office=foreign_office,
        foreign_round=foreign_round,
        foreign_network=foreign_network,
        foreign_report=foreign,
        foreign_measure=make_measure(foreign, owner=100, name=FOREIGN_MEASURE),
        foreign_milestone=foreign_round.milestones.get(),
        pending_invitation=make_invitation(cast.governor, email="ny-person@example.test"),
        used_invitation=used,
        feed=CalendarFeed.objects.create(user=cast.governor),
    )


def submit_on_record(report: Any) -> None:
    """The report submitted, with its event and its first version, as a submission on the site leaves it."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    report.record_version(by=None, event=event)


def make_reader(office: Any) -> Any:
    """The office's reader: reads its submitted reports, nothing else."""
    reader = make_user("reader@cast.test")
    Membership.objects.create(user=reader, role=Role.READER, office=office)
    return reader
