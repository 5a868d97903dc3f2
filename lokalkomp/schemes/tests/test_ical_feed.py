"""The personal iCalendar feed: the milestones that concern the person, at a secret address."""

import re

import pytest
from django.urls import reverse

from lokalkomp.schemes.models import CalendarFeed, Milestone
from lokalkomp.testing import make_office, make_round, make_user

from .helpers import add_cycle

NEEDS_DEADLINE = "Partnerskap leverer behovsmelding til kompetansenettverket"
FORUM_ONLY = "Samarbeidsforum – evaluering og prosess neste år"
NETWORKS_ONLY = "Kompetansenettverkene leverer sammenstilt behovsmelding"
GOVERNOR_ONLY = "Statsforvalteren: endelig godkjenning av innstilling"


@pytest.fixture
def cycle(people):
    return add_cycle(people.round)


def feed_of(client, user):
    feed = CalendarFeed.objects.create(user=user)
    return client.get(reverse("schemes:ical", args=[feed.token]))


def unfolded(response):
    return response.content.decode().replace("\r\n ", "")


def summaries(response):
    return re.findall(r"^SUMMARY:(.*)\r$", unfolded(response), re.M)


def test_an_owner_contact_gets_the_needs_report_deadline_but_not_the_forums_meetings(client, people, cycle):
    response = feed_of(client, people.owner_contact)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = summaries(response)
    assert any(NEEDS_DEADLINE in s for s in found)
    assert not any(FORUM_ONLY in s for s in found)
    assert not any(NETWORKS_ONLY in s for s in found)
    assert any("Partnerskap inngås og planlegges" in s for s in found)  # for partnerships
    assert len(found) == 3  # the cycle's three items for partnerships: planning and two deadlines


def test_a_forum_member_gets_the_forums_meetings(client, people, cycle):
    found = summaries(feed_of(client, people.forum_member))
    assert any(FORUM_ONLY in s for s in found)
    assert not any(NEEDS_DEADLINE in s for s in found)


def test_a_network_coordinator_gets_the_networks_milestones(client, people, cycle):
    found = summaries(feed_of(client, people.coordinator))
    assert any(NETWORKS_ONLY in s for s in found)
    assert not any(FORUM_ONLY in s for s in found)


def test_the_statsforvalter_gets_the_whole_cycle_of_its_office(client, people, cycle):
    found = summaries(feed_of(client, people.governor))
    assert len(found) == len(cycle)
    assert any(GOVERNOR_ONLY in s for s in found)


def test_milestones_for_everyone_reach_everyone_concerned_and_only_them(client, people, cycle):
    Milestone.objects.create(round=people.round, title="Åpent møte for alle", starts_on=cycle[0].starts_on)
    assert any("Åpent møte for alle" in s for s in summaries(feed_of(client, people.owner_contact)))
    assert any("Åpent møte for alle" in s for s in summaries(feed_of(client, people.union_rep)))
    assert summaries(feed_of(client, people.outsider)) == []
    assert summaries(feed_of(client, people.other_office_governor)) == []


def test_a_deadline_is_an_all_day_event_with_a_stable_uid(client, people, cycle):
    needs = next(m for m in cycle if m.governs == "needs_reports")
    text = unfolded(feed_of(client, people.owner_contact))
    event = text[text.index(f"UID:milestone-{needs.pk}@lokalkomp") :].split("END:VEVENT")[0]
    assert "DTSTART;VALUE=DATE:20261215\r\n" in event
    assert "DTEND;VALUE=DATE:20261216\r\n" in event
    assert "LOCATION:lokalkomp\r\n" in event
    assert NEEDS_DEADLINE in event


def test_the_feed_reads_a_fixed_number_of_queries_however_many_milestones(
    client, people, django_assert_max_num_queries, django_assert_num_queries
):
    add_cycle(people.round)
    feed = CalendarFeed.objects.create(user=people.governor)
    url = reverse("schemes:ical", args=[feed.token])
    with django_assert_max_num_queries(7) as few:
        client.get(url)
    for year in (2028, 2029, 2030):
        add_cycle(make_round(people.office, year=year))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(summaries(response)) == 4 * 16


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("schemes:ical", args=["not-a-token"])).status_code == 404


def test_an_inactive_persons_feed_is_404(client, people, cycle):
    people.owner_contact.is_active = False
    people.owner_contact.save()
    assert feed_of(client, people.owner_contact).status_code == 404


def test_a_new_link_makes_the_old_address_stop_working(client, people, cycle):
    feed = CalendarFeed.objects.create(user=people.owner_contact)
    old = reverse("schemes:ical", args=[feed.token])
    client.force_login(people.owner_contact)
    assert client.post(reverse("schemes:new_feed_link")).status_code == 302
    client.logout()
    feed.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(reverse("schemes:ical", args=[feed.token])).status_code == 200


def test_another_offices_rounds_stay_out(client, people, cycle):
    elsewhere = make_round(make_office(), year=2027)
    Milestone.objects.create(round=elsewhere, title="Fremmed frist", starts_on=cycle[0].starts_on, audience="all")
    assert not any("Fremmed frist" in s for s in summaries(feed_of(client, people.owner_contact)))


def test_a_forum_member_of_one_office_gets_only_that_offices_forum_meetings(client, people, cycle):
    other = make_round(make_office(), year=2027)
    Milestone.objects.create(round=other, title="Annet forum", starts_on=cycle[0].starts_on, audience="forum")
    assert not any("Annet forum" in s for s in summaries(feed_of(client, people.forum_member)))
    assert summaries(feed_of(client, make_user())) == []
