"""Saving one field of a report on the use of funds at a time (autosave), safe for people editing together.

A field's key is `line:<pk>:<field>`. A save carries the report's version the person's page had; the
save is a compare-and-set on it: if someone saved since, it is refused as a conflict (409) and the person
keeps what they typed. A value that fails its check gets a message (422) and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models.funds import FUNDS_TEXT, MAX_AMOUNT, FundsReport, FundsReportLine

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab and line breaks (PostgreSQL stores no NUL)


def conflict_message() -> str:
    return _("Someone else has changed the report. Reload the page; what you typed is kept here.")


KEY = re.compile(r"^line:([0-9]{1,18}):([a-z_]{1,40})$")


@dataclass(frozen=True)
class Saved:
    status: int  # 200 saved, 400 no such field, 409 conflict, 422 bad value, 423 not editable
    message: str
    version: int
    value: Any = None


def clean_field(field: str, raw: str) -> Any:
    """The typed text as the field's value, or ValueError with the message to show."""
    if CONTROL.search(raw):
        raise ValueError(_("The text contains characters that cannot be saved."))
    if field in FundsReportLine.AMOUNT_FIELDS:
        text = re.sub(r"[\s\u00a0\u202f.]", "", raw).removesuffix(",-").removeprefix("kr")
        if not text:
            return 0
        if not (text.isascii() and text.isdigit()):
            raise ValueError(_("Write an amount in whole kroner, e.g. 150 000."))
        if len(text) > 15 or int(text) > MAX_AMOUNT:
            raise ValueError(_("The amount is too large."))
        return int(text)
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


def save_field(report: FundsReport, *, key: str, raw: str, version: str) -> Saved:
    """Save one field if the page's version is the report's; say what happened and the version now."""
    match = KEY.match(key or "")
    if match is None or match.group(2) not in FundsReportLine.EDITABLE_FIELDS:
        return Saved(400, _("No such field."), report.version)
    line = next((line for line in report.line_list() if line.pk == int(match.group(1))), None)
    if line is None:
        return Saved(400, _("No such field."), report.version)
    if not report.is_editable:
        return Saved(423, _("The report is submitted and can no longer be changed."), report.version)
    field = match.group(2)
    try:
        value = clean_field(field, raw)
    except ValueError as error:
        return Saved(422, str(error), report.version)
    if not (version or "").isdigit() or len(version) > 9:
        return Saved(
            409, _("Someone else has changed the report. Reload the page; what you typed is kept here."), report.version
        )
    now = report.save_answer(line, field, value, version=int(version))
    if now is None:
        current = FundsReport.objects.filter(pk=report.pk).values_list("version", flat=True).first() or 0
        return Saved(409, conflict_message(), current)
    return Saved(200, _("Saved"), now, value)
