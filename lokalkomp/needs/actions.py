"""Steps on a needs report that touch several rows, or that the apps after needs hear of (`announce`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round, Scheme, Transition

from .announce import REPORT_REOPENED, REPORT_SUBMITTED, announce
from .extensions import copy_links
from .models import (
    Contact,
    Continuation,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    Participant,
    Partnership,
    TransitionError,
    UnionParticipant,
    continuation_periods,
)

COPIED_FIELDS = tuple(name for name in Measure.ANSWER_FIELDS if name != "semesters")  # semesters: the new round's


@transaction.atomic
def start_report(partnership: Partnership, round: Round, *, by: Any) -> NeedsReport:
    if not round.is_open_for(Transition.NEEDS_REPORTS):
        raise TransitionError(_("The round is closed for needs reports."))
    if NeedsReport.objects.filter(partnership=partnership, round=round).exists():
        raise TransitionError(_("The partnership already has a needs report in this round."))
    report = NeedsReport.objects.create(partnership=partnership, round=round)
    schemes = list(round.schemes.all())
    if len(schemes) == 1:  # from 2026 there is one scheme: no choice to make
        NeedsReportScheme.objects.create(report=report, scheme=schemes[0])
    NeedsReportEvent.objects.create(report=report, actor=by, from_status="", to_status=NeedsReport.Status.DRAFT)
    return report


def _next_position(report: NeedsReport) -> int:
    return (report.measures.aggregate(top=Max("position"))["top"] or 0) + 1


def _ensure_continuations(measure: Measure) -> None:
    Continuation.objects.bulk_create(
        [Continuation(measure=measure, period=p) for p in continuation_periods(measure.report.round.year)],
        ignore_conflicts=True,
    )


@transaction.atomic
def add_measure(report: NeedsReport, *, by: Any) -> Measure:
    chosen = [rs.scheme for rs in report.report_schemes.all()]
    if not chosen:
        raise TransitionError(_("Choose the scheme(s) the report covers first."))
    measure = Measure.objects.create(report=report, scheme=chosen[0], position=_next_position(report))
    _ensure_continuations(measure)
    FieldEdit.record_row(report, "measure", measure, added=True, by=by, source=FieldEdit.Source.FORM)
    return measure


@transaction.atomic
def copy_measure(report: NeedsReport, source: Measure, *, by: Any) -> Measure:
    scheme = _scheme_in(report, source.scheme)
    measure = Measure.objects.create(
        report=report,
        scheme=scheme,
        position=_next_position(report),
        continued_from=source,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        **_second_partner_kept(report, scheme, source),
    )
    _ensure_continuations(measure)
    copy_links(source, measure)  # the goals (and municipal-plan areas) still in a plan of the new year
    FieldEdit.objects.create(report=report, key=f"measure:{measure.pk}:copied", value=str(source.pk), by=by)
    return measure


def _second_partner_kept(report: NeedsReport, scheme: Scheme, source: Measure) -> dict[str, Any]:
    """Partner 2 and its part, carried over if the new measure's scheme still allows its kind and it is not a
    partner of the partnership itself (the rule autosave keeps, `second_partner_choices`); else neither.

    The caller sees what was left out by comparing `second_partner_dropped(source, copy)`."""
    partner = source.second_partner
    if partner is None:
        return {}
    from lokalkomp.directory.models import Organisation

    allowed = scheme.allowed_partner_kinds or list(Organisation.PARTNER_KINDS)
    own = report.partnership.participants.filter(side=Participant.Side.PARTNER, organisation_id=partner.pk)
    if partner.kind not in allowed or own.exists():
        return {}
    return {"second_partner": partner, "second_partner_amount": source.second_partner_amount}


def second_partner_dropped(source: Measure, copy: Measure) -> bool:
    """Whether continuing `source` left its partner 2 out (its kind no longer allowed, or a partner already)."""
    return source.second_partner_id is not None and copy.second_partner_id is None


def _scheme_in(report: NeedsReport, scheme: Scheme) -> Scheme:
    """The same scheme if the report covers it, else the report's first (a 2025 measure carried into 2026)."""
    chosen = [rs.scheme for rs in report.report_schemes.all()]
    if scheme in chosen:
        return scheme
    if not chosen:
        raise TransitionError(_("Choose the scheme(s) the report covers first."))
    return chosen[0]


