"""Saving one field of a needs report at a time: autosave and concurrent edits (each field's rule: cleaning.py).

Every editable field has a key, `<kind>:<pk>:<field>` (e.g. `measure:12:owner_amount`).
A save carries the value the person typed and the *base*: the value the field had
when they started typing. The save is a compare-and-set: if someone else changed the
field since, it is refused as a conflict, and the person keeps what they typed.
A value that fails its check is kept in `NeedsReport.pending`, so nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.directory.validators import format_account_number

from .cleaning import MAX_AMOUNT as MAX_AMOUNT  # the form's limits, read by the import as autosave's
from .cleaning import MAX_COUNT as MAX_COUNT
from .cleaning import TRIM as TRIM
from .cleaning import clean_value, spaced
from .models import (
    Contact,
    Continuation,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    TransitionError,
    UnionParticipant,
    as_text,
    semester_codes,
)


@dataclass(frozen=True)
class Editable:
    model: type[models.Model]
    fields: tuple[str, ...]
    belongs: Callable[[NeedsReport], Q]


MEASURE_TEXTS = ("name", *Measure.NARRATIVE_FIELDS)
REGISTRY: dict[str, Editable] = {
    "report": Editable(
        NeedsReport,
        (
            "union_discussed",
            "municipal_kindergartens",
            "private_kindergartens",
            "public_schools",
            "private_schools",
            "pp_services",
        ),
        lambda r: Q(pk=r.pk),
    ),
    "measure": Editable(
        Measure,
        MEASURE_TEXTS
        + (
            "owner_amount",
            "partner_amount",
            "purpose",
            "needs_coordinator",
            "semesters",
            "scheme",
            "second_partner",
            "second_partner_amount",
        ),
        lambda r: Q(report=r),
    ),
    "scheme": Editable(NeedsReportScheme, ("co_financing_amount", "co_financing_form"), lambda r: Q(report=r)),
    "continuation": Editable(
        Continuation,
        ("owner_amount", "owner_reason", "partner_amount", "partner_reason"),
        lambda r: Q(measure__report=r),
    ),
    "participant": Editable(
        Participant, ("account_number", "payment_reference"), lambda r: Q(partnership_id=r.partnership_id)
    ),
    "contact": Editable(
        Contact, ("name", "function", "phone", "email"), lambda r: Q(participant__partnership_id=r.partnership_id)
    ),
    "union": Editable(UnionParticipant, ("role", "name"), lambda r: Q(report=r)),
}


class UnknownField(LookupError):
    """The key names no editable field of this report."""


@dataclass(frozen=True)
class SaveResult:
    key: str
    status: str  # "saved", "unchanged", "invalid", "conflict", "refused" (a malformed request) or "held"
    shown: str = ""  # the value as the field should now show it
    error: str = ""
    theirs: str = ""  # on a conflict: the other person's value
    theirs_by: str = ""
    theirs_at: Any = None
    typed: str = ""  # on a conflict: what this person typed, kept for them

    @property
    def ok(self) -> bool:
        return self.status in {"saved", "unchanged"}


def parse_key(key: str) -> tuple[str, int, str, Editable]:
    match = re.fullmatch(r"([a-z]+):([0-9]{1,18}):([a-z_]+)", key)
    if not match or match[1] not in REGISTRY or match[3] not in REGISTRY[match[1]].fields:
        raise UnknownField(key)
    return match[1], int(match[2]), match[3], REGISTRY[match[1]]


def posted_value(values: list[str], key: str) -> str:
    """The typed text of one field from the values posted under its key (`QueryDict.getlist`).

    A field posts one value; only a group of checkboxes posts one per checked box, or none when none
    is checked. A missing value is not taken as empty (it would set an amount to 0), and repeated
    values are not joined into one: both are refused with ValidationError.
    """
    _kind, _pk, field_name, editable = parse_key(key)
    if isinstance(editable.model._meta.get_field(field_name), models.JSONField):
        return ",".join(values)
    if len(values) != 1:
        raise ValidationError(
            _("The form sent no value or several values for this field. Reload the page and try again.")
        )
    return values[0]


def shown(value: Any, field_name: str) -> str:
    """A stored value as the field shows it: amounts with spaces, the rest as text."""
    if isinstance(value, int) and not isinstance(value, bool) and field_name.endswith("amount"):
        return f"{value:,}".replace(",", " ")
    if field_name == "account_number" and value:
        return format_account_number(value)
    return as_text(value)


def _normal(kind: str, field_name: str, text: str, model: type[models.Model]) -> str:
    try:
        return as_text(clean_value(kind, field_name, text, model))
    except (ValidationError, ValueError):
        return text


def _base_matches(kind: str, field_name: str, base: str, current: Any, model: type[models.Model]) -> bool:
    """Whether the person started from the stored value: the base is that value as text, as the field
    showed it, or as it reads once cleaned. A stored value the form would refuse (an imported amount over
    the limit) is matched as shown, so it can always be corrected."""
    stored = as_text(current)
    return base in {stored, shown(current, field_name)} or _normal(kind, field_name, base, model) == stored


class ReportLocked(TransitionError):
    """The report is locked (submitted, or past its deadline); raised before a change, nothing was stored."""

    def __init__(self, message: str = "", *, report: NeedsReport | None = None) -> None:
        super().__init__(message or "locked")
        self.report = report


def loaded_rows(report: NeedsReport, kind: str) -> list[Any] | None:
    """The rows of one kind that the view already loaded with the report, or None (never a query)."""
    if kind == "report":
        return [report]
    owner, name = {
        "measure": (report, "measures"),
        "scheme": (report, "report_schemes"),
        "participant": (report.partnership, "participants"),
        "union": (report, "union_participants"),
    }.get(kind, (None, ""))
    cache = getattr(owner, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def _loaded_row(report: NeedsReport, kind: str, pk: int) -> Any:
    return next((row for row in loaded_rows(report, kind) or [] if row.pk == pk), None)


def _lock_draft(report: NeedsReport, *, bump: bool) -> None:
    """Lock the report's row for this transaction, if it is still a draft; ReportLocked if it is not.

    Every save locks the report first (then the field's row), so a save and a submission take turns:
    a save that waited on the submission finds it submitted and stores nothing.
    """
    drafts = NeedsReport.objects.filter(pk=report.pk, status=NeedsReport.Status.DRAFT)
    found = (
        drafts.update(version=F("version") + 1, updated_at=timezone.now())
        if bump
        else len(drafts.select_for_update().values_list("pk", flat=True))
    )
    if not found:
        raise ReportLocked(_("The report has been submitted and cannot be changed."))


def _measure(report: NeedsReport, pk: int) -> Measure | None:
    return _loaded_row(report, "measure", pk) or Measure.objects.select_related("scheme").filter(pk=pk).first()


def _report_scheme(report: NeedsReport, pk: int, scheme_id: int | None) -> int:
    """A measure's scheme: one of the report's, and one that allows the measure's use of funds."""
    from lokalkomp.schemes.models import Use

    scheme = next((rs.scheme for rs in report.report_schemes.all() if rs.scheme_id == scheme_id), None)
    if scheme is None:
        raise ValidationError(_("Choose one of the report's schemes."))
    measure = _measure(report, pk)
    if measure is not None and measure.purpose and not scheme.allows_use(measure.purpose):
        raise ValidationError(
            _("%(scheme)s does not allow the measure's use of funds (%(use)s). Choose another use first.")
            % {"scheme": scheme.short_name, "use": Use(measure.purpose).label}
        )
    return scheme.pk


def _allowed_use(report: NeedsReport, pk: int, use: str) -> str:
    """A measure's use of funds: one its scheme allows."""
    measure = _measure(report, pk)
    if use and measure is not None and not measure.scheme.allows_use(use):
        raise ValidationError(
            _("%(scheme)s does not allow this use of funds. Choose one of the options.")
            % {"scheme": measure.scheme.short_name}
        )
    return use


def _round_semesters(report: NeedsReport, pk: int, chosen: list[str]) -> list[str]:
    """A measure's semesters: those of the report's round, in their order."""
    codes = semester_codes(report.round.year)
    if not set(chosen) <= set(codes):
        raise ValidationError(_("Choose one of the options."))
    return sorted(chosen, key=codes.index)


def second_partner_choices(report: NeedsReport, measure: Measure) -> list[tuple[int, str]]:
    """Who may be a measure's partner 2: an organisation of a kind its scheme allows, anywhere in the country,
    that is not already a partner of the partnership (one query)."""
    from lokalkomp.directory.models import Organisation

    own = [p.organisation_id for p in report.partnership.participants.all() if p.side == Participant.Side.PARTNER]
    allowed = measure.scheme.allowed_partner_kinds or list(Organisation.PARTNER_KINDS)
    rows = Organisation.objects.filter(kind__in=allowed).exclude(pk__in=own).order_by("name")
    return list(rows.values_list("pk", "name"))


def _second_partner(report: NeedsReport, pk: int, org_id: int | None) -> int | None:
    """A measure's partner 2: none, or an organisation of a kind its scheme allows, not already a partner."""
    measure = _measure(report, pk)
    if org_id is None or measure is None:
        return None
    if org_id not in {choice for choice, _name in second_partner_choices(report, measure)}:
        raise ValidationError(
            _(
                "%(scheme)s does not allow this organisation as partner 2, or it is a partner already. Choose one of the options."
            )
            % {"scheme": measure.scheme.short_name}
        )
    return org_id


def _second_partner_amount(report: NeedsReport, pk: int, amount: int | None) -> int:
    """Partner 2's part: at most the measure's UH amount."""
    measure = _measure(report, pk)
    amount = amount or 0
    if measure is not None and amount > measure.partner_amount:
        raise ValidationError(
            _("Partner 2's part cannot be more than the UH amount (%(amount)s).")
            % {"amount": f"kr {spaced(measure.partner_amount)}"}
        )
    return amount


# The rules a value must also meet in its report (ValidationError if not); keyed by model field, as FORMATS.
IN_REPORT: dict[tuple[type[models.Model], str], Callable[[NeedsReport, int, Any], Any]] = {
    (Measure, "scheme"): _report_scheme,
    (Measure, "purpose"): _allowed_use,
    (Measure, "semesters"): _round_semesters,
    (Measure, "second_partner"): _second_partner,
    (Measure, "second_partner_amount"): _second_partner_amount,
}


def save_field(report: NeedsReport, key: str, raw: str, base: str | None, *, by: Any) -> SaveResult:
    """Save one field as a compare-and-set; ReportLocked (nothing stored) if the report is no longer a draft."""
    kind, pk, field_name, editable = parse_key(key)
    rows = editable.model._default_manager.filter(editable.belongs(report), pk=pk)
    try:
        value = clean_value(kind, field_name, raw, editable.model)
    except ValidationError as error:
        if not rows.exists():  # never keep a value for a row of another report
            raise UnknownField(key) from error
        raw = raw.replace("\x00", "")  # kept for the person, but PostgreSQL stores no NUL, not even in JSON
        _keep_pending(report, key, raw)
        return SaveResult(key, "invalid", shown=raw, error=" ".join(error.messages))
    if (in_report := IN_REPORT.get((editable.model, field_name))) is not None:
        try:  # not kept as pending: the value is fine, the report around it may change
            value = in_report(report, pk, value)
        except ValidationError as error:
            return SaveResult(key, "invalid", shown=raw, error=" ".join(error.messages))
    column = editable.model._meta.get_field(field_name).attname  # type: ignore[union-attr]  # FK id column
    with transaction.atomic():
        if (saved := _save_as_loaded(report, key, rows, column, value, base, by=by)) is not None:
            return saved
        return _save_as_stored(report, key, rows, column, value, base, raw=raw, by=by)


def _save_as_loaded(
    report: NeedsReport, key: str, rows: Any, column: str, value: Any, base: str | None, *, by: Any
) -> SaveResult | None:
    """The usual save, in 3 queries: the change from the value the view loaded a moment ago, if it is still stored.

    UPDATE … WHERE field = loaded value is the compare-and-set; None when it does not apply (the row was
    not loaded, the value is unchanged or the base differs from it, a list field) or the row changed since.
    """
    kind, pk, field_name, editable = parse_key(key)
    row = _loaded_row(report, kind, pk)
    if row is None or isinstance(editable.model._meta.get_field(field_name), models.JSONField):
        return None
    loaded = getattr(row, column)
    if as_text(value) == as_text(loaded):
        return None
    if base is not None and not _base_matches(kind, field_name, base, loaded, editable.model):
        return None
    _lock_draft(report, bump=True)
    if not rows.filter(**{column: loaded}).update(**{column: value}):
        return None  # changed since the view read it: decided on the stored value, under the report's lock
    FieldEdit.objects.create(report=report, key=key, old_value=as_text(loaded), value=as_text(value), by=by)
    _clear_pending(report, key)
    return SaveResult(key, "saved", shown=shown(value, field_name))


def _save_as_stored(
    report: NeedsReport, key: str, rows: Any, column: str, value: Any, base: str | None, *, raw: str, by: Any
) -> SaveResult:
    kind, _pk, field_name, editable = parse_key(key)
    _lock_draft(report, bump=False)  # the report first, then the row, as every save
    try:
        current = rows.select_for_update().values_list(column, flat=True).get()
    except ObjectDoesNotExist as error:
        raise UnknownField(key) from error
    if as_text(value) == as_text(current):
        _clear_pending(report, key)
        return SaveResult(key, "unchanged", shown=shown(value, field_name))
    if base is not None and not _base_matches(kind, field_name, base, current, editable.model):
        return _conflict(report, key, current, field_name, typed=raw)
    rows.update(**{column: value})
    NeedsReport.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())
    FieldEdit.objects.create(report=report, key=key, old_value=as_text(current), value=as_text(value), by=by)
    _clear_pending(report, key)
    return SaveResult(key, "saved", shown=shown(value, field_name))


