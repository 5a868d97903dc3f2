"""Turn a parsed needs report (behovsmelding) into rows: organisations, partnership, report, measures.

`import_report` makes a draft report in one round. Whatever it cannot place (a scheme the round
does not run, an invalid organisation or account number, an owner not in the directory) is kept
in `ImportOutcome.unplaced` and in the report's `unplaced_text`, after what the parser kept there.
A dry run does all the same work inside a transaction that is rolled back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Municipality, Network, Office, Organisation
from lokalkomp.directory.validators import clean_account_number, clean_org_number
from lokalkomp.schemes.models import Round, Scheme, Use

from . import editing
from .importer import DeclaredTotal as ParsedDeclaredTotal
from .importer import ParsedContact, ParsedMeasure, ParsedReport
from .importer.labels import EMPTY
from .models import (
    Contact,
    Continuation,
    DeclaredTotal,
    FieldEdit,
    Measure,
    NeedsReport,
    Participant,
    Partnership,
    ReportEvent,
    ReportScheme,
    Totals,
    TransitionError,
    UnionParticipant,
)

if TYPE_CHECKING:
    from lokalkomp.accounts.models import User

OWNER = Participant.Side.OWNER.value
PARTNER = Participant.Side.PARTNER.value
SUM = "sum"
"""The key of the form's sum row in the declared totals."""

_SIDE_LABELS = {OWNER: "Eier", PARTNER: "UH"}
_SEPARATORS = re.compile(r"\s*,\s*|\s+(?:og|and|&)\s+", re.IGNORECASE)
_MUNICIPALITY_SUFFIX = re.compile(r"\s+(kommuner|kommune)$", re.IGNORECASE)
_UNIT_FIELDS = ("municipal_kindergartens", "private_kindergartens", "public_schools", "private_schools", "pp_services")
_MEASURE_TEXTS = Measure.NARRATIVE_FIELDS


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
            limit = editing.MAX_AMOUNT
        else:
            message = _("%(where)s: %(value)s is more than the form allows for a count (%(max)s); correct it in the report.")
            limit = editing.MAX_COUNT
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


# --- Entry points ----------------------------------------------------------------------------


def import_report(
    parsed: ParsedReport, *, round: Round, by: User | None, dry_run: bool = False, filename: str = ""
) -> ImportOutcome:
    """Create a draft needs report in the round from a parsed form.

    Raises ImportRejected (ReportExistsError when the partnership already reported in the round);
    then nothing is written. With dry_run nothing is written either, and the outcome is the same.
    """
    work = _Work(parsed=parsed, round=round, unplaced=list(parsed.unplaced))
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
    report.unplaced_text = "\n".join(work.unplaced)
    report.pending = work.pending
    # Not an edit: no new version.
    NeedsReport.objects.filter(pk=report.pk).update(unplaced_text=report.unplaced_text, pending=report.pending)
    ReportEvent.objects.create(  # a system comment, shown in the reader's language
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
    )


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


# --- Organisations ---------------------------------------------------------------------------


def _lead_organisation(work: _Work, side: str) -> Organisation | None:
    """The organisation paid for one side: found by organisation number, else by name, else created."""
    contact = work.contact(side)
    number, account = work.side_numbers(side)
    names = _side_names(work, side)
    name = _lead_name(names, contact) if side == OWNER else (names[0] if names else "")
    kinds = Organisation.OWNER_KINDS if side == OWNER else Organisation.PARTNER_KINDS
    org = _existing_organisation(work, number, name, kinds)
    if org is not None or not (name or number):
        return org
    return _create_organisation(work, side, name or _("Organisation %(number)s") % {"number": number}, number, account)


def _side_names(work: _Work, side: str) -> list[str]:
    if side == OWNER:
        return _split_names(work.parsed.owner_names, work.parsed.several_owners)
    return _split_names(work.parsed.partner_names, work.parsed.several_partners)


