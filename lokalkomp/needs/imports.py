"""Turn a parsed needs report (behovsmelding) into rows: organisations, partnership, report, measures.

`import_report` makes a draft report in one round. Whatever it cannot place (a scheme the round
does not run, an invalid organisation or account number, an owner not in the directory) is kept
in `ImportOutcome.unplaced` and in the report's `unplaced_text`, after what the parser kept there.
The parties are placed in import_parties.py, the shared state and checks are in import_work.py.
A dry run does all the same work inside a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lokalkomp.directory.validators import clean_account_number, clean_org_number
from lokalkomp.schemes.models import Round, Scheme, Use

from . import autosave
from .import_parties import (
    _add_participants,
    _lead_organisation,
    _partnership,
    _record_changes,
    _refuse_existing,
)
from .import_work import (
    OWNER,
    PARTNER,
    SUM,
    ImportOutcome,
    ImportRejected,
    ReportExistsError,
    _clean_email,
    _fit,
    _fit_field,
    _spaced,
    _text,
    _Work,
)
from .importer import DeclaredTotal as ParsedDeclaredTotal
from .importer import ParsedContact, ParsedMeasure, ParsedReport
from .models import (
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    Participant,
    Partnership,
    UnionParticipant,
)
from .models.report import UNPLACED_TEXT

if TYPE_CHECKING:
    from lokalkomp.accounts.models import User

__all__ = ["SUM", "ImportOutcome", "ImportRejected", "ReportExistsError", "import_report", "outcome_as_dict"]

# --- Entry points ----------------------------------------------------------------------------


def import_report(
    parsed: ParsedReport,
    *,
    round: Round,
    by: User | None,
    dry_run: bool = False,
    filename: str = "",
    may_set_account: Callable[[Participant], str] | None = None,
) -> ImportOutcome:
    """Create a draft needs report in the round from a parsed form.

    Raises ImportRejected (ReportExistsError when the partnership already reported in the round);
    then nothing is written. With dry_run nothing is written either, and the outcome is the same.
    `may_set_account` says, for each participant whose account number the form gives, whether the
    person importing may fill it in ("") or why not; those left out are in `withheld_accounts`. The
    upload passes the form's rule (that side's contacts or the Statsforvalter, after a recent sign-in);
    without it (the command line, run by the server's operator) every one is filled in.
    """
    work = _Work(parsed=parsed, round=round, unplaced=list(parsed.unplaced), may_set_account=may_set_account)
    with transaction.atomic():
        outcome = _import(work, by, filename)
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        outcome.report, outcome.measures, outcome.dry_run = None, list(parsed.measures), True
    return outcome


def _import(work: _Work, by: User | None, filename: str) -> ImportOutcome:
    _check_form(work)
    schemes = _choose_schemes(work)
    owner, partner = _lead_organisation(work, OWNER), _lead_organisation(work, PARTNER)
    if owner is None:
        raise ImportRejected(_("The form names no owner (Eier) and no organisation number for one."))
    partnership = _partnership(work, owner, partner)
    _refuse_existing(partnership, work.round)
    _add_participants(work, partnership, owner, partner)
    report = _create_report(work, partnership, schemes)
    measures = [_create_measure(work, report, schemes[0], n, m) for n, m in enumerate(work.parsed.measures, 1)]
    declared = _declared_totals(work, report)
    report.unplaced_text = _capped(work, "\n".join(work.unplaced))
    report.pending = work.pending
    # Not an edit: no new version.
    NeedsReport.objects.filter(pk=report.pk).update(unplaced_text=report.unplaced_text, pending=report.pending)
    NeedsReportEvent.objects.create(  # a system comment, shown in the reader's language
        report=report,
        actor=by,
        from_status="",
        to_status=report.status,
        code="imported_file" if filename else "imported",
        params={"file": filename[:200]} if filename else {},
    )
    _record_changes(work, report, by)
    return ImportOutcome(
        report=report,
        measures=measures,
        totals={scheme.code: totals for scheme, totals in report.totals_by_scheme().items()},
        declared_totals=declared,
        unplaced=work.unplaced,
        warnings=work.warnings,
        partnership=partnership.name,
        network=partnership.network.name if partnership.network else "",
        schemes=[scheme.code for scheme in schemes],
        new_organisations=work.new_organisations,
        withheld_accounts=work.withheld,
    )


def _capped(work: _Work, text: str) -> str:
    """The unplaced text as the report keeps it: at most UNPLACED_TEXT characters; a cut one says so at its end."""
    if len(text) <= UNPLACED_TEXT:
        return text
    kept = text[: UNPLACED_TEXT - 400].rstrip()  # room for the notice, in any language
    values = {"max": _spaced(UNPLACED_TEXT), "left": _spaced(len(text) - len(kept))}
    work.warnings.append(
        _(
            "The text that could not be placed in a field is longer than %(max)s characters: "
            "the report keeps its beginning and says where it was cut."
        )
        % values
    )
    notice = _(
        "[Cut here: an import keeps at most %(max)s characters of text it could not place. "
        "The other %(left)s characters are only in the uploaded file.]"
    )
    return f"{kept}…\n{notice % values}"


def _check_form(work: _Work) -> None:
    parsed = work.parsed
    if parsed.year and parsed.year != work.round.year:
        work.warnings.append(
            _("The form is for %(form)s; it was imported into the round of %(round)s.")
            % {"form": parsed.year, "round": work.round.year}
        )
    if parsed.declared_measure_count is not None and parsed.declared_measure_count != len(parsed.measures):
        work.warnings.append(
            _("The form says it has %(declared)s measures; %(found)s were found.")
            % {"declared": parsed.declared_measure_count, "found": len(parsed.measures)}
        )
    if not parsed.measures:
        work.warnings.append(_("No measures were found on the form."))


# --- Schemes ---------------------------------------------------------------------------------


def _choose_schemes(work: _Work) -> list[Scheme]:
    """The checked schemes the round runs; the round's only scheme when none of them is."""
    offered = {rs.scheme.code: rs.scheme for rs in work.round.round_schemes.select_related("scheme")}
    chosen = [offered[code] for code in dict.fromkeys(work.parsed.schemes) if code in offered]
    for code in dict.fromkeys(work.parsed.schemes):
        if code not in offered:
            work.unplace(
                "Behovsmeldingen gjelder",
                _("%(scheme)s is checked, but the round %(round)s does not run it.")
                % {"scheme": _scheme_name(code), "round": work.round},
            )
    if not chosen and len(offered) == 1:
        chosen = list(offered.values())
        if work.parsed.schemes:
            work.warnings.append(
                _("The measures were put under %(scheme)s, the round's scheme.") % {"scheme": chosen[0]}
            )
    if not chosen:
        raise ImportRejected(
            _("The form says none of the schemes the round %(round)s runs, so the measures cannot be placed.")
            % {"round": work.round}
        )
    if len(chosen) > 1:
        work.warnings.append(
            _(
                "The form covers several schemes without saying which a measure belongs to; all were put under %(scheme)s."
            )
            % {"scheme": chosen[0]}
        )
    return chosen


def _scheme_name(code: str) -> str:
    scheme = Scheme.objects.filter(code=code).first()
    return scheme.short_name if scheme else code


# --- Report, measures, totals ----------------------------------------------------------------


def _create_report(work: _Work, partnership: Partnership, schemes: list[Scheme]) -> NeedsReport:
    parsed = work.parsed
    counts = {name: getattr(parsed, name, None) for name in NeedsReport.UNIT_FIELDS}
    too_many = {name: value for name, value in counts.items() if value is not None and value > autosave.MAX_COUNT}
    report = NeedsReport.objects.create(
        partnership=partnership,
        round=work.round,
        status=NeedsReport.Status.DRAFT,
        union_discussed=parsed.union_discussed,
        **{**counts, **dict.fromkeys(too_many)},
    )
    for name, value in too_many.items():
        label = str(NeedsReport._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]
        work.over_limit(f"report:{report.pk}:{name}", value, label, amount=False)
    NeedsReportScheme.objects.bulk_create([NeedsReportScheme(report=report, scheme=scheme) for scheme in schemes])
    UnionParticipant.objects.bulk_create(
        UnionParticipant(
            report=report,
            role=_fit(work, _text(person.role), 200, "Rolle"),
            name=_fit(work, _text(person.name), 200, "Navn"),
        )
        for person in parsed.union_participants
    )
    return report


def _create_measure(work: _Work, report: NeedsReport, scheme: Scheme, position: int, parsed: ParsedMeasure) -> Measure:
    where = f"Tiltak {parsed.number}"
    _check_measure_total(work, where, parsed)
    name = _fit(work, _text(parsed.name), 300, where)
    if not name:
        name = where
        work.warnings.append(_("%(measure)s has no name; it was called “%(measure)s”.") % {"measure": where})
    amounts = {"owner_amount": parsed.owner_amount, "partner_amount": parsed.partner_amount}
    too_large = {key: value for key, value in amounts.items() if value > autosave.MAX_AMOUNT}
    measure = Measure.objects.create(
        report=report,
        scheme=scheme,
        position=position,
        name=name,
        **{**amounts, **dict.fromkeys(too_large, 0)},
        purpose=_purpose(work, where, parsed.purpose),
        needs_coordinator=parsed.needs_coordinator,
        semesters=list(dict.fromkeys(parsed.semesters)),
        **{key: _fit_field(work, Measure, key, getattr(parsed, key, ""), where) for key in Measure.NARRATIVE_FIELDS},
    )
    for key, value in too_large.items():
        work.over_limit(f"measure:{measure.pk}:{key}", value, f"{where} – {_AMOUNT_LABELS[key]}", amount=True)
    _create_continuations(work, where, measure, parsed)
    return measure


_AMOUNT_LABELS = {"owner_amount": "Eier", "partner_amount": "UH"}


def _check_measure_total(work: _Work, where: str, parsed: ParsedMeasure) -> None:
    if parsed.declared_total is not None and parsed.declared_total != parsed.total:
        work.warnings.append(
            _("%(measure)s: the form states a total of %(declared)s, but owner + UH is %(total)s; the sum is used.")
            % {"measure": where, "declared": parsed.declared_total, "total": parsed.total}
        )


def _purpose(work: _Work, where: str, code: str) -> str:
    if code and code not in Use.values:
        work.unplace(f"{where} – Hva skal tilskuddet brukes til?", code)
        return ""
    return code


def _create_continuations(work: _Work, where: str, measure: Measure, parsed: ParsedMeasure) -> None:
    seen: set[str] = set()
    for row in parsed.continuations:
        if row.period in seen or len(row.period) > 20:
            work.unplace(f"{where} – videreføring {row.period_label}", _("the period appears twice or is unreadable"))
            continue
        seen.add(row.period)
        here = f"{where} – videreføring {row.period_label}"
        amounts = {"owner_amount": row.owner_amount, "partner_amount": row.partner_amount}
        too_large = {key: value for key, value in amounts.items() if value is not None and value > autosave.MAX_AMOUNT}
        continuation = Continuation.objects.create(
            measure=measure,
            period=row.period,
            **{**amounts, **dict.fromkeys(too_large)},
            owner_reason=_fit_field(work, Continuation, "owner_reason", row.owner_reason, here),
            partner_reason=_fit_field(work, Continuation, "partner_reason", row.partner_reason, here),
        )
        for key, value in too_large.items():
            work.over_limit(
                f"continuation:{continuation.pk}:{key}", value, f"{here} – {_AMOUNT_LABELS[key]}", amount=True
            )


def _declared_totals(work: _Work, report: NeedsReport) -> dict[str, ParsedDeclaredTotal]:
    """Keep the form's totals table to compare with the computed totals; only for known schemes."""
    schemes = Scheme.objects.in_bulk([key for key in work.parsed.declared_totals if key != SUM], field_name="code")
    kept: dict[str, ParsedDeclaredTotal] = {}
    for key, row in work.parsed.declared_totals.items():
        if key != SUM and key not in schemes:
            work.unplace("Total sum det meldes behov for", f"{key}: {row.owner} / {row.partner} / {row.total}")
            continue
        owner, partner = row.owner or 0, row.partner or 0
        if max(owner, partner, row.total or 0) > autosave.MAX_AMOUNT:
            work.unplace(
                "Total sum det meldes behov for",
                _("%(row)s: %(owner)s / %(partner)s / %(total)s (more than the form allows)")
                % {"row": key, "owner": row.owner, "partner": row.partner, "total": row.total},
            )
            continue
        DeclaredTotal.objects.create(
            report=report,
            scheme=schemes.get(key),
            owner_amount=owner,
            partner_amount=partner,
            total_amount=row.total if row.total is not None else owner + partner,
        )
        kept[key] = row
    return kept


# --- JSON ------------------------------------------------------------------------------------


def _amounts(owner: int | None, partner: int | None, total: int | None = None) -> dict[str, int | None]:
    if total is None and owner is not None and partner is not None:
        total = owner + partner
    return {"owner_amount": owner, "uh_amount": partner, "total": total}


def _measure_dict(measure: Measure | ParsedMeasure, parsed: ParsedMeasure, scheme: str) -> dict[str, Any]:
    """A created or (dry run) parsed measure; the continuation estimates as the form gives them."""
    number = measure.position if isinstance(measure, Measure) else measure.number
    return {
        "number": number,
        "name": measure.name,
        "scheme": scheme,
        "purpose": measure.purpose,
        **_amounts(measure.owner_amount, measure.partner_amount),
        "semesters": list(measure.semesters),
        "continuations": [
            {
                "period": row.period,
                **_amounts(row.owner_amount, row.partner_amount),
                "owner_reason": row.owner_reason,
                "uh_reason": row.partner_reason,
            }
            for row in parsed.continuations
        ],
    }


def _contact_dict(contact: ParsedContact) -> dict[str, str]:
    def valid(clean: Callable[[str], str], value: str) -> str:
        try:
            return clean(value) if value else ""
        except ValidationError:
            return ""

    return {
        "side": "uh" if contact.side == PARTNER else OWNER,
        "name": contact.name,
        "email": valid(_clean_email, contact.email),
        "org_number": valid(clean_org_number, contact.org_number),
        "account_number": valid(clean_account_number, contact.account_number),
        "payment_reference": contact.payment_reference,
    }


def outcome_as_dict(filename: str, outcome: ImportOutcome, parsed: ParsedReport) -> dict[str, Any]:
    """One file's result as plain data for JSON; money in whole kroner, the UH share as "uh_amount"."""
    scheme = outcome.schemes[0] if outcome.schemes else ""
    measures: Sequence[Measure | ParsedMeasure] = outcome.measures
    return {
        "file": filename,
        "ok": True,
        "dry_run": outcome.dry_run,
        "report_id": outcome.report.pk if outcome.report else None,
        "partnership": outcome.partnership,
        "network": outcome.network,
        "schemes": outcome.schemes,
        "measures": [_measure_dict(m, p, scheme) for m, p in zip(measures, parsed.measures, strict=False)],
        "contacts": [_contact_dict(contact) for contact in parsed.contacts],
        "units": {name: getattr(parsed, name, None) for name in NeedsReport.UNIT_FIELDS},
        "union_discussed": parsed.union_discussed,
        "union_participants": [{"role": p.role, "name": p.name} for p in parsed.union_participants],
        "totals": {code: _amounts(t.owner, t.partner) for code, t in outcome.totals.items()},
        "grand_total": _amounts(outcome.grand_total.owner, outcome.grand_total.partner),
        "declared_totals": {key: _amounts(*row) for key, row in outcome.declared_totals.items()},
        "new_organisations": outcome.new_organisations,
        "unplaced": outcome.unplaced,
        "unplaced_text": "\n".join(outcome.unplaced),
        "warnings": outcome.warnings,
    }
