"""Typed text into a field's value: one rule per model field, for autosave and for the forms that add rows.

The rule is chosen from the model field: a format of its own (FORMATS: account number, phone, e-mail,
organisation number, each checked by directory/validators.py), else its type (amount, count, yes/no,
list of codes, choice, text). Each rule raises ValidationError with a message in the user's language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import clean_account_number, clean_email, clean_org_number, clean_phone

from .importer.amounts import parse_amount
from .models import Contact, Participant

# The form's limits. An amount: far above any grant (the largest measure in the national data is a
# few million), far inside the 64-bit column. A count (units, semesters): far above the number of
# kindergartens or schools in any municipality, far inside the 32-bit column.
MAX_AMOUNT = 1_000_000_000
MAX_COUNT = 10_000
# Characters that show nothing: byte-order mark, zero-width spaces and joiners, direction marks.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u200e\u200f\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab and line breaks
TRIM = INVISIBLE + " \t\n\r\f\v\u00a0\u202f\u2007\u3000"


@dataclass(frozen=True)
class Format:
    """A value with a format of its own, and the one function that checks it (directory/validators.py)."""

    clean: Callable[[str], str]
    # Stored as typed: the model field's max_length holds for the typed text, and the page states it. An
    # account number is stored without its dots: its rule alone decides, and the page sets no length.
    stored_as_typed: bool = True


# Keyed by model field: autosave and the forms that add rows check each of these with the same function.
FORMATS: dict[tuple[type[models.Model], str], Format] = {
    (Participant, "account_number"): Format(clean_account_number, stored_as_typed=False),
    (Contact, "phone"): Format(clean_phone),
    (Contact, "email"): Format(clean_email),
    (Organisation, "org_number"): Format(clean_org_number, stored_as_typed=False),
}


def typed_text(raw: str, *, lines: bool) -> str:
    """The typed text without what shows nothing at its edges; ValidationError for a control character.

    A text of several `lines` keeps the person's lines, with one kind of line break; a line is trimmed.
    """
    if CONTROL.search(raw):  # PostgreSQL stores no NUL, Excel no control character; no keyboard types them
        raise ValidationError(
            _("The text contains an invisible control character that cannot be saved. Type the text again.")
        )
    if not lines:
        return raw.strip(TRIM)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return "" if raw.strip(TRIM) == "" else raw


def clean_value(kind: str, field_name: str, raw: str, model: type[models.Model]) -> Any:
    """The typed text as the value to store, or ValidationError with a message in the user's language.

    `kind` is the key's kind (`REGISTRY[kind].model` is `model`); the rule is the model field's.
    """
    return cleaner_for(model, field_name)(raw)


def cleaner_for(model: type[models.Model], field_name: str) -> Callable[[str], Any]:
    """The one function that turns typed text into this model field's value: by its format, else its type."""
    field: Any = model._meta.get_field(field_name)
    rule = _rule(model, field)

    def clean(raw: str) -> Any:
        text = typed_text(raw, lines=isinstance(field, models.TextField))
        if text == "" and isinstance(field, models.CharField | models.TextField) and not field.blank:
            raise ValidationError(_("This field is required."))
        return rule(text, field)

    return clean


def _rule(model: type[models.Model], field: Any) -> Callable[[str, Any], Any]:
    if (found := FORMATS.get((model, field.name))) is not None:
        return functools.partial(_formatted, found)
    if field.choices:
        return _choice
    return next((rule for kind, rule in _RULES if isinstance(field, kind)), _text)


def max_typed_length(model: type[models.Model], field_name: str) -> int | None:
    """The length limit the page states and holds the typed text to; None where typed and stored differ."""
    field: Any = model._meta.get_field(field_name)
    found = FORMATS.get((model, field_name))
    if found is not None and not found.stored_as_typed:
        return None
    return field.max_length if isinstance(field, models.CharField | models.TextField) else None


def _formatted(rule: Format, text: str, field: Any) -> str:
    if rule.stored_as_typed:
        _fits(text, field.max_length)
    return rule.clean(text) if text else ""


def _choice(text: str, field: Any) -> str:
    if text and text not in {str(value) for value, _label in field.choices}:
        raise ValidationError(_("Choose one of the options."))
    return text


def _text(text: str, field: Any) -> str:
    _fits(text, field.max_length)
    return text


def _fits(text: str, max_length: int | None) -> None:
    if max_length and len(text) > max_length:
        raise ValidationError(
            _("Write at most %(n)s characters (you wrote %(m)s).") % {"n": spaced(max_length), "m": len(text)}
        )


def _yes_no(text: str, field: Any) -> bool | None:
    answers = {"": None, "true": True, "yes": True, "false": False, "no": False}
    if text.lower() not in answers:
        raise ValidationError(_("Choose one of the options."))
    return answers[text.lower()]


def _amount(text: str, field: Any) -> int | None:
    if text == "":
        return None if field.null else 0
    try:
        value = parse_amount(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_AMOUNT:
        raise ValidationError(
            _("Write a whole number of kroner from 0 to %(max)s, for example 120 000.") % {"max": spaced(MAX_AMOUNT)}
        )
    return value


def _count(text: str, field: Any) -> int | None:
    if text == "":
        return None if field.null else 0
    value = int(text.replace(" ", "")) if _COUNT.fullmatch(text) else -1
    if not 0 <= value <= MAX_COUNT:
        raise ValidationError(_("Write a count as a whole number from 0 to %(max)s.") % {"max": spaced(MAX_COUNT)})
    return value


def _codes(text: str, field: Any) -> list[str]:
    """The checked codes of a group of checkboxes (semesters), comma-separated, each once."""
    return list(dict.fromkeys(code for code in text.split(",") if code))


def _pk(text: str, field: Any) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


_COUNT = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]{1,12}")
_RULES: tuple[tuple[type[models.Field[Any, Any]], Callable[[str, Any], Any]], ...] = (
    (models.PositiveBigIntegerField, _amount),
    (models.PositiveIntegerField, _count),
    (models.BooleanField, _yes_no),
    (models.JSONField, _codes),
    (models.ForeignKey, _pk),
)


def spaced(number: int) -> str:
    """A number with a space between thousands, as the form writes it: 10 000."""
    return f"{number:,}".replace(",", "\u00a0")
