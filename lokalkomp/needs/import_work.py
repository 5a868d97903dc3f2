"""The state of one import and the small checks every part of it uses (see imports.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Office, Organisation
from lokalkomp.directory.validators import clean_account_number, clean_org_number
from lokalkomp.schemes.models import Round

from . import autosave
from .importer import DeclaredTotal as ParsedDeclaredTotal
from .importer import ParsedContact, ParsedMeasure, ParsedReport
from .importer.labels import EMPTY
from .models import (
    Contact,
    Measure,
    NeedsReport,
    Participant,
    Totals,
)

OWNER = Participant.Side.OWNER.value
PARTNER = Participant.Side.PARTNER.value
SUM = "sum"
"""The key of the form's sum row in the declared totals."""

_SIDE_LABELS = {OWNER: "Eier", PARTNER: "UH"}
_SEPARATORS = re.compile(r"\s*,\s*|\s+(?:og|and|&)\s+", re.IGNORECASE)
_MUNICIPALITY_SUFFIX = re.compile(r"\s+(kommuner|kommune)$", re.IGNORECASE)


class ImportRejected(Exception):
    """A parsed report that cannot be imported into the round; the message is meant for the user."""


class ReportExistsError(ImportRejected):
    """The partnership already has a needs report in the round; an import never overwrites one.

    The message names no report: the person importing may not be one who may see it. `report`
    is there for callers that check that (the command line, or the upload for a reader of it).
    """

    def __init__(self, message: str, report: NeedsReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class WithheldAccount:
    """An account number on the form that the import did not fill in, and why.

    `reason` is "side" (the person importing may not change that side's account) or "reauthenticate"
    (they may, but have not confirmed their password recently): see `import_report`'s `may_set_account`.
    """

    participant: Participant
    account_number: str
    reason: str


@dataclass
class ImportOutcome:
    """What an import made, or for a dry run would have made."""

    report: NeedsReport | None
    measures: list[Measure] | list[ParsedMeasure]
    totals: dict[str, Totals]  # per scheme code, computed from the measures
    declared_totals: dict[str, ParsedDeclaredTotal]  # scheme code or "sum", as the form states them
    unplaced: list[str]
    warnings: list[str]
    dry_run: bool = False
    partnership: str = ""
    network: str = ""
    schemes: list[str] = field(default_factory=list)  # the codes the report covers
    new_organisations: list[str] = field(default_factory=list)
    withheld_accounts: list[WithheldAccount] = field(default_factory=list)

    @property
    def grand_total(self) -> Totals:
        return sum(self.totals.values(), Totals())


@dataclass
class _Work:
    """The state of one import: its input and the notes it collects."""

    parsed: ParsedReport
    round: Round
    unplaced: list[str]
    warnings: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)  # side → (org. number, account number)
    pending: dict[str, str] = field(default_factory=dict)  # field key → a value over the form's limit, to correct
    names_cache: dict[str, list[Organisation]] | None = None
    added: list[tuple[str, Any]] = field(default_factory=list)  # (kind, row) for the change record
    filled: list[tuple[Participant, str, str, str]] = field(default_factory=list)  # (row, field, old, new)
    # Whether the person importing may fill in a participant's account number: "" if so, else why not.
    # None: every one is filled in (the command line, run by the server's operator).
    may_set_account: Callable[[Participant], str] | None = None
    withheld: list[WithheldAccount] = field(default_factory=list)

    @property
    def office(self) -> Office:
        return self.round.office

    def unplace(self, where: str, text: str) -> None:
        self.unplaced.append(f"{where}: {text}")

    def over_limit(self, key: str, value: int, where: str, *, amount: bool) -> None:
        """Keep a number above the form's limit as a typed value to correct, not as a stored one."""
        self.pending[key] = _spaced(value)
        if amount:
            message = _("%(where)s: %(value)s kroner is more than the form allows (%(max)s); correct it in the report.")
            limit = autosave.MAX_AMOUNT
        else:
            message = _(
                "%(where)s: %(value)s is more than the form allows for a count (%(max)s); correct it in the report."
            )
            limit = autosave.MAX_COUNT
        self.warnings.append(message % {"where": where, "value": _spaced(value), "max": _spaced(limit)})

    def contact(self, side: str) -> ParsedContact | None:
        return next((c for c in self.parsed.contacts if c.side == side), None)

    def organisations_named(self, name: str) -> list[Organisation]:
        """Organisations whose name or short name is this one, whatever the case and spacing."""
        if self.names_cache is None:
            self.names_cache = {}
            for org in Organisation.objects.all():
                for key in {_name_key(org.name), _name_key(org.short_name)} - {""}:
                    self.names_cache.setdefault(key, []).append(org)
        return self.names_cache.get(_name_key(name), [])

    def side_numbers(self, side: str) -> tuple[str, str]:
        """The valid organisation and account numbers of a side's contact; invalid ones are unplaced once."""
        if side not in self.numbers:
            contact, label = self.contact(side), _SIDE_LABELS[side]
            org_number = _valid(self, clean_org_number, contact.org_number if contact else "", f"Org. nr ({label})")
            account = _valid(
                self, clean_account_number, contact.account_number if contact else "", f"Kontonr ({label})"
            )
            self.numbers[side] = (org_number, account)
        return self.numbers[side]


# --- Small helpers ---------------------------------------------------------------------------


def _valid(work: _Work, clean: Callable[[str], str], value: str, where: str) -> str:
    """The cleaned value, or "" with the value and the reason among the unplaced."""
    value = _text(value)
    if not value:
        return ""
    try:
        return clean(value)
    except ValidationError as error:
        work.unplace(where, " ".join(error.messages))
        return ""


def _clean_email(value: str) -> str:
    try:
        if len(value) > Contact._meta.get_field("email").max_length:  # type: ignore[operator]
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError as error:
        raise ValidationError(_("%(value)s is not a valid e-mail address.") % {"value": value}) from error
    return value


def _fit(work: _Work, value: str, max_length: int, where: str) -> str:
    """A value cut to the field's length; the whole text is kept among the unplaced."""
    if len(value) <= max_length:
        return value
    work.unplace(where, value)
    return value[: max_length - 1].rstrip() + "…"


def _fit_field(work: _Work, model: type[Any], name: str, value: str, where: str) -> str:
    """A text cut to its field's length (the form states it); the whole text is kept among the unplaced."""
    max_length = model._meta.get_field(name).max_length
    text = _text(value)
    return _fit(work, text, max_length, where) if max_length else text


def _spaced(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _text(value: str) -> str:
    return value.replace(EMPTY, "").strip()


def _name_key(name: str) -> str:
    return "".join(name.casefold().split())
