"""The round page shows the frames and their division to anyone (it is public), links the Statsforvalter
to the frames page and the forum to its seats, and costs the same queries however many networks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.directory.models import Forum, Network
from lokalkomp.schemes.budgets import DistributionKey
from lokalkomp.schemes.models import RoundScheme
from lokalkomp.testing import make_network

from .helpers import body

VIEWERS = [None, "governor", "forum_member", "coordinator", "outsider"]


def round_url(people) -> str:
    return reverse("schemes:round", args=[people.office.slug, people.round.year])


def divide(people, frame: int = 1_000_000) -> RoundScheme:
    scheme = RoundScheme.objects.filter(round=people.round).order_by("pk")[0]
    scheme.set_frame(frame, by=None)
    first, second = Network.objects.filter(office=people.office).order_by("name", "pk")
    key = DistributionKey.put(scheme, basis="staff", base_amount=100_000, by=None)
    key.set_counts({first.pk: 1, second.pk: 3}, by=None)
    return scheme


def sign_in(client, people, who):
    if who:
        client.force_login(getattr(people, who))


@pytest.mark.parametrize("who", VIEWERS)
def test_everyone_sees_each_networks_share_and_the_sum(client, people, who):
    scheme = divide(people)
    sign_in(client, people, who)

    html = body(client.get(round_url(people)))

    summary = html.split(f'id="division-summary-{scheme.pk}"')[1].split("</table>")[0]
    first, second = Network.objects.filter(office=people.office).order_by("name", "pk")
    assert f"{first.name}</th>" in summary and "kr 300 000" in summary
    assert f"{second.name}</th>" in summary and "kr 700 000" in summary
    assert "kr 1 000 000" in summary.split("<tfoot>")[1]
    assert 'id="frames-total"' in html


@pytest.mark.parametrize("who", VIEWERS)
def test_only_the_statsforvalter_is_linked_to_the_frames_page(client, people, who):
    sign_in(client, people, who)
    html = body(client.get(round_url(people)))
    link = f'href="{reverse("schemes:frames", args=[people.office.slug, people.round.year])}"'
    assert (link in html) is (who == "governor")


@pytest.mark.parametrize("who", VIEWERS)
def test_the_forum_and_the_statsforvalter_are_linked_to_the_forums_seats(client, people, who):
    Forum.objects.create(office=people.office, name="Samarbeidsforum")
    sign_in(client, people, who)
    html = body(client.get(round_url(people)))
    assert (f'href="{reverse("forum:seats", args=[people.office.slug])}"' in html) is (
        who in ("governor", "forum_member")
    )


def test_an_office_without_a_forum_has_no_link_to_seats(client, people):
    client.force_login(people.governor)
    assert 'id="forum-seats"' not in body(client.get(round_url(people)))


def test_a_division_the_key_cannot_make_says_why_on_the_round_page(client, people):
    divide(people, frame=150_000)  # two networks × 100 000 is more than the frame
    html = body(client.get(round_url(people)))
    assert "kr 200 000" in html and "kr 150 000" in html


@pytest.mark.parametrize("who", [None, "governor", "forum_member"])
def test_the_frames_add_no_queries_however_many_networks_and_keys(client, people, who, django_assert_max_num_queries):
    Forum.objects.create(office=people.office, name="Samarbeidsforum")
    sign_in(client, people, who)
    with django_assert_max_num_queries(15) as few:
        assert client.get(round_url(people)).status_code == 200
    divide(people)
    for _ in range(5):
        make_network(people.office)
    for rs in people.round.round_schemes.all():
        rs.set_frame(3_000_000, by=None)
        key = DistributionKey.put(rs, basis="children", base_amount=10_000, by=None)
        key.set_counts({n.pk: n.pk for n in Network.objects.filter(office=people.office)}, by=None)
    with django_assert_max_num_queries(15) as many:
        assert client.get(round_url(people)).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