def posted_fields(post: Any) -> list[tuple[str, list[str], str | None]]:
    """Each field of a posted form (a QueryDict) with its values and base, for save_fields.

    A group of checkboxes with none checked posts nothing under its key, only its base: that is an
    empty list, not "leave it as it was"."""
    fields = []
    for name in post:
        key = name.removeprefix("base:")
        try:
            _kind, _pk, field_name, editable = parse_key(key)
        except UnknownField:
            continue
        if name == key:
            fields.append((key, post.getlist(key), post.get(f"base:{key}")))
        elif key not in post and isinstance(editable.model._meta.get_field(field_name), models.JSONField):
            fields.append((key, [], post.get(name)))
    return fields


class _NotAll(Exception):
    """Raised inside a section's save to roll back the fields saved before one that failed."""


def save_fields(report: NeedsReport, posted: list[tuple[str, list[str], str | None]], *, by: Any) -> list[SaveResult]:
    """Save the fields of one form at once (a section without JavaScript): all of them, or none.

    `posted` holds each field's key, its posted values and its base. If one field is refused or in
    conflict, nothing is saved: the refused values are kept as pending, as autosave keeps them, and
    every other field is answered "held" with what was typed, so the page shows it all again.
    """
    results: list[SaveResult] = []
    typed: dict[str, str] = {}
    try:
        with transaction.atomic():
            for key, values, base in posted:
                try:
                    raw = posted_value(values, key)
                except ValidationError as error:
                    results.append(SaveResult(key, "invalid", shown=",".join(values), error=" ".join(error.messages)))
                    continue
                typed[key] = raw
                results.append(save_field(report, key, raw, base, by=by))
            if all(r.ok for r in results):
                return results
            raise _NotAll
    except _NotAll:
        pass
    report.pending = NeedsReport.objects.only("pending").get(pk=report.pk).pending  # as rolled back
    held = _("Not saved, because another field in this form has an error. What you typed is kept.")
    answered = []
    for result in results:
        if result.status == "invalid" and result.key in typed:
            _keep_pending(report, result.key, typed[result.key].replace("\x00", ""))
        if result.status == "saved":
            result = SaveResult(result.key, "held", shown=typed[result.key], error=held)
        answered.append(result)
    return answered