def _split_names(text: str, several: bool | None) -> list[str]:
    """ "Alstahaug, Leirfjord, Lurøy og Træna kommuner" → ["Alstahaug kommune", …, "Træna kommune"]."""
    text = " ".join(text.replace(EMPTY, " ").split()).strip(" ,.;")
    suffix = _MUNICIPALITY_SUFFIX.search(text)
    plural = bool(suffix and suffix.group(1).lower() == "kommuner")
    if not text or not (several or plural or "," in text):
        return [text] if text else []
    body = text[: suffix.start()] if suffix else text
    parts = [part for part in _SEPARATORS.split(body) if part]
    if suffix and (plural or len(parts) > 1):
        return [part if part.lower().endswith("kommune") else f"{part} kommune" for part in parts]
    return [text] if suffix else parts


def _lead_name(names: list[str], contact: ParsedContact | None) -> str:
    """Of several owners, the one whose name the contact's e-mail domain holds; else the first."""
    domain = _fold(contact.email.partition("@")[2]) if contact else ""
    for name in names:
        first_word = _fold(name.split()[0]) if name.split() else ""
        if domain and first_word and first_word in domain:
            return name
    return names[0] if names else ""


def _existing_organisation(work: _Work, number: str, name: str, kinds: Iterable[str]) -> Organisation | None:
    if number:
        by_number = Organisation.objects.filter(org_number=number).first()
        if by_number is not None:
            return by_number
    org = next((o for o in work.organisations_named(name) if o.kind in kinds), None)
    if org is not None and number and org.org_number and org.org_number != number:
        work.warnings.append(
            _("%(name)s has organisation number %(theirs)s in the directory; the form gives %(ours)s.")
            % {"name": org.name, "theirs": org.org_number, "ours": number}
        )
    return org


def _create_organisation(work: _Work, side: str, name: str, number: str, account: str) -> Organisation:
    folded = name.casefold()
    if side == OWNER:
        kind = Organisation.Kind.COUNTY_MUNICIPALITY if "fylkeskommune" in folded else Organisation.Kind.MUNICIPALITY
    else:
        kind = Organisation.Kind.VOCATIONAL_COLLEGE if "fagskol" in folded else Organisation.Kind.UNIVERSITY
    municipality = None
    if kind == Organisation.Kind.MUNICIPALITY and (suffix := _MUNICIPALITY_SUFFIX.search(name)):
        matches = list(Municipality.objects.filter(name__iexact=name[: suffix.start()]))
        municipality = matches[0] if len(matches) == 1 else None
    org = Organisation.objects.create(
        kind=kind,
        name=_fit(work, name, 200, _SIDE_LABELS[side]),
        org_number=number,
        account_number=account,
        municipality=municipality,
    )
    work.new_organisations.append(org.name)
    work.names_cache = None
    return org


# --- Partnership and participants ------------------------------------------------------------


def _partnership(work: _Work, owner: Organisation, partner: Organisation | None) -> Partnership:
    """The office's partnership with these two paid organisations, or a new one."""
    found = Partnership.objects.filter(
        office=work.office, participants__organisation=owner, participants__side=OWNER, participants__is_lead=True
    )
    if partner is not None:
        found = found.filter(participants__organisation=partner, participants__side=PARTNER, participants__is_lead=True)
    partnership = found.select_related("network").first()
    network = _network(work, owner) if partnership is None or partnership.network is None else partnership.network
    if partnership is None:
        return Partnership.objects.create(office=work.office, network=network, name=_partnership_name(work))
    if partnership.network is None and network is not None:
        partnership.network = network
        partnership.save(update_fields=["network"])
    return partnership


def _partnership_name(work: _Work) -> str:
    """The payment reference ("Ev. merkes"), which names the partnership, or its members."""
    references = [c.payment_reference for c in work.parsed.contacts if c.payment_reference]
    if references:
        return references[0][:200]
    members = [" ".join(n.split()) for n in (work.parsed.owner_names, work.parsed.partner_names) if n.strip()]
    return " – ".join(members)[:200] or _("Partnership from an import")


