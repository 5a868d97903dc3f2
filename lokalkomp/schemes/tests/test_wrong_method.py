"""Each page of the annual cycle answers only the methods it is for (405 otherwise)."""

import pytest
from django.urls import reverse

from lokalkomp.schemes.models import CalendarFeed, Milestone

from .helpers import add_cycle

ROUND_PAGES = [
    ("schemes:round", ["post", "put", "delete"]),
    ("schemes:calendar", ["post", "put", "delete"]),
    ("schemes:cycle", ["post", "put", "delete"]),
    ("schemes:add_milestone", ["get", "put", "delete"]),
    ("schemes:set_reminder", ["get", "put", "delete"]),
    ("schemes:copy_previous", ["get", "put", "delete"]),
    ("schemes:start_next_year", ["get", "put", "delete"]),
]
MILESTONE_PAGES = [
    ("schemes:edit_milestone", ["put", "delete", "patch"]),
    ("schemes:delete_milestone", ["put", "delete", "patch"]),
]


@pytest.fixture
def governor(client, people):
    client.force_login(people.governor)
    return client


@pytest.mark.parametrize(("name", "methods"), ROUND_PAGES)
def test_a_round_page_refuses_other_methods(governor, people, name, methods):
    url = reverse(name, args=[people.office.slug, people.round.year])
    for method in methods:
        assert getattr(governor, method)(url).status_code == 405, method


@pytest.mark.parametrize(("name", "methods"), MILESTONE_PAGES)
def test_a_milestone_page_refuses_other_methods(governor, people, name, methods):
    milestone = add_cycle(people.round)[0]
    url = reverse(name, args=[people.office.slug, people.round.year, milestone.pk])
    for method in methods:
        assert getattr(governor, method)(url).status_code == 405, method
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_the_subscription_pages_refuse_other_methods(governor, people):
    feed = CalendarFeed.objects.create(user=people.governor)
    assert governor.post(reverse("schemes:subscribe")).status_code == 405
    assert governor.get(reverse("schemes:new_feed_link")).status_code == 405
    assert governor.post(reverse("schemes:ical", args=[feed.token])).status_code == 405
    feed.refresh_from_db()
    assert governor.get(reverse("schemes:ical", args=[feed.token])).status_code == 200
