"""The needs columns of the role matrix (accounts.matrix), and the partnership they are asked about.

The world's owner and university form a partnership in the world's network, with a draft report
for 2027 and a submitted one for 2026; the contacts hold their roles on both sides, and the union
representative is named on both reports. NeedsConfig.ready() registers this section.
"""

from __future__ import annotations

from typing import Any

from lokalkomp.accounts.matrix import Action, RoleWorld, Section
from lokalkomp.accounts.models import Invitation, Role
from lokalkomp.schemes.models import Round

from .models import Contact, NeedsReport, Participant, Partnership, UnionParticipant

ACTIONS = (
    Action("Read the draft needs report", "needs.view_needsreport", "report"),
    Action("Read the submitted needs report", "needs.view_needsreport", "submitted_report"),
    Action("Write the needs report", "needs.change_needsreport", "report"),
    Action("Start a needs report", "needs.add_needsreport", "partnership"),
    Action("Reopen the needs report", "needs.reopen_needsreport", "submitted_report"),
    Action("See the network's overview of its reports", "needs.view_network_overview", "network"),
    Action("Change the owner's account number", "needs.change_participant_account", "owner_participant"),
    Action("Change the UH's account number", "needs.change_participant_account", "partner_participant"),
    Action("Change a side's account on the report page", "needs.change_report_accounts", "report"),
    Action("Invite owners' contacts", "accounts.add_invitation", "invite_owner_contact"),
    Action("Invite the UH contact", "accounts.add_invitation", "invite_partner_contact"),
    Action("Read the round's work list", "needs.view_worklist", "worklist_round"),
    Action("Remind partnerships without a report", "needs.remind_partnership", "worklist_round"),
)


def place(world: RoleWorld) -> dict[str, Any]:
    partnership = Partnership.objects.create(office=world.office, network=world.network, name="Partnerskapet")
    sides = {}
    for side, organisation, role in (
        ("owner", world.owner, Role.OWNER_CONTACT),
        ("partner", world.partner, Role.PARTNER_CONTACT),
    ):
        sides[side] = Participant.objects.create(
            partnership=partnership, organisation=organisation, side=side, is_lead=True
        )
        holder = world.holders[role]
        Contact.objects.create(participant=sides[side], user=holder, name=str(holder), email=holder.email)
    reports = {}
    for year, status in ((2026, NeedsReport.Status.SUBMITTED), (2027, NeedsReport.Status.DRAFT)):
        round, _created = Round.objects.get_or_create(office=world.office, year=year)
        reports[status] = NeedsReport.objects.create(partnership=partnership, round=round, status=status)
        UnionParticipant.objects.create(
            report=reports[status], role="Hovedtillitsvalgt", name="T", user=world.holders[Role.UNION_REP]
        )
    office = {"office": world.office}
    return {
        "report": reports[NeedsReport.Status.DRAFT],
        "submitted_report": reports[NeedsReport.Status.SUBMITTED],
        "partnership": partnership,
        "network": world.network,
        "worklist_round": reports[NeedsReport.Status.DRAFT].round,
        "owner_participant": sides["owner"],
        "partner_participant": sides["partner"],
        "invite_owner_contact": Invitation(
            role=Role.OWNER_CONTACT,
            network=world.network,
            organisation=world.owner,
            partnership=partnership,
            **office,
        ),
        "invite_partner_contact": Invitation(
            role=Role.PARTNER_CONTACT, organisation=world.partner, partnership=partnership, **office
        ),
    }


SECTION = Section(actions=ACTIONS, place=place)
