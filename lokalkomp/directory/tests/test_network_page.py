"""A network's page: public facts for everyone, and only the reports each person may read (needs fills them in)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.needs.access import visible_reports
from lokalkomp.testing import (
    make_measure,
    make_municipality,
    make_network,
    make_organisation,
    make_partnership,
    make_report,
    make_round,
)

VIEWERS = [None, "governor", "forum_member", "coordinator", "other_coordinator", "owner_contact", "outsider"]


def body(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def reports_section(response) -> str:
    return body(response).split('id="reports-heading"')[1].split("</section>")[0]


def report_links(response) -> list[str]:
    """The report pages linked from the page's list of reports, in order."""
    return [part.split('"')[0] for part in reports_section(response).split('href="/behovsmeldinger/')[1:]]


def sign_in(client, cast, who):
    if who:
        client.force_login(getattr(cast, who))


def add_reports(round, network, n):
    return [make_report(round, make_partnership(round.office, network)) for _ in range(n)]


@pytest.mark.parametrize("who", VIEWERS)
def test_each_person_sees_exactly_the_networks_reports_they_may_read(client, cast, who):
    add_reports(cast.round, cast.network, 2)
    add_reports(cast.round, make_network(cast.office), 1)  # another network's: never here
    sign_in(client, cast, who)

    response = client.get(cast.network.get_absolute_url())

    assert response.status_code == 200
    user = getattr(cast, who) if who else response.wsgi_request.user
    expected = visible_reports(user).filter(partnership__network=cast.network)
    assert sorted(report_links(response)) == sorted(f"{pk}/" for pk in expected.values_list("pk", flat=True))


def test_the_coordinator_sees_every_report_of_the_network_with_its_totals(client, cast):
    make_measure(cast.report, owner=100_000, partner=50_000)
    client.force_login(cast.coordinator)

    section = reports_section(client.get(cast.network.get_absolute_url()))

    assert str(cast.report.partnership) in section
    assert "kr 100 000" in section and "kr 50 000" in section and "kr 150 000" in section
    assert "Utkast" in section  # the status, in Norwegian


def test_a_stranger_sees_the_network_but_is_told_there_are_no_reports_for_them(client, cast):
    client.force_login(cast.outsider)

    response = client.get(cast.network.get_absolute_url())

    assert cast.network.name in body(response)
    assert report_links(response) == []
    assert "Det finnes ingen behovsmeldinger her som du har tilgang til å lese." in reports_section(response)


def test_an_anonymous_visitor_is_asked_to_sign_in_to_see_reports(client, cast):
    response = client.get(cast.network.get_absolute_url())

    assert report_links(response) == []
    assert "Logg inn for å se behovsmeldingene du har tilgang til." in reports_section(response)


def test_the_page_shows_the_office_the_coordinator_and_the_member_owners_with_their_numbers(client, cast):
    owner = make_organisation(name="Hattfjelldal kommune", municipality=make_municipality(cast.office, "1826"))
    cast.network.owners.add(owner, make_organisation(name="Privat eier AS"))

    page = body(client.get(cast.network.get_absolute_url()))

    assert cast.office.name in page
    assert str(cast.coordinator) in page
    assert 'Hattfjelldal kommune <span class="lk-muted">(1826)</span>' in page
    assert "<li>Privat eier AS</li>" in page


def test_a_network_without_owners_or_coordinator_says_so(client, cast):
    network = make_network(cast.office)

    page = body(client.get(network.get_absolute_url()))

    assert "Ingen eiere ennå." in page
    assert "<dd>–</dd>" in page


def test_the_newest_years_reports_come_first(client, cast):
    later = make_report(make_round(cast.office, year=cast.round.year + 1), cast.report.partnership)
    client.force_login(cast.coordinator)

    links = report_links(client.get(cast.network.get_absolute_url()))

    assert links == [f"{later.pk}/", f"{cast.report.pk}/"]


def test_the_reports_come_50_a_page_and_every_one_is_on_some_page(client, cast):
    add_reports(cast.round, cast.network, 54)  # 55 with the cast's
    client.force_login(cast.coordinator)
    url = cast.network.get_absolute_url()

    first, second = client.get(url), client.get(url, {"side": 2})

    assert len(report_links(first)) == 50 and len(report_links(second)) == 5
    assert len(set(report_links(first) + report_links(second))) == 55
    assert '?side=2">Eldre' in body(first) and '?side=1">← Nyere' in body(second)
    assert "Side 1 av 2" in body(first)
    assert report_links(client.get(url, {"side": "nonsense"})) == report_links(first)  # a bad page: the first


@pytest.mark.parametrize("who", VIEWERS)
def test_the_page_runs_the_same_queries_for_1_report_and_for_8(client, cast, who):
    """The list is one page of one query: a person who may read more reports costs no more queries."""
    url = cast.network.get_absolute_url()
    sign_in(client, cast, who)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for report in add_reports(cast.round, cast.network, 7):
        make_measure(report, owner=1000, partner=500)
    with CaptureQueriesContext(connection) as eight:
        response = client.get(url)
    assert len(one) == len(eight), "\n".join(q["sql"] for q in eight.captured_queries)
    if who == "coordinator":
        assert len(report_links(response)) == 8


def test_an_unknown_network_is_not_found(client, cast):
    url = reverse("directory:network", args=[cast.office.slug, "finnes-ikke"])
    assert client.get(url).status_code == 404


def test_a_network_asked_for_under_another_office_is_not_found(client, cast):
    other = make_round().office
    client.force_login(cast.coordinator)
    assert client.get(reverse("directory:network", args=[other.slug, cast.network.slug])).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_page_only_answers_get(client, cast, method):
    client.force_login(cast.coordinator)
    assert getattr(client, method)(cast.network.get_absolute_url()).status_code == 405
