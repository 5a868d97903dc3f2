"""Open data (issue 13): the public page per office and year and the JSON/CSV API: right figures, no personal
data, paginated, a bounded number of queries whatever the data size, and JSON 4xx for bad input."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from lokalkomp.allocation.models.decision import Decision

from .opendata_helpers import decided, many_pool_decisions, personal_data

pytestmark = pytest.mark.django_db

API = "reporting:opendata_api:"


def api(name: str, round=None) -> str:
    args = [round.office.slug, round.year] if round is not None else []
    return reverse(API + name, args=args)


def page(round) -> str:
    return reverse("reporting:opendata_round", args=[round.office.slug, round.year])


def test_the_public_page_shows_the_round_s_grants_to_anyone_signed_out(client, cast):
    d = decided(cast)
    response = client.get(page(d.round))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-total="470000" data-owner="280000" data-uh="190000"' in text
    assert "Lesing" in text and "Skriving" in text  # the measures' titles
    for decision in d.decisions:
        assert f'data-decision="{decision.number}"' in text
    pool = d.decisions[-1]
    assert pool.org_number and f'data-recipient="{pool.org_number}"' in text and pool.org_number in text
    assert 'id="opendata-grants-csv"' in text


def test_nothing_personal_is_on_the_page_the_json_or_the_csv(client, cast):
    d = decided(cast)
    assert d.decisions[-1].account_number  # it exists, and is withheld
    secret = personal_data(cast, d.round)
    assert secret
    bodies = [
        client.get(page(d.round)).content.decode(),
        client.get(api("opendata_api_grants", d.round)).content.decode(),
        client.get(api("opendata_api_grants_csv", d.round)).content.decode(),
        client.get(api("opendata_api_frames", d.round)).content.decode(),
    ]
    for body in bodies:
        leaked = [s for s in secret if s in body.split("<footer")[0]]
        assert not leaked, leaked


def test_the_grants_api_gives_one_row_per_decision_line_with_owner_and_uh_amounts(client, cast):
    d = decided(cast)
    body = client.get(api("opendata_api_grants", d.round)).json()
    assert body["count"] == 5
    rows = body["items"]
    assert sum(r["amount"] for r in rows) == 470_000 == d.recommended + 50_000
    assert sum(r["owner_amount"] for r in rows) == 280_000
    assert sum(r["uh_amount"] for r in rows) == 190_000
    numbers = {decision.number: decision for decision in d.decisions}
    for row in rows:
        decision = numbers[row["decision"]]
        assert row["org_number"] == decision.org_number
        assert row["side"] == ("uh" if decision.side == Decision.Side.PARTNER else "owner")
        assert row["network"] == (cast.network.name if decision.kind == "ordinary" else "")
        assert row["measure"] in {"Lesing", "Skriving", "Langsiktig partnerskap (pool)"}
        assert row["kind"] == decision.kind
        assert "account_number" not in row


def test_the_lists_are_paginated(client, cast):
    d = decided(cast)
    first = client.get(api("opendata_api_grants", d.round), {"limit": 3}).json()
    rest = client.get(api("opendata_api_grants", d.round), {"limit": 3, "offset": 3}).json()
    assert (len(first["items"]), len(rest["items"]), first["count"]) == (3, 2, 5)
    assert {r["decision"] for r in first["items"]} | {r["decision"] for r in rest["items"]} == {
        x.number for x in d.decisions
    }
    far = client.get(api("opendata_api_grants", d.round), {"offset": 10**9}).json()
    assert far == {"items": [], "count": 5}


def test_rounds_offices_and_frames(client, cast):
    d = decided(cast)
    rounds = client.get(api("opendata_api_rounds"), {"office": d.round.office.slug}).json()
    mine = [r for r in rounds["items"] if r["year"] == d.round.year]
    assert mine == [
        {"office": d.round.office.slug, "office_name": d.round.office.name, "year": d.round.year, "granted": 470_000}
    ]
    offices = client.get(api("opendata_api_offices")).json()
    assert d.round.office.slug in {o["slug"] for o in offices["items"]}
    one = client.get(api("opendata_api_round", d.round)).json()
    assert one["granted"] == 470_000
    frames = client.get(api("opendata_api_frames", d.round)).json()["items"]
    scheme = d.round.schemes.order_by("pk").first()
    row = next(f for f in frames if f["scheme"] == scheme.code)
    assert (row["frame"], row["granted"], row["pool"]) == (1_000_000, 470_000, 50_000)


def test_the_csv_has_a_header_and_the_same_rows_as_the_json(client, cast):
    d = decided(cast)
    response = client.get(api("opendata_api_grants_csv", d.round))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5
    assert sum(int(r["amount"]) for r in rows) == 470_000
    assert {r["org_number"] for r in rows} == {x.org_number for x in d.decisions}
    frames = list(csv.DictReader(io.StringIO(client.get(api("opendata_api_frames_csv", d.round)).content.decode())))
    assert sum(int(f["granted"]) for f in frames) == 470_000


@pytest.mark.parametrize("extra", [0, 40])
def test_the_page_and_the_api_read_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, extra):
    d = decided(cast)
    many_pool_decisions(d.round, extra)
    urls = [
        page(d.round),
        reverse("reporting:opendata"),
        api("opendata_api_grants", d.round) + "?limit=500",
        api("opendata_api_grants_csv", d.round),
        api("opendata_api_frames", d.round),
        api("opendata_api_frames_csv", d.round),
        api("opendata_api_rounds"),
        api("opendata_api_offices"),
        api("opendata_api_round", d.round),
        api("openapi-json"),
    ]
    for url in urls:
        with django_assert_max_num_queries(6 if "api" in url else 15):
            assert client.get(url).status_code == 200, url
    assert client.get(api("opendata_api_grants", d.round)).json()["count"] == 5 + extra


def test_the_page_when_signed_in_stays_within_15_queries(client, cast, django_assert_max_num_queries):
    d = decided(cast)
    many_pool_decisions(d.round, 20)
    client.force_login(cast.owner_contact)
    with django_assert_max_num_queries(15):
        assert client.get(page(d.round)).status_code == 200


BAD = [
    "/apne-data/api/v1/rounds/{office}/²/grants",
    "/apne-data/api/v1/rounds/{office}/99999999999999999999999999999/grants",
    "/apne-data/api/v1/rounds/{office}/1999/frames",
    "/apne-data/api/v1/rounds/%00/{year}/grants",
    "/apne-data/api/v1/rounds/a%00b/{year}",
    "/apne-data/api/v1/rounds/{office}/{year}/grants?limit=99999999999999999999999",
    "/apne-data/api/v1/rounds/{office}/{year}/grants?limit=0",
    "/apne-data/api/v1/rounds/{office}/{year}/grants?offset=-1",
    "/apne-data/api/v1/rounds/{office}/{year}/grants?offset=99999999999999999999",
    "/apne-data/api/v1/rounds/{office}/{year}/grants?limit=%00",
    "/apne-data/api/v1/rounds?office=%00",
    "/apne-data/api/v1/rounds?office=" + "x" * 500,
    "/apne-data/api/v1/offices?limit=abc",
    "/apne-data/api/v1/rounds/nowhere/{year}/grants.csv",
    "/apne-data/api/v1/rounds/{office}/2099/frames.csv",
]


@pytest.mark.parametrize("url", BAD)
def test_bad_input_is_a_json_4xx_never_a_500(client, cast, url):
    url = url.format(office=cast.round.office.slug, year=cast.round.year)
    response = client.get(url)
    assert response.status_code in {404, 422}, (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("tail", ["²/", "99999999999999999999999/", "1999/", "2099/"])
def test_the_public_page_of_a_round_that_is_not_there_is_404(client, cast, tail):
    assert client.get(f"/apne-data/{cast.round.office.slug}/{tail}").status_code == 404
    assert client.get(f"/apne-data/nowhere%00/{cast.round.year}/").status_code == 404


def test_the_schema_is_served_as_json_under_the_csp_and_no_docs_page_that_loads_a_cdn(client, cast):
    response = client.get(api("openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/apne-data/api/v1/rounds/{office}/{year}/grants" in schema["paths"]
    assert client.post(api("openapi-json")).status_code == 405
    assert client.get("/apne-data/api/v1/docs").status_code == 404
    index = client.get(reverse(API + "api-root")).json()
    assert index["openapi"] == api("openapi-json")
    page_response = client.get(page(cast.round))
    assert "script-src 'self'" in page_response["Content-Security-Policy"]
    assert "cdn" not in page_response.content.decode().lower()


def test_the_index_lists_the_rounds_with_their_totals(client, cast):
    d = decided(cast)
    text = client.get(reverse("reporting:opendata")).content.decode()
    assert f'data-round="{d.round.office.slug}-{d.round.year}"' in text
    assert 'data-amount="470000"' in text
