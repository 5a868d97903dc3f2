"""Who may change a round's annual cycle: the Statsforvalter of its office, nobody else."""

import pytest
from django.urls import reverse

from lokalkomp.schemes.models import Milestone, Round
from lokalkomp.testing import make_round, make_user

from .helpers import add_cycle

# (url name, method, takes a milestone id)
CHANGES = [
    ("schemes:cycle", "get", False),
    ("schemes:add_milestone", "post", False),
    ("schemes:edit_milestone", "get", True),
    ("schemes:edit_milestone", "post", True),
    ("schemes:delete_milestone", "get", True),
    ("schemes:delete_milestone", "post", True),
    ("schemes:set_reminder", "post", False),
    ("schemes:copy_previous", "post", False),
    ("schemes:start_next_year", "post", False),
]
READERS = [
    "other_office_governor",
    "forum_member",
    "coordinator",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "outsider",
]
VALID = {"title": "Nytt møte", "starts_on": "01.02.2027", "audience": "all", "reminder_days": "3"}


def url_for(round, name, milestone=None):
    args = [round.office.slug, round.year] + ([milestone.pk] if milestone else [])
    return reverse(name, args=args)


def request(client, round, name, method, milestone=None):
    return getattr(client, method)(url_for(round, name, milestone), VALID if method == "post" else None)


@pytest.fixture
def cycle(people):
    make_round(people.office, year=people.round.year - 1)  # last year, so that copying has a source
    return add_cycle(people.round)


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize(("name", "method", "with_milestone"), CHANGES)
def test_only_the_offices_statsforvalter_may_change_the_cycle(client, people, cycle, who, name, method, with_milestone):
    client.force_login(getattr(people, who))
    before = list(Milestone.objects.order_by("pk").values())
    response = request(client, people.round, name, method, cycle[0] if with_milestone else None)
    assert response.status_code == 403
    assert list(Milestone.objects.order_by("pk").values()) == before
    assert Round.objects.get(pk=people.round.pk).reminder_days == 7
    assert not Round.objects.filter(year=people.round.year + 1).exists()


@pytest.mark.parametrize(("name", "method", "with_milestone"), CHANGES)
def test_an_anonymous_visitor_is_sent_to_the_login(client, people, cycle, name, method, with_milestone):
    response = request(client, people.round, name, method, cycle[0] if with_milestone else None)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Milestone.objects.count() == len(cycle)


def test_the_statsforvalter_of_the_office_opens_the_editor(client, people, cycle):
    client.force_login(people.governor)
    response = client.get(url_for(people.round, "schemes:cycle"))
    assert response.status_code == 200
    assert cycle[0].title in response.content.decode()


def test_a_superuser_opens_the_editor(client, people, cycle):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(url_for(people.round, "schemes:cycle")).status_code == 200


def test_an_unknown_round_is_404(client, people):
    client.force_login(people.governor)
    assert client.get(reverse("schemes:cycle", args=[people.office.slug, 2099])).status_code == 404
    assert client.get(reverse("schemes:cycle", args=["no-such-office", people.round.year])).status_code == 404


@pytest.mark.parametrize(("name", "method"), [("schemes:edit_milestone", "get"), ("schemes:delete_milestone", "post")])
def test_a_milestone_of_another_round_is_404_under_this_rounds_address(client, people, name, method):
    other_round = make_round(people.office, year=people.round.year + 1)
    stranger = add_cycle(other_round)[0]
    client.force_login(people.governor)
    response = getattr(client, method)(url_for(people.round, name, stranger))
    assert response.status_code == 404
    assert Milestone.objects.filter(pk=stranger.pk).exists()
