"""The round page leads to the calendar, the subscription and (for its Statsforvalter) the editor."""

import pytest
from django.urls import reverse

from .helpers import add_cycle, body


@pytest.fixture
def round_url(people):
    add_cycle(people.round)
    return reverse("schemes:round", args=[people.office.slug, people.round.year])


def test_the_statsforvalter_of_the_office_sees_the_link_to_edit_the_cycle(client, people, round_url):
    client.force_login(people.governor)
    html = body(client.get(round_url))
    assert reverse("schemes:cycle", args=[people.office.slug, people.round.year]) in html
    assert reverse("schemes:calendar", args=[people.office.slug, people.round.year]) in html
    assert reverse("schemes:subscribe") in html


@pytest.mark.parametrize("who", ["other_office_governor", "forum_member", "coordinator", "owner_contact", "outsider"])
def test_others_see_the_calendar_and_subscription_but_no_editor(client, people, round_url, who):
    client.force_login(getattr(people, who))
    html = body(client.get(round_url))
    assert reverse("schemes:cycle", args=[people.office.slug, people.round.year]) not in html
    assert reverse("schemes:calendar", args=[people.office.slug, people.round.year]) in html
    assert reverse("schemes:subscribe") in html


def test_an_anonymous_visitor_sees_the_calendar_link_only(client, people, round_url):
    html = body(client.get(round_url))
    assert reverse("schemes:calendar", args=[people.office.slug, people.round.year]) in html
    assert reverse("schemes:subscribe") not in html
    assert reverse("schemes:cycle", args=[people.office.slug, people.round.year]) not in html
