"""Who may do what with a network's compilation (the `rules` library), with the Q twins for lists.

- The network's coordinators (`accounts.rules.coordinated_network_ids`) write the draft and deliver it.
- The office's Statsforvalter (GOVERNOR_ROLES) reads every compilation, drafts too, and reopens one.
- The office's forum (members, deputies, secretariat) and its readers (REPORT_READER_ROLES) read what
  was delivered, never a draft.
- The contact persons of the network's partnerships (the owners' and the UH's, by their `Contact`
  rows) read what their network delivered: the list says where their own measures stand among the
  network's, and it is what the network sends on their behalf. Not the draft.
- Everyone else: nothing (404).

A predicate is asked about a compilation, saved or not (`Compilation(round=…, network=…)` before the
first visit has made one): it reads only `network_id` and `round.office_id`.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, REPORT_READER_ROLES
from lokalkomp.accounts.rules import coordinated_network_ids, is_superuser, office_ids_with
from lokalkomp.needs.models import Contact

from ..models import CompilationVersion

__all__ = [
    "DELIVERED_READER_ROLES",
    "can_edit_compilation",
    "can_reopen_compilation",
    "can_view_compilation_draft",
    "can_view_delivered_compilation",
    "can_view_round_compilations",
    "contact_network_ids",
    "coordinates_compilation_network",
    "governs_compilation_office",
    "has_a_network_in_round",
    "is_contact_in_compilation_network",
    "reads_delivered_compilations_of_office",
    "round_compilation_networks_q",
    "sees_every_network_of_round",
    "visible_compilations_q",
]

# Office roles that read what the networks delivered (not the drafts).
DELIVERED_READER_ROLES = (*FORUM_ROLES, *REPORT_READER_ROLES)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def contact_network_ids(user: Any) -> set[int]:
    """The networks of the partnerships the user is a contact person of (read once per request object)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_lokalkomp_contact_networks", None)
    if cached is None:
        rows = Contact.objects.filter(user=user, participant__partnership__network__isnull=False)
        cached = set(rows.values_list("participant__partnership__network_id", flat=True))
        user._lokalkomp_contact_networks = cached
    return cached  # type: ignore[no-any-return]


@rules.predicate
def coordinates_compilation_network(user: Any, compilation: Any) -> bool:
    return compilation.network_id in coordinated_network_ids(user)


@rules.predicate
def governs_compilation_office(user: Any, compilation: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the compilation's office."""
    return compilation.round.office_id in office_ids_with(user, GOVERNOR_ROLES)


@rules.predicate
def reads_delivered_compilations_of_office(user: Any, compilation: Any) -> bool:
    """The forum and the readers of the compilation's office."""
    return compilation.round.office_id in office_ids_with(user, DELIVERED_READER_ROLES)


@rules.predicate
def is_contact_in_compilation_network(user: Any, compilation: Any) -> bool:
    """A contact person of one of the network's partnerships."""
    return compilation.network_id in contact_network_ids(user)


can_edit_compilation = is_superuser | coordinates_compilation_network  # order, mark, comment, deliver
can_view_compilation_draft = is_superuser | coordinates_compilation_network | governs_compilation_office
can_view_delivered_compilation = (
    can_view_compilation_draft | reads_delivered_compilations_of_office | is_contact_in_compilation_network
)
can_reopen_compilation = is_superuser | governs_compilation_office

rules.add_perm("allocation.view_compilation", can_view_compilation_draft)
rules.add_perm("allocation.view_delivered_compilation", can_view_delivered_compilation)
rules.add_perm("allocation.change_compilation", can_edit_compilation)
rules.add_perm("allocation.reopen_compilation", can_reopen_compilation)


def visible_compilations_q(user: Any) -> Q:
    """Compilations (on Compilation) the user may open: drafts as `can_view_compilation_draft`, delivered
    ones (with a version) as `can_view_delivered_compilation`."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    delivered = Q(Exists(CompilationVersion.objects.filter(compilation=OuterRef("pk"))))
    return (
        Q(network_id__in=coordinated_network_ids(user))
        | Q(round__office_id__in=office_ids_with(user, GOVERNOR_ROLES))
        | (delivered & Q(round__office_id__in=office_ids_with(user, DELIVERED_READER_ROLES)))
        | (delivered & Q(network_id__in=contact_network_ids(user)))
    )


# ── The round's compilations (one page for the office's networks) ──


@rules.predicate
def sees_every_network_of_round(user: Any, round: Any) -> bool:
    """The Statsforvalter, the forum and the readers of the round's office: every network's status."""
    return round.office_id in office_ids_with(user, (*GOVERNOR_ROLES, *DELIVERED_READER_ROLES))


@rules.predicate
def has_a_network_in_round(user: Any, round: Any) -> bool:
    """A coordinator, or a partnership's contact person, in a network of the round's office: their own rows."""
    from lokalkomp.directory.models import Network

    mine = coordinated_network_ids(user) | contact_network_ids(user)
    return bool(mine) and Network.objects.filter(pk__in=mine, office_id=round.office_id).exists()


can_view_round_compilations = is_superuser | sees_every_network_of_round | has_a_network_in_round
rules.add_perm("allocation.view_round_compilations", can_view_round_compilations)


def round_compilation_networks_q(user: Any, round: Any) -> Q:
    """The networks (on Network) whose row the round's list shows the user, as `can_view_delivered_compilation`."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser or sees_every_network_of_round(user, round):
        return Q(office_id=round.office_id)
    return Q(office_id=round.office_id, pk__in=coordinated_network_ids(user) | contact_network_ids(user))
