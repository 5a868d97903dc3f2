"""The statistics pages, the open data pages and the open data API (issue 13), on the national data.

Named statistics_pages.py, not statistics.py: a bench/statistics.py would shadow the standard library's
`statistics` module, which bench/common.py and bench/pages.py import, for every benchmark run from bench/.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/statistics_pages.py [-n 30]

It needs the national data (`generate_national --years 10`). It takes the national office with the most
decision lines and its network with the most, and (once; reused on the next run) imports a history file of
`--history` rows (default 2 000, the importer's limit) for that network through the history import, for
years before the office's first round. Then, for each page (public, anonymous): the query count and SQL time
from one in-process request, the median CPU time of an in-process request, and p50/p95 of the server's own
time (gunicorn's access log, 2 sync workers, production settings) over N sequential requests after 3
warm-ups, as bench/assessment.py does. The import's check of the file (parse) is timed in-process.

Targets (issue 13): each page ≤ 15 queries and p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from common import Gunicorn, setup_django
from pages import Page, measure_http, measure_sql

MAX_QUERIES = 15
TARGET_P95_MS = 300.0
FILE_NAME = "bench-historikk.csv"


def busiest() -> tuple[Any, Any]:
    from django.db.models import Count

    from lokalkomp.allocation.models import DecisionLine
    from lokalkomp.directory.models import Network, Office

    office_id = (
        DecisionLine.objects.values("decision__round__office").annotate(n=Count("pk")).order_by("-n").first() or {}
    ).get("decision__round__office")
    if office_id is None:
        sys.exit("No decisions in this database: generate the national data with its decisions first.")
    office = Office.objects.get(pk=office_id)
    network_id = (
        DecisionLine.objects.filter(decision__round__office=office)
        .values("measure__report__partnership__network")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
        or {}
    ).get("measure__report__partnership__network")
    return office, Network.objects.get(pk=network_id)


def history_cells(network: Any, rows: int) -> list[list[str]]:
    from lokalkomp.schemes.models import Round, Scheme

    first = Round.objects.filter(office=network.office_id).order_by("year").values_list("year", flat=True).first()
    schemes = list(Scheme.objects.order_by("code").values_list("code", flat=True)[:3])
    years = [(first or 2020) - 1 - i for i in range(5)]
    return [
        [f"Eier {i}", f"{(i % 90 + 10) * 1000}", f"UH {i % 7}", f"{(i % 50) * 1000}", f"Tiltak {i}",
         str(years[i % len(years)]), schemes[i % len(schemes)], ""]
        for i in range(rows)
    ]  # fmt: skip


def ensure_history(network: Any, rows: int) -> tuple[int, float]:
    """The bench history for the network (imported once), and the in-process time of checking the file."""
    from lokalkomp.reporting.models import HistoryImport
    from lokalkomp.reporting.statistics import history_import

    cells = history_cells(network, rows)
    started = time.perf_counter()
    history_import.parse(cells, network=network)
    parse_ms = (time.perf_counter() - started) * 1000
    done = HistoryImport.objects.filter(network=network, file_name=FILE_NAME).first()
    if done is None:
        done = history_import.save(cells=cells, network=network, file_name=FILE_NAME, by=None)
    return done.rows, parse_ms


def cpu_time(client: Any, path: str, requests: int = 10) -> float:
    times = []
    for _ in range(requests):
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--history", type=int, default=2000, help="history rows to import (2 000)")
    parser.add_argument("--small", action="store_true", help="run on whatever data there is (no national data check)")
    args_ = parser.parse_args()
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")
    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    if not args_.small:
        from common import require_national_data

        require_national_data()
    from lokalkomp.allocation.models import DecisionLine
    from lokalkomp.reporting.models import HistoryLine

    office, network = busiest()
    history_rows, parse_ms = ensure_history(network, args_.history)
    lines = DecisionLine.objects.filter(decision__round__office=office).count()
    print(
        f"{office} ({office.slug}): {lines} decision lines, {HistoryLine.objects.of_office(office).count()} history "
        f"rows; network {network.name}: {history_rows} imported rows. Checking the file: {parse_ms:.0f} ms."
    )
    from lokalkomp.schemes.models import Round

    decided = (
        Round.objects.filter(office=office, decisions__isnull=False).order_by("-year").values_list("year", flat=True)
    )
    year = decided.first()
    ky = {"office": office.slug, "year": year}
    api = "reporting:opendata_api:opendata_api_"
    urls = {
        "office statistics": reverse("reporting:statistics", kwargs={"office": office.slug}),
        "network statistics": reverse(
            "reporting:statistics_network", kwargs={"office": office.slug, "network": network.slug}
        ),
        "open data: index": reverse("reporting:opendata"),
        f"open data: {office.slug} {year}": reverse("reporting:opendata_round", kwargs=ky),
        "API: offices": reverse(api + "offices"),
        "API: rounds (first 100)": reverse(api + "rounds"),
        "API: rounds of the office": reverse(api + "rounds") + f"?office={office.slug}",
        "API: one round": reverse(api + "round", kwargs=ky),
        "API: grants (first 100)": reverse(api + "grants", kwargs=ky),
        "API: grants (500 from 200)": reverse(api + "grants", kwargs=ky) + "?limit=500&offset=200",
        "API: frames": reverse(api + "frames", kwargs=ky),
        "API: grants.csv": reverse(api + "grants_csv", kwargs=ky),
        "API: frames.csv": reverse(api + "frames_csv", kwargs=ky),
        "API: openapi.json": reverse(api.removesuffix("opendata_api_") + "openapi-json"),
    }
    client = Client()
    floor = Page("floor: /health/ (a bare view, SELECT 1)", "/health/", "anonymous")
    pages = [floor, *(Page(name, path, "anonymous") for name, path in urls.items())]
    cpu = {}
    for page in pages:
        measure_sql(page, client)
        cpu[page.label] = cpu_time(client, page.url)
    with Gunicorn(workers=2) as server:
        for page in pages:
            measure_http(page, server, "", args_.requests, 3)
    print(f"\n{'page':44} {'st':>3} {'SQL#':>4} {'SQL ms':>7} {'CPU ms':>7} {'p50 ms':>7} {'p95 ms':>7}  verdict")
    for page in pages:
        misses = []
        if page.status != 200:
            misses.append(f"status {page.status}")
        if page.queries > MAX_QUERIES:
            misses.append(f"{page.queries} queries > {MAX_QUERIES}")
        if page.p95 >= TARGET_P95_MS:
            misses.append(f"p95 {page.p95:.0f} ms ≥ {TARGET_P95_MS:.0f} ms")
        verdict = "ok" if not misses else "MISS: " + "; ".join(misses)
        print(
            f"{page.label[:44]:44} {page.status:>3} {page.queries:>4} {page.sql_ms:>7.1f} {cpu[page.label]:>7.1f} "
            f"{page.p50:>7.1f} {page.p95:>7.1f}  {verdict}"
        )
    print(f"\n{args_.requests} requests per page after 3 warm-ups; gunicorn, 2 sync workers, production settings.")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average at the end: {load} (2 cores; anything else running skews the times).")


if __name__ == "__main__":
    main()
