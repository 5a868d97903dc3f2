"""Who is invited to a gathering, read from people's memberships, and the reverse: a person's gatherings.

- The forum: the forum's members, deputies and secretaries of the gathering's office.
- The network: everyone placed in the network (its coordinators), the contacts of its member
  owners, and the universities/colleges' contacts and union representatives of its office. Which
  UH take part in which network is known only from the partnerships (needs, after this app in the
  year), so the office's UH contacts and union representatives are all invited.
- Everyone in the county: the office's people as the accounts app counts them (`people_of_offices_q`).

`invitees` lists the people of one gathering; `calendar_gatherings` is its mirror for one person (their calendar
feed), and a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, Membership, Role, User
from lokalkomp.accounts.rules import coordinated_network_ids, holds_any_role, office_ids_with, people_of_offices_q
from lokalkomp.directory.models import Network

from .models import Gathering

UH_AND_UNIONS = (Role.PARTNER_CONTACT, Role.UNION_REP)
Audience = Gathering.Audience


def _in_office(office_id: int) -> Q:
    """Memberships (on Membership) held in the office: there, or at one of its organisations."""
    return (
        Q(office_id=office_id)
        | Q(organisation__office_id=office_id)
        | Q(organisation__municipality__county__office_id=office_id)
    )


def invitees(gathering: Gathering) -> QuerySet[User]:
    """The people the gathering invites (none where only its organisers are), active accounts only."""
    people = User.objects.filter(is_active=True)
    current = Membership.objects.current()
    if gathering.audience == Audience.FORUM:
        found = current.filter(role__in=FORUM_ROLES, office_id=gathering.office_id)
    elif gathering.audience == Audience.NETWORK and gathering.network_id:
        owners = Network.owners.through.objects.filter(network_id=gathering.network_id).values("organisation_id")
        found = current.filter(
            Q(network_id=gathering.network_id)
            | Q(role=Role.OWNER_CONTACT, organisation_id__in=owners)
            | (Q(role__in=UH_AND_UNIONS) & _in_office(gathering.office_id))
        )
    elif gathering.audience == Audience.COUNTY:
        return people.filter(people_of_offices_q({gathering.office_id})).distinct().order_by("email")
    else:
        return people.none()
    return people.filter(pk__in=found.values("user_id")).order_by("email")


@dataclass(frozen=True)
class Places:
    """Where one person takes part, as the invitations read it, from one read of their memberships."""

    forum: set[int]  # offices whose forum they sit in
    networks: set[int]  # networks they are placed in, or whose member owner they speak for
    uh_and_union_offices: set[int]  # offices where they are a UH contact or a union representative
    governed: set[int]  # offices they are the Statsforvalter of (they run its gatherings)
    coordinated: set[int]  # networks they coordinate (they run those gatherings)


def places_of(user: Any) -> Places:
    """The person's places, from the roles accounts.rules has read for the request (cached on the user).

    Only someone who speaks for an organisation (an owner's, a UH's or a union's contact) costs a
    query more: which organisation, and which networks an owner is a member of.
    """
    forum, governed = office_ids_with(user, FORUM_ROLES), office_ids_with(user, GOVERNOR_ROLES)
    coordinated = coordinated_network_ids(user)
    networks, uh_and_union_offices = set(coordinated), office_ids_with(user, UH_AND_UNIONS)
    if holds_any_role(user, (Role.OWNER_CONTACT, *UH_AND_UNIONS)):
        rows = list(
            user.memberships.current()
            .filter(role__in=(Role.OWNER_CONTACT, *UH_AND_UNIONS))
            .values_list("role", "network_id", "organisation_id")
        )
        networks |= {net for _role, net, _org in rows if net}
        owners = {org for role, _net, org in rows if role == Role.OWNER_CONTACT and org}
        if owners:
            through = Network.owners.through.objects.filter(organisation_id__in=owners)
            networks |= set(through.values_list("network_id", flat=True))
        uh_and_union_offices |= _organisation_offices(
            {org for role, _net, org in rows if role in UH_AND_UNIONS and org}
        )
    return Places(
        forum=forum,
        networks=networks,
        uh_and_union_offices=uh_and_union_offices,
        governed=governed,
        coordinated=coordinated,
    )


def invited_q(places: Places) -> Q:
    """The gatherings (on Gathering) that invite the person to the forum or the network, or that they run.

    The county's gatherings are left to `in_county`: who counts among an office's people is the
    accounts app's rule (with what later apps add to it), asked of the person and the office.
    """
    network = Q(network_id__in=places.networks) | Q(office_id__in=places.uh_and_union_offices)
    return (
        Q(audience=Audience.FORUM, office_id__in=places.forum)
        | (Q(audience=Audience.NETWORK) & network)
        | Q(office_id__in=places.governed)  # the organisers (rules.run_gatherings_q), from the same rows
        | Q(network_id__in=places.coordinated)
    )


def in_county(user: Any, office_ids: set[int]) -> set[int]:
    """The offices among these whose people (accounts.rules.people_of_offices_q) include the user: a query each."""
    person = User.objects.filter(pk=user.pk)
    return {office for office in office_ids if person.filter(people_of_offices_q({office})).exists()}


def _organisation_offices(organisation_ids: set[int]) -> set[int]:
    from lokalkomp.directory.models import Organisation

    if not organisation_ids:
        return set()
    rows = Organisation.objects.filter(pk__in=organisation_ids).values_list(
        "office_id", "municipality__county__office_id"
    )
    return {own or by_place for own, by_place in rows if own or by_place}


def calendar_gatherings(user: Any, since: dt.date) -> list[Gathering]:
    """The published gatherings from `since` in a person's calendar feed: those that invite them, those they run."""
    return among_invited(user, Gathering.objects.published().filter(date__gte=since))


def among_invited(user: Any, gatherings: QuerySet[Gathering]) -> list[Gathering]:
    """Those of the gatherings that invite the user or that the user runs, with their agendas (the feed).

    Read in one query with every county-wide gathering among them, which a query per office then
    keeps or drops (a handful of offices hold them, so this is cheaper than asking first).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found = gatherings.select_related("round__office").prefetch_related("agenda").order_by("date", "pk")
    if user.is_superuser:
        return list(found)
    places = places_of(user)
    return seen_among(user, list(found.filter(invited_q(places) | Q(audience=Audience.COUNTY))), places=places)


def seen_among(
    user: Any, gatherings: list[Gathering], *, places: Places | None = None, with_forum: bool = False
) -> list[Gathering]:
    """Those of these gatherings (already read) that invite the user or that the user runs.

    `with_forum`: and those the user's forum sees (rules.can_view_gathering), for the picks.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return gatherings
    places = places or places_of(user)

    def direct(g: Gathering) -> bool:
        return _runs_or_invited(places, g) or (with_forum and g.office_id in places.forum)

    county = in_county(user, {g.office_id for g in gatherings if g.audience == Audience.COUNTY and not direct(g)})
    return [g for g in gatherings if direct(g) or (g.audience == Audience.COUNTY and g.office_id in county)]


def _runs_or_invited(places: Places, g: Gathering) -> bool:
    """`invited_q`, asked of one gathering in memory."""
    if g.office_id in places.governed or g.network_id in places.coordinated:
        return True
    if g.audience == Audience.FORUM:
        return g.office_id in places.forum
    if g.audience == Audience.NETWORK:
        return g.network_id in places.networks or g.office_id in places.uh_and_union_offices
    return False
