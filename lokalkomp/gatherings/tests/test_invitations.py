"""Invitations: who a gathering invites (from memberships), and the gathering in the annual cycle and feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Organisation
from lokalkomp.gatherings.audience import calendar_gatherings, invitees
from lokalkomp.gatherings.models import Gathering
from lokalkomp.schemes.models import CalendarFeed
from lokalkomp.testing import make_municipality, make_organisation, make_user

from .helpers import make_gathering

pytestmark = pytest.mark.django_db

PEOPLE = (
    "governor",
    "forum_member",
    "coordinator",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "outsider",
    "other_coordinator",
    "other_office_governor",
)


@pytest.fixture
def places(cast):
    """The owner contact speaks for a member owner of the network; a UH contact and a union rep of the office."""
    owner = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(owner)
    Membership.objects.create(user=cast.owner_contact, role=Role.OWNER_CONTACT, organisation=owner)
    university = make_organisation(Organisation.Kind.UNIVERSITY, municipality=make_municipality(cast.office))
    Membership.objects.create(user=cast.partner_contact, role=Role.PARTNER_CONTACT, organisation=university)
    Membership.objects.create(user=cast.union_rep, role=Role.UNION_REP, office=cast.office)
    return cast


def invited(gathering, cast):
    emails = set(invitees(gathering).values_list("email", flat=True))
    return {name for name in PEOPLE if getattr(cast, name).email in emails}


def test_the_forum_is_the_forums_people(places):
    gathering = make_gathering(places.round, audience=Gathering.Audience.FORUM)
    assert invited(gathering, places) == {"forum_member"}


def test_the_network_is_its_coordinator_owners_uh_and_unions(places):
    gathering = make_gathering(places.round, network=places.network, audience=Gathering.Audience.NETWORK)
    assert invited(gathering, places) == {"coordinator", "owner_contact", "partner_contact", "union_rep"}


def test_the_county_is_everyone_of_the_office(places):
    gathering = make_gathering(places.round, audience=Gathering.Audience.COUNTY)
    assert invited(gathering, places) == set(PEOPLE) - {"outsider", "other_office_governor"}


def test_only_the_organisers_is_nobody(places):
    assert invited(make_gathering(places.round), places) == set()


@pytest.mark.parametrize("audience", ["", "forum", "network", "county"])
def test_a_persons_calendar_holds_what_invites_them_and_what_they_run(places, audience):
    gathering = make_gathering(places.round, network=places.network, audience=audience)
    since = gathering.date - dt.timedelta(days=1)
    runners = {"governor", "coordinator"}
    for name in PEOPLE:
        person = getattr(places, name)
        expected = name in invited(gathering, places) or name in runners
        assert (gathering in calendar_gatherings(person, since)) == expected, (audience, name)


def test_a_draft_is_in_no_calendar(places):
    gathering = make_gathering(places.round, published=False, audience=Gathering.Audience.COUNTY)
    assert calendar_gatherings(places.forum_member, gathering.date) == []


def test_the_organiser_chooses_the_audience(client, places):
    client.force_login(places.governor)
    data = {"title": "Samling", "date": "05.10.2027", "place_kind": "physical", "round": places.round.pk}
    refused = client.post("/samlinger/ny/", data | {"audience": "network"})
    assert refused.status_code == 422 and not Gathering.objects.exists()
    assert client.post("/samlinger/ny/", data | {"audience": "forum"}).status_code == 302
    gathering = Gathering.objects.get()
    page = client.get(gathering.get_absolute_url()).content.decode()
    assert gathering.audience == "forum" and str(places.forum_member) in page


def test_the_detail_page_counts_the_invited_in_a_fixed_number_of_queries(client, places, django_assert_max_num_queries):
    gathering = make_gathering(places.round, audience=Gathering.Audience.COUNTY)
    for _n in range(15):
        Membership.objects.create(user=make_user(), role=Role.FORUM_MEMBER, office=places.office)
    client.force_login(places.governor)
    with django_assert_max_num_queries(14):
        assert client.get(gathering.get_absolute_url()).status_code == 200


def test_a_published_gathering_is_on_the_rounds_calendar(client, places):
    day = dt.date(places.round.year, 10, 5)
    make_gathering(places.round, title="Nettverkssamling Indre Helgeland", date=day, place="Mosjøen")
    make_gathering(places.round, title="Utkast til samling", date=day, published=False)
    teams = make_gathering(
        places.round, title="Samling på Teams", date=day, place_kind="teams", link="https://teams.example/hemmelig"
    )
    url = reverse("schemes:calendar", args=[places.office.slug, places.round.year])
    page = client.get(url).content.decode()
    assert "Nettverkssamling Indre Helgeland" in page and "Mosjøen" in page and teams.title in page
    assert "Utkast til samling" not in page and "hemmelig" not in page


def test_the_feed_holds_the_gatherings_that_invite_the_person(client, places):
    day = timezone.localdate() + dt.timedelta(days=20)
    gathering = make_gathering(
        places.round,
        network=places.network,
        audience=Gathering.Audience.NETWORK,
        date=day,
        place_kind="teams",
        link="https://teams.example/m",
    )
    gathering.agenda.create(what="Påstandsspillet")
    for name, expected in (("owner_contact", True), ("forum_member", False)):
        feed = CalendarFeed.objects.create(user=getattr(places, name))
        text = client.get(reverse("schemes:ical", args=[feed.token])).content.decode().replace("\r\n ", "")
        assert (f"UID:gathering-{gathering.pk}@lokalkomp" in text) == expected, name
        if expected:
            assert "Påstandsspillet" in text and "https://teams.example/m" in text
