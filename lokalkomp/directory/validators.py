"""Norwegian register numbers (checked with python-stdnum, MOD11), phone numbers and e-mail addresses.

The web form and its autosave (through needs/cleaning.py), the models and the import (account and
organisation numbers) call these.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr, orgnr


def clean_org_number(value: str) -> str:
    """Return the 9 digits of a valid organisation number or raise ValidationError."""
    try:
        return str(orgnr.validate(value))
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid organisation number (9 digits with a valid check digit).") % {"value": value},
            code="invalid_org_number",
        ) from error


_ACCOUNT_SEPARATORS = re.compile(r"[\s.]+")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")


def clean_account_number(value: str) -> str:
    """Return the 11 digits of a valid Norwegian account number or raise ValidationError.

    Only 11 digits (spaces and dots between them are fine). python-stdnum alone also accepts 7 to 10
    digits, which it pads with zeros; the bank code 0000 belongs to no bank.
    """
    digits = _ACCOUNT_SEPARATORS.sub("", value)
    try:
        if not _ELEVEN_DIGITS.fullmatch(digits) or digits.startswith("0000"):
            raise StdnumError
        kontonr.validate(digits)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid account number (11 digits with a valid check digit).")
            % {"value": value.strip()[:40]},
            code="invalid_account_number",
        ) from error
    return digits


# A Norwegian number of 8 digits, with or without +47/0047; or any other country's number with its code
# (E.164: at most 15 digits). Spaces are allowed between the digits.
_PHONE_NORWEGIAN = re.compile(r"(?:\+47|0047)?[0-9]{8}")
_PHONE_INTERNATIONAL = re.compile(r"\+[1-9][0-9]{6,14}")


def clean_phone(value: str) -> str:
    """Return the phone number as typed (trimmed) if it is one, or raise ValidationError."""
    text = value.strip()
    compact = re.sub(r"[ \u00a0]", "", text)
    if not (_PHONE_NORWEGIAN.fullmatch(compact) or _PHONE_INTERNATIONAL.fullmatch(compact)):
        raise ValidationError(
            _(
                "Write a phone number of 8 digits, for example 400 00 000, "
                "or with the country code, for example +46 70 123 45 67."
            ),
            code="invalid_phone",
        )
    return text


_EMAIL = EmailValidator(allowlist=[])


def clean_email(value: str) -> str:
    """Return the trimmed address if it is one that mail can reach: a name, an @ and a domain with a dot."""
    text = value.strip()
    domain = text.rpartition("@")[2]
    try:
        _EMAIL(text)
        if "." not in domain or domain.startswith("["):
            raise ValidationError("no domain")
    except ValidationError as error:
        raise ValidationError(
            _("Write a valid e-mail address, for example navn@kommune.no."), code="invalid_email"
        ) from error
    return text


def validate_org_number(value: str) -> None:
    clean_org_number(value)


def validate_account_number(value: str) -> None:
    clean_account_number(value)


def format_org_number(value: str) -> str:
    return orgnr.format(value) if value else ""


def format_account_number(value: str) -> str:
    """Show an account number the Norwegian way: 4516.27.94918."""
    return kontonr.format(value) if value else ""
