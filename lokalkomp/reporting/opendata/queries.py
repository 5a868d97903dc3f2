"""The open data's rows: offices, rounds, grants (one per decision line), frames and the sums per round.

Every function reads in a fixed number of queries whatever the data size. Only public columns are read:
an organisation's name and number, the scheme, the network, the measure's title and the amounts; never
the account number, the payment reference or a person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lokalkomp.allocation.models.decision import Decision, DecisionLine
from lokalkomp.allocation.models.frame_line import FrameLine
from lokalkomp.directory.models import Office
from lokalkomp.schemes.models import Round, RoundScheme

YEAR_MIN, YEAR_MAX = 2000, 2100
OWNER, UH = "owner", "uh"  # the side of a grant in the open data (the decision's "partner" is the UH)


def offices() -> QuerySet[Office]:
    return Office.objects.order_by("name", "pk")


def _granted_in_round() -> Subquery:
    lines = (
        DecisionLine.objects.filter(decision__round=OuterRef("pk"))
        .order_by()
        .values("decision__round")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Subquery(lines)


def rounds(office: str | None = None) -> QuerySet[Round]:
    """Rounds, newest year first, with `granted` (the sum of their decisions' lines) annotated."""
    found = Round.objects.select_related("office").annotate(granted=Coalesce(_granted_in_round(), Value(0)))
    if office is not None:
        found = found.filter(office__slug=office)
    return found.order_by("-year", "office__name", "pk")


def find_round(office: str, year: int) -> Round | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    return Round.objects.select_related("office").filter(office__slug=office, year=year).first()


def grant_lines(round: Round) -> QuerySet[DecisionLine]:
    """The round's decision lines with what the open data shows of them (one query, however many)."""
    return (
        DecisionLine.objects.filter(decision__round=round)
        .select_related("decision", "scheme", "measure__report__partnership__network")
        .only(
            "amount",
            "description",
            "decision__number",
            "decision__kind",
            "decision__side",
            "decision__recipient_name",
            "decision__org_number",
            "decision__decided_at",
            "scheme__code",
            "scheme__short_name",
            "scheme__name",
            "measure__name",
            "measure__report__partnership__network__name",
            "measure__report__partnership__network__slug",
        )
        .order_by("decision__number", "pk")
    )


def side_of(decision: Decision) -> str:
    return UH if decision.side == Decision.Side.PARTNER else OWNER


def grant_row(line: DecisionLine) -> dict[str, Any]:
    """One grant: a decision line as the open data shows it."""
    decision = line.decision
    side = side_of(decision)
    network = line.measure.report.partnership.network if line.measure else None
    return {
        "decision": decision.number,
        "kind": decision.kind,
        "decided_on": timezone.localtime(decision.decided_at).date(),
        "recipient": decision.recipient_name,
        "org_number": decision.org_number,
        "side": side,
        "scheme": line.scheme.code,
        "scheme_name": line.scheme.short_name or line.scheme.name,
        "network": network.name if network else "",
        "measure": line.measure.name if line.measure else line.description,
        "amount": line.amount,
        "owner_amount": line.amount if side == OWNER else 0,
        "uh_amount": line.amount if side == UH else 0,
    }


def frame_rows(round: Round) -> list[dict[str, Any]]:
    """Per scheme of the round: the frame Udir gave, the pool's and the extra money's lines, and what was granted
    (three queries)."""
    schemes = list(RoundScheme.objects.filter(round=round).select_related("scheme"))
    lines: dict[tuple[int, str], int] = {
        (fl.scheme_id, fl.kind): fl.amount for fl in FrameLine.objects.filter(round=round)
    }
    granted = dict(
        DecisionLine.objects.filter(decision__round=round)
        .order_by()
        .values("scheme")
        .annotate(s=Sum("amount"))
        .values_list("scheme", "s")
    )
    return [
        {
            "scheme": rs.scheme.code,
            "scheme_name": rs.scheme.short_name or rs.scheme.name,
            "frame": rs.budget,
            "pool": lines.get((rs.scheme_id, FrameLine.Kind.POOL), 0),
            "extra": lines.get((rs.scheme_id, FrameLine.Kind.EXTRA), 0),
            "granted": int(granted.get(rs.scheme_id) or 0),
        }
        for rs in schemes
    ]


@dataclass
class Summary:
    """A round's grants summed per scheme, network and recipient, and each recipient's measures."""

    total: int = 0
    owner: int = 0
    uh: int = 0
    per_scheme: dict[str, int] = field(default_factory=dict)
    per_network: dict[str, int] = field(default_factory=dict)
    recipients: list[dict[str, Any]] = field(default_factory=list)


def summary(rows: list[dict[str, Any]]) -> Summary:
    """The sums of the grant rows (no query): derived, never stored."""
    result = Summary()
    scheme: dict[str, int] = defaultdict(int)
    network: dict[str, int] = defaultdict(int)
    recipients: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        result.total += row["amount"]
        result.owner += row["owner_amount"]
        result.uh += row["uh_amount"]
        scheme[row["scheme_name"]] += row["amount"]
        network[row["network"]] += row["amount"]
        key = (row["recipient"], row["org_number"])
        entry = recipients.setdefault(
            key,
            {
                "recipient": row["recipient"],
                "org_number": row["org_number"],
                "side": row["side"],
                "total": 0,
                "measures": [],
            },
        )
        entry["total"] += row["amount"]
        entry["measures"].append(row)
    result.per_scheme = dict(sorted(scheme.items()))
    result.per_network = dict(sorted(network.items()))
    result.recipients = sorted(recipients.values(), key=lambda e: (e["recipient"], e["org_number"]))
    return result
