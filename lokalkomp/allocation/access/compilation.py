"""Compilations for a user, or 404 (a stranger) / 403 (may see, may not change). Views call these only.

A compilation is found by its network and round (`/nettverk/<office>/<network>/<year>/sammenstilling/`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Network
from lokalkomp.schemes.models import Milestone, Round, Transition

from ..models import Compilation, CompilationEntry, CompilationVersion
from ..rules.compilation import (
    can_edit_compilation,
    can_reopen_compilation,
    can_view_compilation_draft,
    can_view_delivered_compilation,
    can_view_round_compilations,
)

__all__ = [
    "get_compilation_for",
    "get_entry_for",
    "get_round_compilations_for",
    "get_version_for",
    "network_and_round",
]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def network_and_round(office: str, network: str, year: int) -> tuple[Network, Round]:
    """The network and the round of its office for the year, with the milestones; 404 if either is unknown."""
    found = Network.objects.select_related("office").filter(office__slug=office, slug=network).first()
    if found is None or not 2000 <= year <= 2100:
        raise Http404
    deadline = Milestone.objects.filter(governs=Transition.NETWORK_COMPILATION)
    round = (
        Round.objects.filter(office_id=found.office_id, year=year)
        .prefetch_related(Prefetch("milestones", queryset=deadline))
        .first()
    )
    if round is None:
        raise Http404
    round.office = found.office
    return found, round


def _existing(office: str, network: str, year: int) -> Compilation | None:
    """The compilation with its network, round, office and deadline, in one query and a prefetch."""
    if not 2000 <= year <= 2100:
        raise Http404
    deadline = Milestone.objects.filter(governs=Transition.NETWORK_COMPILATION)
    found = (
        Compilation.objects.select_related("network__office", "round__office")
        .prefetch_related(Prefetch("round__milestones", queryset=deadline))
        .filter(network__office__slug=office, network__slug=network, round__year=year)
        .filter(round__office_id=F("network__office_id"))
        .first()
    )
    return found


def get_compilation_for(
    user: Any, office: str, network: str, year: int, *, write: bool = False, reopen: bool = False
) -> tuple[Compilation, bool]:
    """The compilation and whether the user may see its draft (else only what was delivered).

    404 for a stranger; 403 for someone who may read it but asks to change it (`write`) or reopen it.
    The compilation is started the first time someone who may see its draft opens it.
    """
    compilation = _existing(office, network, year)
    if compilation is not None:
        found, round = compilation.network, compilation.round
    else:
        found, round = network_and_round(office, network, year)
    probe = compilation or Compilation(round=round, network=found)
    probe.round, probe.network = round, found
    if not can_view_delivered_compilation(user, probe):
        raise Http404
    if write and not can_edit_compilation(user, probe):
        raise PermissionDenied(_("Only the network's coordinators may change and deliver its compilation."))
    if reopen and not can_reopen_compilation(user, probe):
        raise PermissionDenied(_("Only the Statsforvalter may reopen a compilation."))
    drafts = bool(can_view_compilation_draft(user, probe))
    if compilation is None and drafts:
        compilation = Compilation.of(round, found, by=user)
    return compilation or probe, drafts


def get_entry_for(compilation: Compilation, pk: int) -> CompilationEntry:
    """One measure of the compilation's list (404 for another compilation's, or one that is gone)."""
    if not 0 < pk < ID_MAX or compilation.pk is None:
        raise Http404
    entry = compilation.entries.select_related("measure__scheme", "measure__report").filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def get_version_for(user: Any, office: str, network: str, year: int, number: int) -> CompilationVersion:
    """A delivered version the user may read; 404 for a stranger or a version that does not exist."""
    compilation, _drafts = get_compilation_for(user, office, network, year)
    if compilation.pk is None or not 0 < number < ID_MAX:
        raise Http404
    version = compilation.versions.select_related("delivered_by").filter(number=number).first()
    if version is None:
        raise Http404
    version.compilation = compilation
    return version


def get_round_compilations_for(user: Any, office: str, year: int) -> Round:
    """The round whose compilations the user may list; 404 unknown, 403 for someone with no network in it
    (the round itself is public, so they are told no, not that it does not exist)."""
    if not 2000 <= year <= 2100:
        raise Http404
    round = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if round is None:
        raise Http404
    if not can_view_round_compilations(user, round):
        raise PermissionDenied(
            _("The round's compilations are for the Statsforvalter, the forum and the networks of the office.")
        )
    return round