def _network(work: _Work, owner: Organisation) -> Network | None:
    """The office's network whose name begins the form's ("Ytre Helgeland (GOA)"), or the owner's only one."""
    networks = list(Network.objects.filter(office=work.office))
    wanted = " ".join(work.parsed.network_name.replace(EMPTY, " ").split())
    if not wanted:
        mine = [network for network in networks if owner in network.owners.all()]
        return mine[0] if len(mine) == 1 else None
    folded = wanted.casefold()
    matches = [n for n in networks if folded.startswith(n.name.casefold()) or n.name.casefold().startswith(folded)]
    if matches:
        return max(matches, key=lambda network: len(network.name))
    work.unplace(
        "Kompetansenettverk",
        _("%(name)s (no network of that name in %(office)s)") % {"name": wanted, "office": work.office},
    )
    return None


def _refuse_existing(partnership: Partnership, round: Round) -> None:
    existing = NeedsReport.objects.filter(partnership=partnership, round=round).first()
    if existing is None:
        return
    try:
        existing.assert_editable()  # the model's rule: a submitted report is a record
    except TransitionError:
        message = _(
            "The partnership on the form has already submitted its needs report in this round; "
            "an import cannot change a submitted report."
        )
    else:
        message = _(
            "The partnership on the form already has a needs report in this round; an import never overwrites one. "
            "Make the changes in the report itself."
        )
    raise ReportExistsError(message, existing)


def _add_participants(work: _Work, partnership: Partnership, owner: Organisation, partner: Organisation | None) -> None:
    for side, lead in ((OWNER, owner), (PARTNER, partner)):
        if lead is None:
            continue
        _participant(work, partnership, lead, side, is_lead=True, contact=work.contact(side))
        names = _side_names(work, side)
        for name in names if len(names) > 1 else []:
            _other_participant(work, partnership, name, side, lead)
    for other in work.parsed.other_partners:
        side = other.kind or OWNER
        participant = _other_participant(work, partnership, other.name, side, None)
        if participant is not None and other.contact:
            _contact(work, participant, ParsedContact(side=side, name=other.contact))


def _other_participant(
    work: _Work, partnership: Partnership, name: str, side: str, lead: Organisation | None
) -> Participant | None:
    """Another owner or UH named on the form: added only when the directory knows it by that name."""
    kinds = Organisation.OWNER_KINDS if side == OWNER else Organisation.PARTNER_KINDS
    matches = [org for org in work.organisations_named(name) if org.kind in kinds]
    if lead is not None and (lead in matches or _name_key(name) in (_name_key(lead.name), _name_key(lead.short_name))):
        return None
    if len(matches) != 1:
        work.unplace(
            _SIDE_LABELS[side],
            _("%(name)s (not found in the directory, so not added to the partnership)") % {"name": name},
        )
        return None
    return _participant(work, partnership, matches[0], side, is_lead=False, contact=None)


def _participant(
    work: _Work, partnership: Partnership, org: Organisation, side: str, *, is_lead: bool, contact: ParsedContact | None
) -> Participant:
    account = work.side_numbers(side)[1] if contact is not None else ""
    reference = _fit(
        work, _text(contact.payment_reference) if contact else "", 200, f"Ev. merkes ({_SIDE_LABELS[side]})"
    )
    participant, created = Participant.objects.get_or_create(
        partnership=partnership,
        organisation=org,
        defaults={"side": side, "is_lead": is_lead, "account_number": account, "payment_reference": reference},
    )
    if created:
        work.added.append(("participant", participant))
    else:
        _fill_in(work, participant, account, reference)
    if contact is not None:
        _contact(work, participant, contact)
    return participant


def _fill_in(work: _Work, participant: Participant, account: str, reference: str) -> None:
    """Fill in what the directory lacks; never overwrite what it has."""
    if account and participant.account_number and participant.account_number != account:
        work.warnings.append(
            _("%(org)s: the form gives account number %(ours)s; %(theirs)s on file was kept.")
            % {"org": participant.organisation, "ours": account, "theirs": participant.account_number}
        )
    if (account and not participant.account_number) or (reference and not participant.payment_reference):
        for name, value in (("account_number", account), ("payment_reference", reference)):
            if value and not getattr(participant, name):
                work.filled.append((participant, name, "", value))
        participant.account_number = participant.account_number or account
        participant.payment_reference = participant.payment_reference or reference
        participant.save(update_fields=["account_number", "payment_reference"])


