"""The overlap finder's page: seed 003's two language networks find each other; the disqualified see names only.

Seed 003's measures come from the demo's copy of the seed (lokalkomp/demo/data/ytre_helgeland_2024.json),
submitted in the cast's 2024 round as one partnership's report, beside another partnership's measures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs.models import Measure
from lokalkomp.testing import make_measure, make_network, make_partnership, make_report

from .assess_helpers import owner_of, submit
from .overview_helpers import in_english, text, url

pytestmark = pytest.mark.cast(year=2024)

SEED_003 = Path(__file__).resolve().parents[2] / "demo" / "data" / "ytre_helgeland_2024.json"
OTHERS = {
    "Matematikk på mellomtrinnet": "Lærerne prøver ut utforskende matematikkundervisning.",
    "Klasseledelse og læringsmiljø": "Ledere og lærere arbeider med relasjoner og struktur i klassen.",
    "Digital kompetanse for ansatte": "Kurs i bruk av digitale verktøy i undervisningen.",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def seed_003(cast) -> list[Measure]:
    """Seed 003's eight measures as Ytre Helgeland's submitted report of the round, in the form's order."""
    data = json.loads(SEED_003.read_text(encoding="utf-8"))
    partnership = make_partnership(cast.office, cast.network)
    partnership.name = "God opplæring for alle"
    partnership.save()
    report = make_report(cast.round, partnership)
    measures = [
        make_measure(
            report,
            m["owner_amount"],
            m["partner_amount"],
            name=m["name"][:300],
            purpose=m["purpose"],
            **{field: m.get(field, "") for field in Measure.NARRATIVE_FIELDS},
        )
        for m in data["measures"]
    ]
    submit(report)
    return measures


@pytest.fixture
def seeded(cast):
    measures = seed_003(cast)
    other = make_report(cast.round, make_partnership(cast.office, make_network(cast.office)))
    others = [make_measure(other, 10_000, 0, name=name, description=about) for name, about in OTHERS.items()]
    submit(other)
    return measures, others


def line(page: str, measure: Measure) -> str:
    return page.split(f'id="measure-{measure.pk}"')[1].split("</tr>")[0]


def matched(page: str, measure: Measure) -> list[int]:
    """The pks of a measure's matches on the page, best first."""
    return [int(part.split('"')[0]) for part in line(page, measure).split('data-match="')[1:]]


def test_seed_003s_two_language_networks_are_each_others_closest_match(client, cast, seeded):
    measures, _others = seeded
    two, three, analysis = measures[1], measures[2], measures[4]
    client.force_login(cast.governor)
    response = in_english(client).get(url(cast.round, "overlap"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = text(response)
    assert matched(page, two)[0] == three.pk and matched(page, three)[0] == two.pk
    best = line(page, two).split(f'id="match-{two.pk}-{three.pk}"')[1].split("</li>")[0]
    assert "data-same" in best and "same partnership" in best  # both Ytre Helgeland's: shown, and marked
    assert "Shared words:" in best and "nettverk" in best
    score = int(best.split("<strong>")[1].split("</strong>")[0])
    assert 50 <= score <= 100
    assert f"/behovsmeldinger/{three.report_id}/#measure-{three.pk}" in best
    assert analysis.pk not in matched(page, two) + matched(page, three)  # «Pedagogisk analyse» is another topic


def test_an_unrelated_measure_finds_no_language_network(client, cast, seeded):
    measures, others = seeded
    client.force_login(cast.governor)
    page = text(client.get(url(cast.round, "overlap")))
    for other in others:
        assert not {measures[1].pk, measures[2].pk} & set(matched(page, other))


def test_a_disqualified_member_sees_those_measures_by_name_only(client, cast, seeded):
    measures, others = seeded
    Membership.objects.create(user=cast.forum_member, role=Role.OWNER_CONTACT, organisation=owner_of(measures[0]))
    client.force_login(cast.forum_member)
    page = text(in_english(client).get(url(cast.round, "overlap")))
    for measure in measures:
        row = line(page, measure)
        assert "data-disqualified" in row and measure.name[:40] in row
        assert "data-match" not in row and "/behovsmeldinger/" not in row and "Shared words" not in row
    assert f'id="measure-{others[0].pk}"' in page and "data-disqualified" not in line(page, others[0])
    assert "You are disqualified from 8 measures" in page


def test_filters_narrow_the_list_and_garbage_is_left_out(client, cast, seeded):
    measures, others = seeded
    client.force_login(cast.governor)
    page = text(in_english(client).get(url(cast.round, "overlap") + f"?network={cast.network.name}&show=across"))
    assert f'id="measure-{others[0].pk}"' not in page  # another network
    response = in_english(client).get(url(cast.round, "overlap") + "?network=%00&show=<b>&scheme=" + "x" * 3000)
    assert response.status_code == 200
    page = text(response)
    assert 'id="ignored-filters"' in page and all(f'id="measure-{m.pk}"' in page for m in measures + others)


def test_the_page_costs_the_same_queries_for_few_and_many_measures(client, cast, seeded):
    client.force_login(cast.forum_member)
    path = url(cast.round, "overlap")
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    report = make_report(cast.round, make_partnership(cast.office, cast.network))
    for n in range(20):
        make_measure(report, 1000, 0, name=f"Språk og lesing {n}", description="Lesing og skriving i barnehagen.")
    submit(report)
    client.get(path)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many) <= 15


def test_the_page_refuses_post_and_strangers(client, cast):
    client.force_login(cast.governor)
    assert client.post(url(cast.round, "overlap")).status_code == 405
    client.force_login(cast.coordinator)
    assert client.get(url(cast.round, "overlap")).status_code == 403


def test_the_measures_come_a_page_at_a_time(client, cast, seeded, monkeypatch):
    from lokalkomp.allocation.views import overlap as overlap_view

    monkeypatch.setattr(overlap_view, "PER_PAGE", 4)
    measures, others = seeded
    client.force_login(cast.governor)
    everyone = measures + others

    def shown(query: str) -> int:
        page = text(in_english(client).get(url(cast.round, "overlap") + query))
        return sum(f'id="measure-{m.pk}"' in page for m in everyone)

    assert shown("") == 4 and shown("?side=3") == 3 and shown("?per=alle") == 11
    page = text(in_english(client).get(url(cast.round, "overlap") + "?side=x"))
    assert 'id="ignored-filters"' in page and "side=2" in page
