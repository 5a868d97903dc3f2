"""Inviting a partnership's contact persons: the invitation form's choices, and what accepting creates.

accounts sends and accepts every invitation but knows nothing of partnerships; NeedsConfig.ready()
registers these, with the predicates in `rules.py`, in `accounts.rules.invitation_kinds`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from lokalkomp.accounts.access import Target
from lokalkomp.accounts.models import AuditEvent, ChangeSource, Invitation, Role, User
from lokalkomp.accounts.rules import InvitationKind
from lokalkomp.directory.models import Network, Organisation

from . import rules
from .models import Contact, FieldEdit, NeedsReport, Participant, describe_row


def owner_contact_targets(user: Any) -> list[Target]:
    """A coordinator's choices: a contact of each owner in the network, alone or in one of its partnerships."""
    role_name = str(Role.OWNER_CONTACT.label)
    owners = Organisation.objects.order_by("name")
    participants = Participant.objects.filter(side="owner").select_related("partnership", "organisation")
    networks = Network.objects.filter(rules.invitable_owner_network_q(user)).select_related("office")
    networks = networks.prefetch_related(
        Prefetch("owners", queryset=owners), Prefetch("partnerships__participants", queryset=participants)
    )
    targets = []
    for network in networks:
        owner_ids = {owner.pk for owner in network.owners.all()}
        for owner in network.owners.all():
            label = f"{role_name} – {owner} ({network})"
            targets.append(
                Target(f"owner.{network.pk}.{owner.pk}", label, Role.OWNER_CONTACT, network.office, network, owner)
            )
        for partnership in network.partnerships.all():
            for p in (p for p in partnership.participants.all() if p.organisation_id in owner_ids):
                label = f"{role_name} – {p.organisation}, «{partnership}»"
                targets.append(
                    Target(
                        f"owner.participant.{p.pk}",
                        label,
                        Role.OWNER_CONTACT,
                        network.office,
                        network,
                        p.organisation,
                        partnership,
                    )
                )
    return targets


def partner_contact_targets(user: Any) -> list[Target]:
    """An owner contact's choices: the contact of the partner institution in each of the user's partnerships."""
    role_name = str(Role.PARTNER_CONTACT.label)
    partners = Participant.objects.filter(rules.invitable_partner_q(user)).select_related(
        "organisation", "partnership__office", "partnership__network"
    )
    return [
        Target(
            f"partner.participant.{p.pk}",
            f"{role_name} – {p.organisation}, «{p.partnership}»",
            Role.PARTNER_CONTACT,
            p.partnership.office,
            p.partnership.network,
            p.organisation,
            p.partnership,
        )
        for p in partners
    ]


def add_contact(invitation: Invitation, user: User) -> None:
    """The invited person joins the partnership as a contact, and that goes on record. A contact already
    there keeps the name and address the partnership gave it. (An invitation to a network's owner, with
    no partnership, gives the membership only.)"""
    if not invitation.partnership_id:
        return
    partnership = invitation.partnership
    participant = Participant.objects.get(partnership=partnership, organisation=invitation.organisation)
    contact, created = Contact.objects.get_or_create(
        participant=participant,
        user=user,
        defaults={"name": user.get_full_name() or user.email, "email": user.email},
    )
    if not created:
        return
    report = (
        NeedsReport.objects.filter(partnership=partnership, status=NeedsReport.Status.DRAFT)
        .order_by("-round__year", "-pk")
        .first()
    )
    if report is not None:
        FieldEdit.record_row(report, "contact", contact, added=True, by=user, source=FieldEdit.Source.FORM)
        return
    AuditEvent.record_change(
        f"contact:{contact.pk}:added",
        object_repr=contact,
        new=describe_row(contact),
        by=user,
        source=ChangeSource.FORM,
        office_id=partnership.office_id,  # type: ignore[union-attr]
    )


KINDS: dict[str, InvitationKind] = {
    Role.OWNER_CONTACT: InvitationKind(
        may_invite=rules.invites_owner_contact_in_coordinated_network,
        targets=owner_contact_targets,
        accept=add_contact,
    ),
    Role.PARTNER_CONTACT: InvitationKind(
        may_invite=rules.invites_partner_contact_into_own_partnership,
        targets=partner_contact_targets,
        accept=add_contact,
    ),
}
