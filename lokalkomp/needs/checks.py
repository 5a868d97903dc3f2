"""The pre-submission checklist: every problem of a needs report, with where to fix it.

The scheme rules (co-financing, caps, allowed uses and partner kinds) come from the
scheme's data; nothing here branches on a scheme's code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Scheme, Transition, Use

from .models import Measure, Participant, Totals

if TYPE_CHECKING:
    from .models import NeedsReport, NeedsReportScheme


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    url: str
    section: str


def problems(report: NeedsReport, now: dt.datetime | None = None) -> list[Problem]:
    """Everything that stops the report from being submitted (uses the prefetched relations)."""
    found = _deadline(report, now) + _partnership(report) + _measure_problems(report)
    found += _scheme_rules(report) + _union(report) + _units(report)
    return found


def problems_of_many(
    reports: list[NeedsReport], now: dt.datetime | None = None, *, schemes: dict[int, Scheme] | None = None
) -> dict[int, list[Problem]]:
    """The checklist of many reports at once (a network's overview), in a fixed number of queries.

    Loads what `problems` reads for all of them together: their schemes (each scheme and its caps
    once, shared by every report), the partnerships' participants, the measures, and whether anyone
    is named for the unions (asked in the reports' own query when it was annotated, as autosave does).
    Relations already loaded (prefetched, or given by the caller) are not asked again; `schemes`, by id,
    are schemes the caller has loaded (the round's).
    """
    if not reports:
        return {}
    prefetch_related_objects(
        reports, "report_schemes", Prefetch("measures", queryset=Measure.objects.select_related("second_partner"))
    )
    if not all(hasattr(r, "lk_has_union_participants") for r in reports):
        prefetch_related_objects(reports, "union_participants")
    prefetch_related_objects(
        [r.partnership for r in reports],
        Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
    )
    prefetch_related_objects(list({r.round_id: r.round for r in reports}.values()), "milestones")
    scheme_ids = {rs.scheme_id for r in reports for rs in r.report_schemes.all()}
    scheme_ids |= {m.scheme_id for r in reports for m in r.measures.all()}
    known = dict(schemes or {})
    if scheme_ids - known.keys():
        known |= Scheme.objects.in_bulk(scheme_ids - known.keys())
    prefetch_related_objects(list(known.values()), "caps")
    for report in reports:
        for row in (*report.report_schemes.all(), *report.measures.all()):
            row.scheme = known[row.scheme_id]
    return {report.pk: problems(report, now) for report in reports}


def _url(report: NeedsReport, section: str, anchor: str = "") -> str:
    return reverse("needs:edit_section", args=[report.pk, section]) + (f"#{anchor}" if anchor else "")


def _deadline(report: NeedsReport, now: dt.datetime | None) -> list[Problem]:
    why = "" if report.reopened else report.round.why_closed(Transition.NEEDS_REPORTS, now)
    if not why:
        return []
    message = _("%(why)s Ask the network or the Statsforvalter to reopen the report.") % {"why": why}
    return [Problem("deadline", message, reverse("needs:report", args=[report.pk]), "check")]


def _partnership(report: NeedsReport) -> list[Problem]:
    found = []
    participants = list(report.partnership.participants.all())
    for side, label in (("owner", _("owner")), ("partner", _("university/college"))):
        lead = next((p for p in participants if p.side == side and p.is_lead), None)
        if lead is None:
            found.append(
                Problem(
                    f"no-{side}",
                    _("The partnership has no %(side)s that receives the payment.") % {"side": label},
                    _url(report, "partnership"),
                    "partnership",
                )
            )
        elif not lead.account_number:
            found.append(
                Problem(
                    f"account-{lead.pk}",
                    _("%(org)s has no account number for the payment.") % {"org": lead.organisation},
                    _url(report, "partnership", f"participant-{lead.pk}-account_number"),
                    "partnership",
                )
            )
    if not report.report_schemes.all():
        found.append(
            Problem("schemes", _("Choose the scheme(s) the report covers."), _url(report, "partnership"), "partnership")
        )
    return found


def _measure_problems(report: NeedsReport) -> list[Problem]:
    measures = list(report.measures.all())
    if not measures:
        return [Problem("no-measures", _("The report has no measures."), _url(report, "measures"), "measures")]
    found = []
    for number, measure in enumerate(measures, start=1):
        url = reverse("needs:measure", args=[report.pk, measure.pk])
        at = f"{url}#measure-{measure.pk}-"  # the link opens the measure at the field, which place.js focuses
        label = measure.name or _("Measure %(n)s") % {"n": number}
        if not measure.name:
            found.append(
                Problem(f"name-{measure.pk}", _("Measure %(n)s has no name.") % {"n": number}, at + "name", "measures")
            )
        if measure.total_amount == 0:
            found.append(
                Problem(
                    f"amount-{measure.pk}", _("%(m)s has no amounts.") % {"m": label}, at + "owner_amount", "measures"
                )
            )
        if not measure.purpose:
            found.append(
                Problem(
                    f"purpose-{measure.pk}",
                    _("%(m)s: say what the grant is for.") % {"m": label},
                    at + "purpose",
                    "measures",
                )
            )
        found += _second_partner(measure, label, at)
        missing = [f for f in Measure.REQUIRED_NARRATIVES if not getattr(measure, f).strip()]
        if missing and measure.purpose != Use.COORDINATOR:
            labels = [str(getattr(Measure._meta.get_field(f), "verbose_name", f)) for f in missing]
            found.append(
                Problem(
                    f"narratives-{measure.pk}",
                    _("%(m)s is missing: %(fields)s.") % {"m": label, "fields": "; ".join(labels)},
                    at + missing[0],
                    "measures",
                )
            )
        if not measure.semesters:
            found.append(
                Problem(
                    f"semesters-{measure.pk}",
                    _("%(m)s: choose the semesters it runs.") % {"m": label},
                    f"{url}#f-measure-{measure.pk}-semesters",
                    "measures",
                )
            )
    return found


def _scheme_rules(report: NeedsReport) -> list[Problem]:
    totals = report.totals_by_scheme()
    found = []
    for rs in report.report_schemes.all():
        found += _co_financing(report, rs, totals.get(rs.scheme, Totals()))
        found += _uses(report, rs.scheme) + _caps(report, rs.scheme, totals.get(rs.scheme, Totals()))
        found += _partner_kinds(report, rs.scheme)
    return found


def _co_financing(report: NeedsReport, rs: NeedsReportScheme, totals: Totals) -> list[Problem]:
    scheme = rs.scheme
    required = scheme.required_co_financing(totals.total)
    if not required:
        return []
    declared = rs.co_financing_amount or 0
    url = _url(report, "measures", f"cofinancing-{rs.pk}")
    found = []
    if declared < required:
        message = _(
            "%(scheme)s: the owner's co-financing must be at least %(percent)s %% of the state grant, "
            "kr %(required)s; the report declares kr %(declared)s."
        )
        found.append(
            Problem(
                f"cofinancing-{scheme.code}",
                message
                % {
                    "scheme": scheme.short_name,
                    "percent": scheme.co_financing_percent,
                    "required": f"{required:,}".replace(",", "\u00a0"),
                    "declared": f"{declared:,}".replace(",", "\u00a0"),
                },
                url,
                "measures",
            )
        )
    if not rs.co_financing_form:
        found.append(
            Problem(
                f"cofinancing-form-{scheme.code}",
                _("%(scheme)s: say whether the co-financing is money or salary/release time.")
                % {"scheme": scheme.short_name},
                url,
                "measures",
            )
        )
    return found


def _uses(report: NeedsReport, scheme: Scheme) -> list[Problem]:
    found = []
    for measure in report.measures.all():
        if measure.scheme_id != scheme.pk or not measure.purpose:
            continue
        if not scheme.allows_use(measure.purpose):
            found.append(
                Problem(
                    f"use-{measure.pk}",
                    _("%(m)s: %(use)s is not allowed in %(scheme)s.")
                    % {
                        "m": measure.name,
                        "use": measure.get_purpose_display(),
                        "scheme": scheme.short_name,
                    },
                    reverse("needs:measure", args=[report.pk, measure.pk]) + f"#measure-{measure.pk}-purpose",
                    "measures",
                )
            )
    return found


def _caps(report: NeedsReport, scheme: Scheme, totals: Totals) -> list[Problem]:
    found = []
    for cap in scheme.caps.all():
        capped = sum(
            m.total_amount for m in report.measures.all() if m.scheme_id == scheme.pk and m.purpose in cap.uses
        )
        if capped * 100 > totals.total * cap.percent:
            found.append(
                Problem(
                    f"cap-{cap.pk}",
                    _("%(scheme)s: at most %(percent)s %% may go to %(what)s.")
                    % {
                        "scheme": scheme.short_name,
                        "percent": cap.percent,
                        "what": ", ".join(str(Use(u).label) for u in cap.uses),
                    },
                    _url(report, "measures"),
                    "measures",
                )
            )
    return found


def _partner_kinds(report: NeedsReport, scheme: Scheme) -> list[Problem]:
    allowed = scheme.allowed_partner_kinds
    return [
        Problem(
            f"partner-kind-{p.pk}",
            _("%(org)s cannot be the partner in %(scheme)s.") % {"org": p.organisation, "scheme": scheme.short_name},
            _url(report, "partnership", f"participant-{p.pk}"),
            "partnership",
        )
        for p in report.partnership.participants.all()
        if p.side == "partner" and p.organisation.kind not in allowed
    ] + [
        Problem(
            f"second-partner-kind-{m.pk}",
            _("%(org)s cannot be partner 2 in %(scheme)s.") % {"org": m.second_partner, "scheme": scheme.short_name},
            reverse("needs:measure", args=[report.pk, m.pk]) + f"#measure-{m.pk}-second_partner",
            "measures",
        )
        for m in report.measures.all()
        if m.scheme_id == scheme.pk and m.second_partner is not None and m.second_partner.kind not in allowed
    ]


def _second_partner(measure: Measure, label: str, at: str) -> list[Problem]:
    """Partner 2: named when given money, within the UH amount, and payable (its account number is the register's,
    since it is not a participant of the partnership)."""
    found: list[Problem] = []
    code = f"second-partner-{measure.pk}"
    if measure.second_partner_id is None:
        if measure.second_partner_amount:
            message = _("%(m)s gives part of the UH amount to partner 2, but names no partner 2.") % {"m": label}
            found.append(Problem(code, message, at + "second_partner", "measures"))
        return found
    partner = measure.second_partner
    assert partner is not None
    if measure.second_partner_amount > measure.partner_amount:
        message = _("%(m)s: partner 2's part is more than the UH amount.") % {"m": label}
        found.append(Problem(code + "-amount", message, at + "second_partner_amount", "measures"))
    if not partner.account_number:
        message = _(
            "%(m)s: partner 2 (%(org)s) has no account number in the register, so it cannot be paid. Ask the "
            "Statsforvalter to register it."
        ) % {"m": label, "org": partner.name}
        found.append(Problem(code + "-account", message, at + "second_partner", "measures"))
    return found


def _union(report: NeedsReport) -> list[Problem]:
    url = _url(report, "union")
    if report.union_discussed is None:
        return [
            Problem(
                "union",
                _("State whether the report has been discussed with the unions (medbestemmelse)."),
                url,
                "union",
            )
        ]
    if report.union_discussed and not _has_union_participants(report):
        return [Problem("union-who", _("Name who took part in the discussion with the unions."), url, "union")]
    return []


def _has_union_participants(report: NeedsReport) -> bool:
    """Anyone named for the unions: asked in the report's query by an autosave, else the prefetched rows."""
    known = getattr(report, "lk_has_union_participants", None)
    return bool(report.union_participants.all()) if known is None else bool(known)


def _units(report: NeedsReport) -> list[Problem]:
    if all(count is None for count in report.unit_counts().values()):
        return [Problem("units", _("State how many units the report includes."), _url(report, "units"), "units")]
    return []