def _contact(work: _Work, participant: Participant, parsed: ParsedContact) -> None:
    label = _SIDE_LABELS[participant.side]
    email = _valid(work, _clean_email, parsed.email, f"E-post ({label})")
    name = _fit(work, _text(parsed.name), 200, f"Navn ({label})") or email
    if not name:
        return
    # The same person already on the partnership (by e-mail, or by name) is not added again.
    on_partnership = Contact.objects.filter(participant__partnership_id=participant.partnership_id)
    if on_partnership.filter(Q(name__iexact=name) | (Q(email__iexact=email) if email else Q(pk__in=[]))).exists():
        return
    contact = Contact.objects.create(
        participant=participant,
        name=name,
        function=_fit(work, _text(parsed.function), 200, f"Funksjon ({label})"),
        phone=_fit(work, _text(parsed.phone), 30, f"Telefon ({label})"),
        email=email,
    )
    work.added.append(("contact", contact))


def _record_changes(work: _Work, report: NeedsReport, by: User | None) -> None:
    """What the import added to the partnership, or filled in on it, on the report's change record."""
    source = FieldEdit.Source.IMPORT
    for kind, row in work.added:
        FieldEdit.record_row(report, kind, row, added=True, by=by, source=source)
    for participant, name, old, new in work.filled:
        FieldEdit.record(report, f"participant:{participant.pk}:{name}", old=old, new=new, by=by, source=source)


# --- Report, measures, totals ----------------------------------------------------------------


def _create_report(work: _Work, partnership: Partnership, schemes: list[Scheme]) -> NeedsReport:
    parsed = work.parsed
    counts = {name: getattr(parsed, name) for name in _UNIT_FIELDS}
    too_many = {name: value for name, value in counts.items() if value is not None and value > editing.MAX_COUNT}
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
    ReportScheme.objects.bulk_create([ReportScheme(report=report, scheme=scheme) for scheme in schemes])
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
    too_large = {key: value for key, value in amounts.items() if value > editing.MAX_AMOUNT}
    measure = Measure.objects.create(
        report=report,
        scheme=scheme,
        position=position,
        name=name,
        **{**amounts, **dict.fromkeys(too_large, 0)},
        purpose=_purpose(work, where, parsed.purpose),
        needs_coordinator=parsed.needs_coordinator,
        semesters=list(dict.fromkeys(parsed.semesters)),
        **{key: _fit_field(work, Measure, key, getattr(parsed, key), where) for key in _MEASURE_TEXTS},
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
        too_large = {key: value for key, value in amounts.items() if value is not None and value > editing.MAX_AMOUNT}
        continuation = Continuation.objects.create(
            measure=measure,
            period=row.period,
            **{**amounts, **dict.fromkeys(too_large)},
            owner_reason=_fit_field(work, Continuation, "owner_reason", row.owner_reason, here),
            partner_reason=_fit_field(work, Continuation, "partner_reason", row.partner_reason, here),
        )
        for key, value in too_large.items():
            work.over_limit(f"continuation:{continuation.pk}:{key}", value, f"{here} – {_AMOUNT_LABELS[key]}", amount=True)


def _declared_totals(work: _Work, report: NeedsReport) -> dict[str, ParsedDeclaredTotal]:
    """Keep the form's totals table to compare with the computed totals; only for known schemes."""
    schemes = Scheme.objects.in_bulk([key for key in work.parsed.declared_totals if key != SUM], field_name="code")
    kept: dict[str, ParsedDeclaredTotal] = {}
    for key, row in work.parsed.declared_totals.items():
        if key != SUM and key not in schemes:
            work.unplace("Total sum det meldes behov for", f"{key}: {row.owner} / {row.partner} / {row.total}")
            continue
        owner, partner = row.owner or 0, row.partner or 0
        if max(owner, partner, row.total or 0) > editing.MAX_AMOUNT:
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


def _fold(text: str) -> str:
    """Lower-case ASCII, as names appear in e-mail domains (Træna → traena, Lurøy → luroy)."""
    text = text.lower().replace("ø", "o").replace("æ", "ae")
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


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
        "units": {name: getattr(parsed, name) for name in _UNIT_FIELDS},
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
