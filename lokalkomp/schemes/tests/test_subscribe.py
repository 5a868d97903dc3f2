"""The page with the person's secret calendar address, and the button that makes a new one."""

import pytest
from django.urls import reverse

from lokalkomp.schemes.models import CalendarFeed

from .helpers import add_cycle, body


@pytest.fixture
def owner(client, people):
    client.force_login(people.owner_contact)
    return client


def test_an_anonymous_visitor_is_sent_to_the_login(client, db):
    for response in (client.get(reverse("schemes:subscribe")), client.post(reverse("schemes:new_feed_link"))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not CalendarFeed.objects.exists()


def test_looking_at_the_page_makes_no_link(owner, people):
    assert owner.get(reverse("schemes:subscribe")).status_code == 200
    assert not CalendarFeed.objects.exists()


def test_the_person_makes_a_link_and_sees_it(owner, people):
    assert owner.post(reverse("schemes:new_feed_link")).status_code == 302
    feed = CalendarFeed.objects.get(user=people.owner_contact)
    assert len(feed.token) >= 40
    html = body(owner.get(reverse("schemes:subscribe")))
    assert f"http://testserver/runder/ical/{feed.token}.ics" in html
    assert f"webcal://testserver/runder/ical/{feed.token}.ics" in html


def test_making_a_new_link_replaces_the_secret(owner, people):
    feed = CalendarFeed.objects.create(user=people.owner_contact)
    old = feed.token
    owner.post(reverse("schemes:new_feed_link"))
    feed.refresh_from_db()
    assert feed.token != old
    assert CalendarFeed.objects.count() == 1
    assert old not in body(owner.get(reverse("schemes:subscribe")))


def test_the_page_lists_what_is_coming_up_for_the_person(owner, people):
    add_cycle(people.round)
    html = body(owner.get(reverse("schemes:subscribe")))
    assert "Partnerskap leverer behovsmelding til kompetansenettverket" in html
    assert "Samarbeidsforum – evaluering og prosess neste år" not in html


def test_one_persons_link_is_not_shown_to_another(client, people):
    feed = CalendarFeed.objects.create(user=people.owner_contact)
    client.force_login(people.outsider)
    assert feed.token not in body(client.get(reverse("schemes:subscribe")))
