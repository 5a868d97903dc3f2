"""Saving one field of a report on the use of funds at a time (autosave), safe for people editing together.

A field's key is `line:<pk>:<field>`. A save carries the report's version the person's page had and the
field's *base* (`base:<key>`): its value when the page showed it. With a base, the save is a compare-and-set
on the field: it is refused as a conflict (409) only if someone changed this field since, whatever else they
changed; the answer holds both values, and «Keep mine» sends the other's value as its base. Without a base
(a page from before), any save since the page's version is a conflict. Either way the person keeps what they
typed. A value that fails its check gets a message (422) and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lokalkomp.directory.amounts import parse_amount
from lokalkomp.needs.cleaning import TRIM

from .models.funds import FUNDS_TEXT, MAX_AMOUNT, FundsFieldEdit, FundsReport, FundsReportLine

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab and line breaks (PostgreSQL stores no NUL)
KEY = re.compile(r"^line:([0-9]{1,18}):([a-z_]{1,40})$")


def conflict_message() -> str:
    return _("Someone else changed this field after you started. Your text is kept here; choose what to keep.")


@dataclass(frozen=True)
class Saved:
    status: int  # 200 saved, 400 no such field, 409 conflict, 422 bad value, 423 not editable
    message: str
    version: int
    value: Any = None
    shown: str = ""  # saved: the value as the field shows it now (its new base)
    theirs: str | None = None  # conflict: the stored value as the field's base («Keep mine» sends it)
    theirs_shown: str = ""  # conflict: the stored value as a person reads it (a choice's label)
    typed: str = ""  # conflict: what this person typed, kept for them
    theirs_by: str = ""  # conflict: who saved the stored value (the field's last change), if anyone known
    theirs_at: Any = None  # conflict: and when


def shown(field: str, value: Any) -> str:
    """A stored value as its field shows it: an amount with a space between thousands («1 511 235»), as the
    needs form writes one and reads it back; the rest as text."""
    if field in FundsReportLine.AMOUNT_FIELDS:
        return f"{int(value or 0):,}".replace(",", " ")
    return "" if value is None else str(value)


def readable(field: str, value: Any) -> str:
    """A stored value as a person reads it: a choice by its label."""
    if field in FundsReportLine.CHOICE_FIELDS and value:
        model_field: Any = FundsReportLine._meta.get_field(field)
        return str(dict(model_field.choices or ()).get(value, value))
    return shown(field, value)


def clean_amount(raw: str) -> int:
    """Whole kroner as the form shows them («1 511 235») or unbroken («1511235»), by the rule of
    `directory.amounts` that the needs form reads them with: groups of three only («12 5», «1.000.00» are
    refused rather than guessed at)."""
    text = raw.strip(TRIM)
    if not text:
        return 0
    try:
        value = parse_amount(text)
    except ValueError:
        raise ValueError(_("Write an amount in whole kroner, e.g. 150 000.")) from None
    if value > MAX_AMOUNT:
        raise ValueError(_("The amount is too large."))
    return value


def clean_field(field: str, raw: str) -> Any:
    """The typed text as the field's value, or ValueError with the message to show."""
    if CONTROL.search(raw):
        raise ValueError(_("The text contains characters that cannot be saved."))
    if field in FundsReportLine.AMOUNT_FIELDS:
        return clean_amount(raw)
    if field in FundsReportLine.CHOICE_FIELDS:
        model_field: Any = FundsReportLine._meta.get_field(field)
        allowed = {value for value, _label in model_field.choices or ()}
        if raw and raw not in allowed:
            raise ValueError(_("Choose one of the options."))
        return raw
    text = raw.replace("\r\n", "\n").strip()
    if len(text) > FUNDS_TEXT:
        raise ValueError(_("The text is too long: at most %(limit)s characters.") % {"limit": FUNDS_TEXT})
    return text


def save_field(report: FundsReport, *, key: str, raw: str, version: str, base: str | None = None, by: Any) -> Saved:
    """Save one field if no one changed it since the person's page showed it; say what happened and the version now."""
    match = KEY.match(key or "")
    if match is None or match.group(2) not in FundsReportLine.EDITABLE_FIELDS:
        return Saved(400, _("No such field."), report.version)
    line = next((line for line in report.line_list() if line.pk == int(match.group(1))), None)
    if line is None:
        return Saved(400, _("No such field."), report.version)
    if not report.is_editable:
        return _locked(report)
    field = match.group(2)
    try:
        value = clean_field(field, raw)
    except ValueError as error:
        return Saved(422, str(error), report.version)
    if base is None:
        return _save_at_version(report, line, field, value, version, typed=raw, by=by)
    return _save_from_base(report, line, field, value, base, typed=raw, by=by)


