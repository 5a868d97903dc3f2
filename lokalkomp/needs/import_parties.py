"""Placing a parsed form's parties: organisations, the partnership, its participants and contacts.

Found by organisation number, else by name; created only for the two paid organisations. Part of
`imports.import_report`; see imports.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Municipality, Network, Organisation
from lokalkomp.schemes.models import Round

from .import_work import (
    _MUNICIPALITY_SUFFIX,
    _SEPARATORS,
    _SIDE_LABELS,
    OWNER,
    PARTNER,
    ReportExistsError,
    WithheldAccount,
    _clean_email,
    _fit,
    _name_key,
    _text,
    _valid,
    _Work,
)
from .importer import ParsedContact
from .importer.cells import ascii_fold
from .importer.labels import EMPTY
from .models import (
    Contact,
    FieldEdit,
    NeedsReport,
    Participant,
    Partnership,
    TransitionError,
)

if TYPE_CHECKING:
    from lokalkomp.accounts.models import User

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
    domain = ascii_fold(contact.email.partition("@")[2]) if contact else ""
    for name in names:
        first_word = ascii_fold(name.split()[0]) if name.split() else ""
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
    """A new organisation, unconfirmed, of the kind its name says: `Organisation.objects.for_party`, as on the web."""
    municipality = None
    if side == OWNER and (suffix := _MUNICIPALITY_SUFFIX.search(name)):  # «… kommune», not «… fylkeskommune»
        matches = list(Municipality.objects.filter(name__iexact=name[: suffix.start()]))
        municipality = matches[0] if len(matches) == 1 else None
    org, created = Organisation.objects.for_party(
        name=_fit(work, name, 200, _SIDE_LABELS[side]),
        owner=side == OWNER,
        org_number=number,
        # The upload leaves the directory's account number to the directory, as the web form does: a side's
        # account is its participant's, filled in only by those who may change it (_participant).
        account_number=account if work.may_set_account is None else "",
        municipality=municipality,
    )
    if created:
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
    existing = Participant.objects.filter(partnership=partnership, organisation=org).first()
    refused = _account_refused(
        work, existing or Participant(partnership=partnership, organisation=org, side=side), account
    )
    withheld, account = (account, "") if refused else ("", account)
    participant, created = Participant.objects.get_or_create(
        partnership=partnership,
        organisation=org,
        defaults={"side": side, "is_lead": is_lead, "account_number": account, "payment_reference": reference},
    )
    if withheld:
        work.withheld.append(WithheldAccount(participant, withheld, refused))
    if created:
        work.added.append(("participant", participant))
    else:
        _fill_in(work, participant, account, reference)
    if contact is not None:
        _contact(work, participant, contact)
    return participant


def _account_refused(work: _Work, participant: Participant, account: str) -> str:
    """Why the import may not fill in this account number ("" if it may): the same rule as the form's.

    Only where it would write one (the participant has none yet; one on file is never overwritten).
    """
    if not account or participant.account_number or work.may_set_account is None:
        return ""
    return work.may_set_account(participant)


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
    name = _fit(work, _text(parsed.name) or email, 200, f"Navn ({label})")
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
