"""«Fill within the frames by priority» on a round of 600 submitted measures: the time of `suggest`, printed.

    .venv/bin/python bench/suggestion.py                       # a throwaway SQLite test database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lk_whatif .venv/bin/python bench/suggestion.py

It makes a test database (as the tests do: `test_<name>`, dropped at the end), a 2024 round with four
networks, 60 submitted reports of 10 measures each (600 lines), a compilation per network, a frame per
scheme (one divided by a key between the networks), one shared assessment of every measure, then times:

* `first`   — the first fill of the undecided main recommendation (600 lines written, 1 200 events);
* `again`   — the same fill once more (nothing changes: only reading and comparing);
* `replace` — «replace all» after the frames shrink (most lines change);
* `what-if` — the fill of a fresh what-if copy.
Each is the median of 3 runs where it can be repeated; the SQL query count is printed too.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkomp.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def build() -> tuple[Any, Any]:
    from lokalkomp.accounts.models import Membership, Role
    from lokalkomp.allocation.models import Assessment, Compilation, Recommendation
    from lokalkomp.allocation.tests.assess_helpers import submit
    from lokalkomp.schemes.models import DistributionKey
    from lokalkomp.testing import (
        make_measure,
        make_network,
        make_office,
        make_partnership,
        make_report,
        make_round,
        make_user,
    )

    office = make_office()
    round = make_round(office, year=2024)
    schemes = list(round.schemes.order_by("pk"))
    networks = [make_network(office) for _ in range(4)]
    governor = make_user("governor@bench.test")
    Membership.objects.create(user=governor, role=Role.CASE_OFFICER, office=office)
    member = make_user("member@bench.test")
    Membership.objects.create(user=member, role=Role.FORUM_MEMBER, office=office)
    for n in range(60):
        report = make_report(round, make_partnership(office, networks[n % 4]))
        for m in range(10):
            make_measure(report, 40_000 + 1_000 * ((n * 7 + m * 3) % 50), 20_000 + 500 * (m % 9), scheme=schemes[m % 3])
        submit(report)
    for network in networks:
        Compilation.of(round, network).sync()
    for rs, amount in zip(round.round_schemes.order_by("pk"), (12_000_000, 15_000_000, 8_000_000), strict=False):
        rs.set_frame(amount, by=None)
    key = DistributionKey.put(round.round_schemes.order_by("pk")[0], basis="staff", base_amount=500_000, by=None)
    key.set_counts({network.pk: 100 * (i + 1) for i, network in enumerate(networks)}, by=None)
    from lokalkomp.needs.models import Measure

    now = django_now()
    Assessment.objects.bulk_create(
        Assessment(
            round=round,
            measure=measure,
            assessor=member,
            recommendation=("prioritise", "possible", "do_not_fund")[measure.pk % 3],
            shared=True,
            shared_at=now,
        )
        for measure in Measure.objects.filter(report__round=round)
    )
    return Recommendation.main_of(round), governor


def django_now() -> Any:
    from django.utils import timezone

    return timezone.now()


def timed(capture: Any, connection: Any, fn: Any) -> tuple[float, int, Any]:
    with capture(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return elapsed, len(queries), result


def run(capture: Any, connection: Any) -> None:
    from lokalkomp.allocation.models import RecommendationEvent
    from lokalkomp.allocation.suggestion import suggest

    start = time.perf_counter()
    main, governor = build()
    print(f"built the round: {main.lines.count()} lines in {time.perf_counter() - start:.1f} s ({connection.vendor})")

    elapsed, queries, result = timed(capture, connection, lambda: suggest(main, by=governor))
    events = RecommendationEvent.objects.filter(kind="suggested").count()
    print(f"first:   {elapsed * 1000:7.0f} ms, {queries} queries, {result.changed} lines changed, {events} events")

    runs = [timed(capture, connection, lambda: suggest(main, by=governor)) for _ in range(3)]
    print(
        f"again:   {statistics.median(r[0] for r in runs) * 1000:7.0f} ms, {runs[0][1]} queries, "
        f"{runs[0][2].changed} lines changed"
    )

    for rs in main.round.round_schemes.all():
        rs.set_frame((rs.budget or 0) // 2, by=None)
    elapsed, queries, result = timed(capture, connection, lambda: suggest(main, by=governor, replace_all=True))
    print(f"replace: {elapsed * 1000:7.0f} ms, {queries} queries, {result.changed} lines changed")

    copies = []
    for n in range(3):
        what_if = main.copy(f"Bench {n}", by=governor)
        for rs in main.round.round_schemes.all():
            rs.set_frame((rs.budget or 0) * 2 if n % 2 == 0 else (rs.budget or 0) // 2, by=None)
        copies.append(timed(capture, connection, lambda w=what_if: suggest(w, by=governor, replace_all=True)))
    print(
        f"what-if: {statistics.median(c[0] for c in copies) * 1000:7.0f} ms, {copies[0][1]} queries, "
        f"{copies[0][2].changed} lines changed"
    )
    for line in result.messages()[:4]:
        print("  ", line)


if __name__ == "__main__":
    main()
