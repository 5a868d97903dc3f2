"""What the compilation shows on the pages of the apps before allocation (their registries).

- the network's page (directory): the network's compilation per round, for those who may read it;
- the round's page (schemes): a link to the round's list of compilations;
- the deadline that governs `network_compilation` (schemes): where its work is done;
- the needs app's work list and network overview: which reports are compiled, that is, in the latest
  delivered version of their network's compilation.

`registrations._register_compilation` puts these functions into the registries. Each asks the
database at most once or twice, whatever the number of networks, rounds or reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import coordinated_network_ids, office_ids_with
from lokalkomp.directory.models import Network
from lokalkomp.schemes import panels as round_page
from lokalkomp.schemes.models import Milestone, Round

from .compilation_record import CompilationRecord
from .models import Compilation, CompilationVersion
from .rules.compilation import (
    DELIVERED_READER_ROLES,
    can_view_compilation_draft,
    can_view_delivered_compilation,
    sees_every_network_of_round,
)

ROUNDS_ON_NETWORK_PAGE = 5


def _url(office: str, network: str, year: int) -> str:
    return reverse("allocation:compilation", kwargs={"office": office, "network": network, "year": year})


def network_compilations(request: HttpRequest, network: Network) -> str:
    """The network's compilation in each of the office's latest rounds (one query), for its readers."""
    user = request.user
    if not user.is_authenticated:
        return ""
    probe = Compilation(network=network, round=Round(office_id=network.office_id))
    drafts = bool(can_view_compilation_draft(user, probe))
    if not drafts and not can_view_delivered_compilation(user, probe):
        return ""
    mine = Compilation.objects.filter(round=OuterRef("pk"), network=network)
    latest = CompilationVersion.objects.filter(
        compilation__round=OuterRef("pk"), compilation__network=network
    ).order_by("-number")
    rounds = (
        Round.objects.filter(office_id=network.office_id)
        .annotate(
            lk_status=Subquery(mine.values("status")[:1]),
            lk_number=Subquery(latest.values("number")[:1]),
            lk_delivered_at=Subquery(latest.values("delivered_at")[:1]),
        )
        .order_by("-year")[:ROUNDS_ON_NETWORK_PAGE]
    )
    rows = [
        {
            "year": r.year,
            "url": _url(network.office.slug, network.slug, r.year) if drafts or r.lk_number else "",  # type: ignore[attr-defined]
            "status": r.lk_status,  # type: ignore[attr-defined]
            "number": r.lk_number,  # type: ignore[attr-defined]
            "delivered_at": r.lk_delivered_at,  # type: ignore[attr-defined]
        }
        for r in rounds
    ]
    return render_to_string(
        "allocation/_network_compilations.html", {"rows": rows, "drafts": drafts, "network": network}, request=request
    )


def round_compilations(request: HttpRequest, round: Round, networks: list[Network]) -> round_page.RoundPanel:
    """On the round's page: a link to the round's compilations, for those who may list them.

    No query of its own (the round page's budget is shared): who may list them is worked out on the
    cached roles and the networks the page has already read; each network's status is on the list.
    """
    user = request.user
    if not user.is_authenticated:
        return round_page.RoundPanel()
    _remember_slugs(user, networks)
    office_networks = {n.pk for n in networks}
    if not (
        user.is_superuser or sees_every_network_of_round(user, round) or coordinated_network_ids(user) & office_networks
    ):
        return round_page.RoundPanel()
    section = render_to_string("allocation/_round_compilations_link.html", {"round": round}, request=request)
    return round_page.RoundPanel(section=section)


def _remember_slugs(user: Any, networks: list[Network]) -> None:
    """Keep the slugs of networks a page has read on the request's user, for `milestone_url`."""
    user.__dict__.setdefault("_lokalkomp_network_slugs", {}).update({n.pk: n.slug for n in networks})


def _slugs(user: Any, ids: set[int], office_id: int) -> list[str]:
    known: dict[int, str] = user.__dict__.setdefault("_lokalkomp_network_slugs", {})
    if not ids <= set(known):
        rows = Network.objects.filter(pk__in=ids - set(known)).values_list("pk", "office_id", "slug")
        known.update({pk: slug for pk, _office, slug in rows})
        user.__dict__.setdefault("_lokalkomp_network_offices", {}).update({pk: o for pk, o, _s in rows})
    offices: dict[int, int] = user.__dict__.get("_lokalkomp_network_offices", {})
    return [known[pk] for pk in sorted(ids) if pk in known and offices.get(pk, office_id) == office_id]


def milestone_url(milestone: Milestone, user: Any) -> str:
    """Where the work of the deadline for the networks' compilations is done, for this person, or "".

    A coordinator of one network in the office goes to its compilation; the Statsforvalter, the forum
    and the readers to the round's list of compilations. Others get no link. (At most one query, none
    on the round's page, which has read the office's networks.)
    """
    if not getattr(user, "is_authenticated", False):
        return ""
    round = milestone.round
    coordinated = coordinated_network_ids(user)
    if coordinated:
        slugs = _slugs(user, coordinated, round.office_id)
        if len(slugs) == 1:
            return _url(round.office.slug, slugs[0], round.year)
    if round.office_id in office_ids_with(user, (*GOVERNOR_ROLES, *DELIVERED_READER_ROLES)) or coordinated:
        return reverse("allocation:round_compilations", kwargs={"office": round.office.slug, "year": round.year})
    return ""


# ── What needs asks: which reports are compiled ──


def _latest_versions(round: Round) -> list[dict[str, Any]]:
    """The data of the latest delivered version of each network's compilation of the round (one query)."""
    top = (
        CompilationVersion.objects.filter(compilation=OuterRef("compilation")).order_by("-number").values("number")[:1]
    )
    return list(
        CompilationVersion.objects.filter(compilation__round=round, number=Subquery(top)).values_list("data", flat=True)
    )


def compiled_report_ids(round: Round) -> set[int]:
    """The round's reports whose measures are in the latest delivered version of a network's compilation."""
    return {pk for data in _latest_versions(round) for pk in CompilationRecord.from_data(data).report_ids}


def report_marks(round: Round, report_ids: list[int]) -> dict[int, str]:
    """«Levert 10.01.2025 (versjon 2)» for each of the reports that is compiled (needs.marks)."""
    wanted = set(report_ids)
    marks: dict[int, str] = {}
    for data in _latest_versions(round):
        record = CompilationRecord.from_data(data)
        text = _("Delivered %(date)s (version %(n)s)") % {
            "date": timezone.localtime(record.delivered_at).strftime("%d.%m.%Y") if record.delivered_at else "–",
            "n": record.number,
        }
        for pk in record.report_ids & wanted:
            marks[pk] = text
    return marks