@transaction.atomic
def remove_measure(report: NeedsReport, measure: Measure, *, by: Any) -> None:
    FieldEdit.record_row(report, "measure", measure, added=False, by=by, source=FieldEdit.Source.FORM)
    measure.delete()
    for position, m in enumerate(report.measures.order_by("position", "id"), start=1):
        if m.position != position:
            Measure.objects.filter(pk=m.pk).update(position=position)


@transaction.atomic
def move_measure(report: NeedsReport, measure: Measure, *, up: bool) -> None:
    # Not `report.measures`: a prefetched relation (with its outer join to partner 2) cannot be locked on PostgreSQL.
    ordered = list(Measure.objects.select_for_update().filter(report=report).order_by("position", "id"))
    index = next(i for i, m in enumerate(ordered) if m.pk == measure.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, m in enumerate(ordered, start=1):
        Measure.objects.filter(pk=m.pk).update(position=position)


@transaction.atomic
def set_schemes(report: NeedsReport, scheme_ids: list[int], *, by: Any) -> None:
    allowed = {rs.scheme_id for rs in report.round.round_schemes.all()}
    wanted = set(scheme_ids) & allowed
    if not wanted:
        raise TransitionError(_("Choose at least one scheme."))
    in_use = set(report.measures.values_list("scheme_id", flat=True))
    if in_use - wanted:
        raise TransitionError(_("A scheme with measures cannot be removed. Move or remove its measures first."))
    before = _scheme_names(report)
    report.report_schemes.exclude(scheme_id__in=wanted).delete()
    for scheme_id in wanted:
        NeedsReportScheme.objects.get_or_create(report=report, scheme_id=scheme_id)
    after = _scheme_names(report)
    if after != before:
        FieldEdit.record(report, "report:schemes", old=before, new=after, by=by)


def _scheme_names(report: NeedsReport) -> str:
    return ", ".join(sorted(report.report_schemes.values_list("scheme__short_name", flat=True)))


def remove_row(report: NeedsReport, kind: str, pk: int, *, by: Any) -> str:
    """Remove a union participant, contact or (non-paid) participant; returns the section to show."""
    rows = {
        "union": UnionParticipant.objects.filter(report=report),
        "contact": Contact.objects.filter(participant__partnership=report.partnership),
        "participant": Participant.objects.filter(partnership=report.partnership, is_lead=False).select_related(
            "organisation"
        ),
    }
    if kind not in rows:
        raise TransitionError(_("Nothing to remove."))
    with transaction.atomic():
        row = rows[kind].filter(pk=pk).first()
        if row is not None:
            if isinstance(row, Participant):  # its contacts go with it: each one on record too
                for contact in row.contacts.all():
                    FieldEdit.record_row(report, "contact", contact, added=False, by=by, source=FieldEdit.Source.FORM)
            FieldEdit.record_row(report, kind, row, added=False, by=by, source=FieldEdit.Source.FORM)
            row.delete()
    return "union" if kind == "union" else "partnership"


def submit_report(report: NeedsReport, *, by: Any) -> NeedsReportEvent:
    """Submit within the deadline and announce it in the same transaction: the listeners queue the
    receipt to the report's contacts and the news to whoever receives it (network or Statsforvalter)."""
    with transaction.atomic():
        event = report.submit(by=by)
        announce(REPORT_SUBMITTED, report=report, event=event)
    return event


def reopen_report(report: NeedsReport, *, by: Any, comment: str = "") -> NeedsReportEvent:
    """Open the report for changes again and announce it in the same transaction (the listeners tell
    the partnership's contacts why)."""
    with transaction.atomic():
        event = report.reopen(by=by, comment=comment)
        announce(REPORT_REOPENED, report=report, event=event)
    return event