def _conflict(report: NeedsReport, key: str, current: Any, field_name: str, *, typed: str) -> SaveResult:
    last = FieldEdit.objects.filter(report=report, key=key).select_related("by").order_by("-at", "-id").first()
    return SaveResult(
        key,
        "conflict",
        shown=shown(current, field_name),
        theirs=shown(current, field_name),
        theirs_by=str(last.by) if last and last.by else "",
        theirs_at=last.at if last else None,
        typed=typed,
        error=_("Someone else changed this field after you started. Your text is kept here; choose what to keep."),
    )


def _keep_pending(report: NeedsReport, key: str, raw: str) -> None:
    with transaction.atomic():
        locked = NeedsReport.objects.select_for_update().only("pending").get(pk=report.pk)
        locked.pending[key] = raw
        NeedsReport.objects.filter(pk=report.pk).update(pending=locked.pending)
    report.pending = locked.pending


def _clear_pending(report: NeedsReport, key: str) -> None:
    if key not in report.pending:
        return
    locked = NeedsReport.objects.select_for_update().only("pending").get(pk=report.pk)
    locked.pending.pop(key, None)
    NeedsReport.objects.filter(pk=report.pk).update(pending=locked.pending)
    report.pending = locked.pending


def pending_error(report: NeedsReport, key: str) -> str:
    """The message for a kept invalid value, so a reload shows the value and why it was not saved."""
    if key not in report.pending:
        return ""
    kind, _pk, field_name, editable = parse_key(key)
    try:
        clean_value(kind, field_name, report.pending[key], editable.model)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
