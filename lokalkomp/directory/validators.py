"""Norwegian register numbers, checked with python-stdnum (MOD11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
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


def clean_account_number(value: str) -> str:
    """Return the 11 digits of a valid Norwegian account number or raise ValidationError."""
    try:
        return str(kontonr.validate(value))
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid account number (11 digits with a valid check digit).") % {"value": value},
            code="invalid_account_number",
        ) from error


def validate_org_number(value: str) -> None:
    clean_org_number(value)


def validate_account_number(value: str) -> None:
    clean_account_number(value)


def format_org_number(value: str) -> str:
    return orgnr.format(value) if value else ""


def format_account_number(value: str) -> str:
    """Show an account number the Norwegian way: 4516.27.94918."""
    return kontonr.format(value) if value else ""
