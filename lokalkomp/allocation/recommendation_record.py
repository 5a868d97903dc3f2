"""What a recommendation version keeps (`RecommendationVersion.data`), and how it is read back.

The shape, one dict per line, in the order of scheme, network and the network's priority:

    {"measure": pk, "report": pk, "report_version": n, "partnership": name,
     "network": {"pk", "name"}, "scheme": {"code", "short_name", "name"},
     "name": the measure's name, "priority": the network's place or None,
     "asked_owner": kr, "asked_partner": kr, "owner_amount": kr, "partner_amount": kr, "reason": text}

plus "frames" (per scheme: the frame and each network's share where a key divides it) and
"meeting" (the step's date, those present and how it was decided). `report_version` is the
number of the submitted report's version the line was recommended on: decisions read the payees
and their accounts from that version's record, never from the live partnership.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Max

if TYPE_CHECKING:
    from .models.recommendation import Recommendation, RecommendationStep, RecommendationVersion


@dataclass(frozen=True)
class RecordedLine:
    measure: int
    report: int
    report_version: int | None
    partnership: str
    network_pk: int | None
    network: str
    scheme_code: str
    scheme: str
    name: str
    priority: int | None
    asked_owner: int
    asked_partner: int
    owner_amount: int
    partner_amount: int
    reason: str

    @property
    def total(self) -> int:
        return self.owner_amount + self.partner_amount

    @property
    def asked_total(self) -> int:
        return self.asked_owner + self.asked_partner


def priorities(round_id: int) -> dict[int, int]:
    """Each measure's place in its network's compilation of the round (one query)."""
    from .models import CompilationEntry

    rows = CompilationEntry.objects.filter(compilation__round_id=round_id).values_list("measure_id", "position")
    return dict(rows)


def snapshot(recommendation: Recommendation, step: RecommendationStep) -> dict[str, Any]:
    """The version's data: every line as it stands, the round's frames and the meeting."""
    from lokalkomp.needs.models import NeedsReportVersion

    lines = recommendation.ordered_lines()
    places = priorities(recommendation.round_id)
    report_ids = {line.measure.report_id for line in lines}
    latest = dict(
        NeedsReportVersion.objects.filter(report_id__in=report_ids)
        .values("report_id")
        .annotate(n=Max("number"))
        .values_list("report_id", "n")
    )
    frames = recommendation.round.frames()
    return {
        "round": {"pk": recommendation.round_id, "year": recommendation.round.year},
        "status": step.to_status,
        "lines": [_line(line, places, latest) for line in lines],
        "frames": [
            {
                "scheme": {"code": f.round_scheme.scheme.code, "short_name": f.round_scheme.scheme.short_name},
                "amount": f.round_scheme.budget,
                "networks": [
                    {"pk": share.network.pk, "name": share.network.name, "amount": share.total}
                    for share in (f.division.shares if f.division else ())
                ],
            }
            for f in frames
        ],
        "meeting": {
            "date": step.meeting_date.isoformat(),
            "present": step.present,
            "decided_how": step.decided_how,
            "votes_for": step.votes_for,
            "votes_against": step.votes_against,
            "votes_blank": step.votes_blank,
            "note": step.note,
        },
    }


def _line(line: Any, places: dict[int, int], latest: dict[int, int]) -> dict[str, Any]:
    measure = line.measure
    partnership = measure.report.partnership
    network = partnership.network
    return {
        "measure": measure.pk,
        "report": measure.report_id,
        "report_version": latest.get(measure.report_id),
        "partnership": str(partnership),
        "network": {"pk": network.pk, "name": network.name} if network else None,
        "scheme": {"code": measure.scheme.code, "short_name": measure.scheme.short_name, "name": measure.scheme.name},
        "name": measure.name,
        "priority": places.get(measure.pk),
        "asked_owner": measure.owner_amount,
        "asked_partner": measure.partner_amount,
        "owner_amount": line.owner_amount or 0,
        "partner_amount": line.partner_amount or 0,
        "reason": line.reason,
    }


def lines_of(version: RecommendationVersion) -> list[RecordedLine]:
    """The version's lines, as recorded."""
    return [
        RecordedLine(
            measure=d["measure"],
            report=d["report"],
            report_version=d.get("report_version"),
            partnership=d.get("partnership", ""),
            network_pk=(d.get("network") or {}).get("pk"),
            network=(d.get("network") or {}).get("name", ""),
            scheme_code=d["scheme"]["code"],
            scheme=d["scheme"].get("short_name") or d["scheme"].get("name", ""),
            name=d.get("name", ""),
            priority=d.get("priority"),
            asked_owner=d.get("asked_owner", 0),
            asked_partner=d.get("asked_partner", 0),
            owner_amount=d.get("owner_amount", 0),
            partner_amount=d.get("partner_amount", 0),
            reason=d.get("reason", ""),
        )
        for d in version.data.get("lines", [])
    ]
