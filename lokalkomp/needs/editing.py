"""Saving one field of a needs report at a time: autosave, validation and concurrent edits.

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
from django.core.validators import EmailValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.directory.validators import clean_account_number, format_account_number

from .importer.amounts import parse_amount
from .models import (
    Contact,
    Continuation,
    FieldEdit,
    Measure,
    NeedsReport,
    Participant,
    ReportScheme,
    UnionParticipant,
    semester_codes,
)

MAX_AMOUNT = 10**12  # far above any grant; keeps the value inside a 64-bit column
PHONE = RegexValidator(r"^\+?[0-9][0-9 ]{6,18}[0-9]$", message="")


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
        ),
        lambda r: Q(report=r),
    ),
    "scheme": Editable(ReportScheme, ("co_financing_amount", "co_financing_form"), lambda r: Q(report=r)),
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
REQUIRED = {("measure", "name"), ("contact", "name"), ("union", "role"), ("union", "name")}


class UnknownField(LookupError):
    """The key names no editable field of this report."""


@dataclass(frozen=True)
class SaveResult:
    key: str
    status: str  # "saved", "unchanged", "invalid" or "conflict"
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
    match = re.fullmatch(r"([a-z]+):(\d+):([a-z_]+)", key)
    if not match or match[1] not in REGISTRY or match[3] not in REGISTRY[match[1]].fields:
        raise UnknownField(key)
    return match[1], int(match[2]), match[3], REGISTRY[match[1]]


def clean_value(kind: str, field_name: str, raw: str, model: type[models.Model]) -> Any:
    """The typed text as the value to store, or ValidationError with a message in the user's language."""
    field = model._meta.get_field(field_name)
    raw = raw.strip() if not isinstance(field, models.TextField) else raw
    if raw == "" and (kind, field_name) in REQUIRED:
        raise ValidationError(_("This field is required."))
    if isinstance(field, models.PositiveBigIntegerField | models.PositiveIntegerField):
        return _amount_or_count(raw, field)
    if isinstance(field, models.BooleanField):
        return _yes_no(raw)
    if isinstance(field, models.JSONField):  # semesters: the checked codes, comma-separated
        return [code for code in raw.split(",") if code]
    if isinstance(field, models.ForeignKey):
        return int(raw) if raw.isdigit() else None
    return _text(field_name, raw, field)


def _yes_no(raw: str) -> bool | None:
    answers = {"": None, "true": True, "yes": True, "false": False, "no": False}
    if raw.lower() not in answers:
        raise ValidationError(_("Choose one of the options."))
    return answers[raw.lower()]


def _amount_or_count(raw: str, field: Any) -> int | None:
    if raw == "":
        if field.null:
            return None
        return 0
    try:
        value = parse_amount(raw)
        if value > MAX_AMOUNT:
            raise ValueError(raw)
        return value
    except ValueError as error:
        raise ValidationError(_("Write a whole number of kroner, for example 120 000.")) from error


def _text(field_name: str, raw: str, field: Any) -> str:
    if field.max_length and len(raw) > field.max_length and field_name != "account_number":
        raise ValidationError(_("Write at most %(n)s characters.") % {"n": field.max_length})
    if raw and field_name == "account_number":
        return clean_account_number(raw)
    if raw and field_name == "email":
        EmailValidator(message=_("Write a valid e-mail address, for example navn@kommune.no."))(raw)
    if raw and field_name == "phone":
        PHONE.message = _("Write a phone number of 8 digits, for example 400 00 000.")
        PHONE(raw)
    if field.choices and raw and raw not in {str(value) for value, _label in field.choices}:
        raise ValidationError(_("Choose one of the options."))
    return raw


def as_text(value: Any) -> str:
    """A stored value as comparable text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


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


def save_field(report: NeedsReport, key: str, raw: str, base: str | None, *, by: Any) -> SaveResult:
    kind, pk, field_name, editable = parse_key(key)
    rows = editable.model._default_manager.filter(editable.belongs(report), pk=pk)
    try:
        value = clean_value(kind, field_name, raw, editable.model)
    except ValidationError as error:
        if not rows.exists():  # never keep a value for a row of another report
            raise UnknownField(key) from error
        _keep_pending(report, key, raw)
        return SaveResult(key, "invalid", shown=raw, error=" ".join(error.messages))
    if field_name == "scheme" and value not in {rs.scheme_id for rs in report.report_schemes.all()}:
        return SaveResult(key, "invalid", shown=raw, error=_("Choose one of the report's schemes."))
    if field_name == "semesters" and not set(value) <= set(semester_codes(report.round.year)):
        return SaveResult(key, "invalid", shown=raw, error=_("Choose one of the options."))
    column = editable.model._meta.get_field(field_name).attname  # type: ignore[union-attr]  # FK id column
    with transaction.atomic():
        try:
            current = rows.select_for_update().values_list(column, flat=True).get()
        except ObjectDoesNotExist as error:
            raise UnknownField(key) from error
        if as_text(value) == as_text(current):
            _clear_pending(report, key)
            return SaveResult(key, "unchanged", shown=shown(value, field_name))
        if base is not None and _normal(kind, field_name, base, editable.model) != as_text(current):
            return _conflict(report, key, current, field_name, typed=raw)
        rows.update(**{column: value})
        NeedsReport.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())
        FieldEdit.objects.create(report=report, key=key, value=as_text(value), by=by)
        _clear_pending(report, key)
    return SaveResult(key, "saved", shown=shown(value, field_name))


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
