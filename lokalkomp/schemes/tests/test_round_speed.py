"""National scale (issue 9): the round, network and people pages run the same queries for 1 report or many.

Each page is measured for a user who may read 1 report and for one who may read many, with many
more reports in other offices; the number of queries must not change, and stay within 15.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.testing import (
    add_contact,
    make_network,
    make_office,
    make_partnership,
    make_report,
    make_round,
    make_user,
)

PAGE_QUERIES = 15


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def add_reports(round, n, network=None):
    return [make_report(round, make_partnership(round.office, network)) for _ in range(n)]


@pytest.fixture
def elsewhere(db):
    """Another office with many reports nobody here may read."""
    office = make_office()
    add_reports(make_round(office), 30, make_network(office))


def report_links(response, table='id="round-reports"'):
    """The report pages linked from the page's report table."""
    body = response.content.decode()
    if table not in body:
        return []
    rows = body.split(table)[1].split("</table>")[0]
    return [part.split('"')[0] for part in rows.split('href="/behovsmeldinger/')[1:]]


def table_rows(response, table):
    return response.content.decode().split(table)[1].split("</table>")[0].count("<tr>") - 1  # not the header


def test_the_round_page_runs_the_same_queries_for_1_report_and_for_60(client, cast, elsewhere):
    url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    client.force_login(cast.coordinator)
    _response, one = queries(client, url)
    add_reports(cast.round, 59, cast.network)
    response, many = queries(client, url)
    assert len(one) == len(many) <= PAGE_QUERIES, "\n".join(many)
    assert len(report_links(response)) == 50  # the first page of 50
    assert "?side=2" in response.content.decode()


def test_the_round_pages_list_every_report_once_in_order(client, cast):
    add_reports(cast.round, 59, cast.network)
    client.force_login(cast.coordinator)
    url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    seen = []
    for side in (1, 2):
        seen += report_links(client.get(url, {"side": side}))
    assert len(seen) == len(set(seen)) == 60


def test_the_network_page_runs_the_same_queries_for_1_report_and_for_60(client, cast, elsewhere):
    url = cast.network.get_absolute_url()
    client.force_login(cast.coordinator)
    _response, one = queries(client, url)
    add_reports(cast.round, 59, cast.network)
    _response, many = queries(client, url)
    assert len(one) == len(many) <= PAGE_QUERIES, "\n".join(many)


def test_an_owner_contacts_round_page_does_not_grow_with_the_reports_of_others(client, cast, elsewhere):
    url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    client.force_login(cast.owner_contact)
    _response, before = queries(client, url)
    add_reports(cast.round, 40, cast.network)
    add_reports(make_round(cast.office, year=2028), 20, cast.network)
    response, after = queries(client, url)
    assert len(before) == len(after) <= PAGE_QUERIES
    assert report_links(response) == [f"{cast.report.pk}/"]  # only their own


def test_the_people_page_shows_50_people_a_page_and_finds_one_by_name_or_e_mail(client, cast, admin_of):
    network_office = cast.office
    for n in range(60):
        person = make_user(f"person{n}@kommune.test", first_name=f"Fornavn{n}", last_name="Etternavn")
        Membership.objects.create(user=person, role=Role.READER, office=network_office)
    admin = admin_of(cast.office)
    client.force_login(admin)
    url = reverse("accounts:people", args=[cast.office.slug])
    response, first = queries(client, url)
    assert table_rows(response, 'id="people"') == 50
    assert (
        "<select" not in response.content.decode().split('id="add-heading"')[1]
    )  # no list of the whole office to choose from
    _response, searched_queries = queries(client, f"{url}?q=person42")
    searched = client.get(url, {"q": "person42@"}).content.decode()
    assert "person42@kommune.test" in searched and "person41@kommune.test" not in searched
    chosen = client.get(url, {"person": Membership.objects.get(user__email="person7@kommune.test").user_id})
    assert "person7@kommune.test" in chosen.content.decode().split('id="chosen-person"')[1].split("</p>")[0]
    assert len(first) <= PAGE_QUERIES and len(searched_queries) <= PAGE_QUERIES


@pytest.fixture
def admin_of(db):
    def make(office):
        from lokalkomp.testing import give_totp

        admin = make_user("admin-of-office@cast.test")
        Membership.objects.create(user=admin, role=Role.GOVERNOR_ADMIN, office=office)
        give_totp(admin)
        return admin

    return make


def test_an_owner_sees_their_own_report_on_the_round_page(client, cast):
    other = make_user("other-owner@cast.test")
    mine = make_report(cast.round, make_partnership(cast.office, cast.network))
    add_contact(mine, other, "owner")
    client.force_login(other)
    response = client.get(reverse("schemes:round", args=[cast.office.slug, cast.round.year]))
    assert report_links(response) == [f"{mine.pk}/"]


def test_the_round_page_counts_each_networks_reports_of_this_round_that_the_user_may_read(client, cast):
    add_reports(cast.round, 2, cast.network)  # 3 in the round with the cast's own
    add_reports(make_round(cast.office, year=2028), 4, cast.network)  # another year: not counted
    client.force_login(cast.coordinator)
    body = client.get(reverse("schemes:round", args=[cast.office.slug, cast.round.year])).content.decode()
    line = body.split(f'href="{cast.network.get_absolute_url()}"')[1].split("</li>")[0]
    assert "3 behovsmeldinger" in line
