"""What one presenter's poll costs, in process: CPU ms and queries (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated database> python bench/presenter_poll.py

Makes the same office, round, network, coordinator and open «statements per table» activity as
gatherings_load.py (and deletes them at the end), gives it 300 statements at 30 tables through
`Activity.answer` (as the phones do), then asks `…/presenter/<activity>/live/?v=` through Django's
test client, signed in as the coordinator, with the production settings of the other scripts:

- the full view (`v=-1`: the first load, or after a moderation change), 300 statements;
- «what is new since v», for 1, 10 and 90 new statements (90: what a 1.5 s poll finds while 300
  answers arrive in 5 s);
- nothing new (the 204).

CPU time (`time.process_time`) and the query count hardly move with what else runs on the machine;
the wall time does. Each figure is the median (and the CPU's least) of --repeat requests after 3 warm-ups.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from common import median, setup_django

TABLES = 30


def measure(client: Any, url: str, versions: list[int], repeat: int) -> list[dict[str, Any]]:
    """Each version's poll in turn, `repeat` rounds: a burst of load elsewhere falls on all of them alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu: list[list[float]] = [[] for _v in versions]
    wall: list[list[float]] = [[] for _v in versions]
    last: list[tuple[int, int, int]] = [(0, 0, 0) for _v in versions]
    for n in range(repeat + 3):
        for i, v in enumerate(versions):
            with CaptureQueriesContext(connection) as captured:
                started_cpu, started = time.process_time(), time.perf_counter()
                response = client.get(url, {"v": v, "p": ""})
                cpu_ms, wall_ms = (time.process_time() - started_cpu) * 1000, (time.perf_counter() - started) * 1000
            if n >= 3:
                cpu[i].append(cpu_ms)
                wall[i].append(wall_ms)
            last[i] = (response.status_code, len(captured), len(response.content))
    return [
        {"cpu": median(c), "cpu_min": min(c), "wall": median(w), "status": s, "queries": q, "bytes": b}
        for c, w, (s, q, b) in zip(cpu, wall, last, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--statements", type=int, default=300, help="statements in the activity (300)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per figure (30)")
    args = parser.parse_args()
    setup_django()
    from django.test import Client
    from gatherings_load import clean_up, make_gathering

    from lokalkomp.gatherings.models import Activity, Participant

    made = make_gathering()
    client = Client()
    try:
        activity = Activity.objects.get(pk=made["activity"])
        people = [Participant.objects.create(gathering_id=made["gathering"], table=t + 1) for t in range(TABLES)]
        for n in range(args.statements):
            activity.answer(people[n % TABLES], text=f"Vi trenger felles tid til kompetanseutvikling [#{n}]")
        activity.refresh_from_db()
        client.force_login(made["user"])
        url = f"/samlinger/{made['gathering']}/presenter/{activity.pk}/live/"
        rows = [("full view (v=-1)", -1)] + [(f"{k} new since v", activity.version - k) for k in (1, 10, 90)]
        rows.append(("nothing new (204)", activity.version))
        print(f"{args.statements} statements at {TABLES} tables, {connection_vendor()}; median of {args.repeat}")
        print(f"{'poll':<22} {'status':>6} {'queries':>7} {'CPU ms':>7} {'(min)':>6} {'wall ms':>7} {'bytes':>7}")
        for (label, _v), figures in zip(rows, measure(client, url, [v for _l, v in rows], args.repeat), strict=True):
            print(
                f"{label:<22} {figures['status']:>6} {figures['queries']:>7} {figures['cpu']:>7.1f} "
                f"{figures['cpu_min']:>6.1f} {figures['wall']:>7.1f} {figures['bytes']:>7}"
            )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average {load} (CPU ms and queries are the figures to compare)")
    finally:
        clean_up(made, client.session.session_key or "")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
