"""The round's page costs the same queries with 1 report as with 8, for every person (needs fills in the list)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.needs.access import visible_reports
from lokalkomp.testing import make_measure, make_network, make_partnership, make_report

from .helpers import body

VIEWERS = [None, "governor", "forum_member", "coordinator", "other_coordinator", "owner_contact", "outsider"]


def sign_in(client, people, who):
    if who:
        client.force_login(getattr(people, who))


def round_url(people) -> str:
    return reverse("schemes:round", args=[people.office.slug, people.round.year])


def network_line(html: str, network) -> str:
    return html.split(f'href="{network.get_absolute_url()}"')[1].split("</li>")[0]


def add_seven_reports(people):
    """Seven more reports in the round: five in the cast's network, one in another, one in none."""
    other = make_network(people.office)
    networks = [people.network] * 5 + [other, None]
    for network in networks:
        make_measure(make_report(people.round, make_partnership(people.office, network)), owner=2000, partner=1000)
    return other


@pytest.mark.parametrize("who", VIEWERS)
def test_the_round_page_runs_the_same_queries_for_1_report_and_for_8(client, people, who):
    sign_in(client, people, who)
    with CaptureQueriesContext(connection) as one:
        assert client.get(round_url(people)).status_code == 200
    add_seven_reports(people)
    with CaptureQueriesContext(connection) as eight:
        response = client.get(round_url(people))
    assert len(one) == len(eight), "\n".join(q["sql"] for q in eight.captured_queries)
    if who == "governor":
        assert body(response).split('id="round-reports"')[1].count("<tr>") == 1 + 8  # the header and 8 rows


@pytest.mark.parametrize("who", VIEWERS[1:])
def test_each_network_shows_how_many_of_its_reports_in_the_round_the_person_may_read(client, people, who):
    other = add_seven_reports(people)
    sign_in(client, people, who)
    user = getattr(people, who)

    html = body(client.get(round_url(people)))

    readable = visible_reports(user).in_round(people.round)
    for network in (people.network, other):
        n = readable.filter(partnership__network=network).count()
        assert (
            network_line(html, network)
            == f">{network.name}</a> – {n} {'behovsmelding' if n == 1 else 'behovsmeldinger'}"
        )


def test_an_anonymous_visitor_sees_the_networks_without_counts(client, people):
    html = body(client.get(round_url(people)))

    assert network_line(html, people.network) == f">{people.network.name}</a>"
    assert "Logg inn for å se behovsmeldingene du har tilgang til." in html