def _save_at_version(
    report: FundsReport, line: FundsReportLine, field: str, value: Any, version: str, *, typed: str, by: Any
) -> Saved:
    """A page without bases: a compare-and-set on the report's version (any save since is a conflict)."""
    if (version or "").isdigit() and len(version) <= 9:
        now = report.save_answer(line, field, value, version=int(version), by=by)
        if now is not None:
            return _saved(field, value, now)
    with transaction.atomic():
        if not _reread(report, line, field):
            return _locked(report)
        return _conflict(report, line, field, typed=typed)


def _save_from_base(
    report: FundsReport, line: FundsReportLine, field: str, value: Any, base: str, *, typed: str, by: Any
) -> Saved:
    """A compare-and-set on the field: saved if it still holds the base.

    First on what the view loaded (the report's version is read before its lines, and `save_answer` writes
    only at that version, so a save by anyone in between makes it fail). If it failed, or the field seems
    changed, once more with the report's row locked, on what is stored then: saves that lose a race take
    turns rather than fail, and a conflict is decided on the stored field, never on a value loaded before.
    """
    saved = _from_base(report, line, field, value, base, typed=typed, fresh=False, by=by)
    if saved is not None:
        return saved
    with transaction.atomic():
        if not _reread(report, line, field):
            return _locked(report)
        return _from_base(report, line, field, value, base, typed=typed, fresh=True, by=by) or _conflict(
            report, line, field, typed=typed
        )


def _from_base(
    report: FundsReport, line: FundsReportLine, field: str, value: Any, base: str, *, typed: str, fresh: bool, by: Any
) -> Saved | None:
    """The save decided on the report and field as this request has them; None to read them again first."""
    stored = getattr(line, field)
    if value == stored:  # both wrote the same, or nothing changed: no conflict and nothing to save
        return _saved(field, value, report.version)
    if not started_from(field, base, stored):
        return _conflict(report, line, field, typed=typed) if fresh else None
    now = report.save_answer(line, field, value, version=report.version, by=by)
    return None if now is None else _saved(field, value, now)


def started_from(field: str, base: str, stored: Any) -> bool:
    """Whether the person started from the stored value: the base is that value as the field showed it, or
    reads as it once cleaned («120000» for 120 000, line breaks as the browser sends them)."""
    if base == shown(field, stored):
        return True
    try:
        return bool(clean_field(field, base) == stored)
    except ValueError:
        return False


def _reread(report: FundsReport, line: FundsReportLine, field: str) -> bool:
    """The report's version and status as stored now, its row locked until the transaction ends (every
    `save_answer` writes that row first), then the field; False if the report is no longer editable."""
    # No ordering: the model's would join (and lock) the round's and the partnership's rows as well.
    rows = FundsReport.objects.select_for_update().filter(pk=report.pk).order_by().values_list("version", "status")
    found = list(rows)
    if not found:
        return False
    report.version, report.status = found[0]
    setattr(line, field, FundsReportLine.objects.filter(pk=line.pk).values_list(field, flat=True).get())
    return report.is_editable


def _saved(field: str, value: Any, version: int) -> Saved:
    return Saved(200, _("Saved"), version, value, shown=shown(field, value))


def _locked(report: FundsReport) -> Saved:
    return Saved(423, _("The report is submitted and can no longer be changed."), report.version)


def _conflict(report: FundsReport, line: FundsReportLine, field: str, *, typed: str) -> Saved:
    stored = getattr(line, field)
    # the last save by the order of the saves (they take turns on the report's row), not by each server's clock
    last = FundsFieldEdit.objects.filter(line=line, field=field).select_related("by").order_by("-pk").first()
    return Saved(
        409,
        conflict_message(),
        report.version,
        theirs=shown(field, stored),
        theirs_shown=readable(field, stored),
        typed=typed,
        theirs_by=str(last.by) if last and last.by else "",
        theirs_at=last.at if last else None,
    )
