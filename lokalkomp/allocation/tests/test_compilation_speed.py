"""Every compilation page asks the database a fixed number of times, at most 15, for 1 measure or 40 across
5 partnerships (and the pages the compilation adds to, the network's and the round's, do not grow)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .compilation_helpers import DEKOMP, REKOMP, compilation_of, round_url, submitted_report, url

pytestmark = pytest.mark.cast(year=2024)
PAGE_QUERIES = 15


def build(cast, partnerships, per):
    for p in range(partnerships):
        submitted_report(
            cast,
            [(f"Tiltak {p}-{m}", 1000 * m, 500 * m) for m in range(per)],
            name=f"Partnerskap {p}",
            codes=[DEKOMP if m % 3 else REKOMP for m in range(per)],
        )
    compilation = compilation_of(cast)
    if compilation.status == compilation.Status.DELIVERED:  # measured before: open it for the coordinator again
        compilation.reopen(by=cast.governor, comment="Måles igjen")
    for entry in compilation.entries.all()[:3]:
        compilation.mark(entry, recommended=False, reason="For dyrt", expected_version=None, by=None)
    return compilation


def count(client, method, path, data=None, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {}, **headers)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (path, response.status_code)
    # savepoints are the test's transaction around the action's own, not queries of the page
    return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])


def measure_pages(client, cast):
    """The queries of each page, for the coordinator (draft), the Statsforvalter and a forum member (delivered)."""
    counts = {}
    client.force_login(cast.coordinator)
    client.get(url(cast))  # the first visit brings the list up to date (a write, once)
    counts["coordinator: the draft"] = count(client, "get", url(cast))
    compilation = compilation_of(cast)
    entries = compilation.ordered_entries()
    dekomp = [e for e in entries if e.measure.scheme.code == DEKOMP]
    entry = dekomp[-1] if len(dekomp) > 1 else entries[-1]  # a real move where the list has two
    counts["coordinator: move (htmx)"] = count(
        client,
        "post",
        url(cast, "compilation_move", entry=entry.pk, direction="opp"),
        {"version": compilation.version},
        HTTP_HX_REQUEST="true",
    )
    compilation.refresh_from_db()
    counts["coordinator: mark (htmx)"] = count(
        client,
        "post",
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "no" if entry.recommended else "yes", "reason": "Nei"},
        HTTP_HX_REQUEST="true",
    )
    counts["coordinator: the network page"] = count(client, "get", cast.network.get_absolute_url())
    compilation.refresh_from_db()
    compilation.deliver(by=cast.coordinator, expected_version=None)
    compilation.reopen(by=cast.governor, comment="Igjen")
    compilation.deliver(by=cast.coordinator, expected_version=None)
    counts["coordinator: delivered"] = count(client, "get", url(cast))
    client.force_login(cast.governor)
    client.get(url(cast))
    counts["governor: the compilation"] = count(client, "get", url(cast))
    counts["governor: versions"] = count(client, "get", url(cast, "compilation_versions"))
    counts["governor: round list"] = count(client, "get", round_url(cast))
    counts["governor: the round page"] = count(client, "get", cast.round.get_absolute_url())
    counts["governor: Excel"] = count(client, "get", url(cast, "compilation_xlsx", number=2))
    client.force_login(cast.forum_member)
    client.get(url(cast))
    counts["forum: the compilation"] = count(client, "get", url(cast))
    counts["forum: PDF"] = count(client, "get", url(cast, "compilation_pdf", number=1))
    counts["forum: round list"] = count(client, "get", round_url(cast))
    client.force_login(cast.owner_contact)
    client.get(url(cast))
    counts["owner: the compilation"] = count(client, "get", url(cast))
    return counts


@pytest.mark.parametrize("size", [(1, 1), (5, 8)], ids=["1 measure", "40 measures in 5 partnerships"])
def test_every_page_stays_within_15_queries(client, cast, size):
    compilation = build(cast, *size)
    assert compilation.entries.count() == size[0] * size[1]
    counts = measure_pages(client, cast)
    print(counts)
    assert max(counts.values()) <= PAGE_QUERIES, counts


def test_the_number_of_queries_does_not_grow_with_the_list(client, cast):
    build(cast, 1, 3)  # two of them in one scheme, so that a move moves
    small = measure_pages(client, cast)
    build(cast, 5, 8)
    large = measure_pages(client, cast)
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}


@pytest.mark.parametrize("size", [(1, 1), (5, 8)], ids=["1 measure", "40 measures in 5 partnerships"])
def test_the_first_visit_which_brings_the_list_up_to_date_stays_within_its_bound(client, cast, size):
    """The visit after new submissions writes them into the list (in one transaction): a few more queries,
    the same for 1 measure or 40, and the first visit also starts the compilation (measured: 22 and 18)."""
    for p in range(size[0]):
        submitted_report(cast, [(f"T {p}-{m}", 1, 1) for m in range(size[1])], codes=[DEKOMP] * size[1])
    client.force_login(cast.coordinator)
    first = count(client, "get", url(cast))
    submitted_report(cast, [("Kom etterpå", 1, 1)], codes=[DEKOMP])
    again = count(client, "get", url(cast))
    print({"first visit": first, "after a new submission": again})
    assert first <= PAGE_QUERIES + 7 and again <= PAGE_QUERIES + 3
