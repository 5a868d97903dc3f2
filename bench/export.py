"""Excel export of every measure (`measures_workbook`): time and peak memory, in a fresh process each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/export.py

Each run is a child process, so its peak resident set (ru_maxrss) is the export's own; the
baseline (Django loaded, one query made) is printed beside it. The workbook is streamed to a
temporary file in 64 KiB blocks the way the view streams it. Runs:

* `export`          — the whole workbook, with the database's own settings;
* `query-jit-on`    — the export's query read through `.iterator()` without openpyxl, to split the
                      time between the database and the writing;
* `query-jit-off`   — the same with PostgreSQL's JIT compiler off for the session, to show what JIT
                      costs on this query;
* `site`            — `GET /behovsmeldinger/tiltak.xlsx` as the superuser (every measure) through
                      gunicorn (gunicorn.conf.py, 2 workers): status, time to the first byte and to
                      the last, size. The peak column is then the benchmark process's, not the worker's.

When the export misses a target, a pyinstrument profile of the export of a 10 000-measure
sample shows where the time goes.

Targets: < 20 s and < 200 MB for ~150 000 measures, streamed, the first byte within 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Gunicorn, peak_rss_mb, require_national_data, session_cookie, setup_django

MAX_SECONDS = 20.0
MAX_MB = 200.0


MAX_FIRST_BYTE = 1.0
MODES = ("export", "query-jit-on", "query-jit-off", "site")
SAMPLE = 10_000


def child(mode: str) -> dict[str, float | int | str]:
    setup_django()
    require_national_data()
    from django.db import connection

    from lokalkomp.needs.documents import _export_queryset, measures_workbook_chunks
    from lokalkomp.needs.models import Measure

    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {'off' if mode.endswith('jit-off') else 'on'}" if mode != "export" else "SELECT 1")
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]  # type: ignore[index]
    count = Measure.objects.count()
    baseline = peak_rss_mb()
    started = time.monotonic()
    size = 0
    first = 0.0
    if mode == "site":
        return site(count, baseline)
    if mode.startswith("query"):
        for _measure in _export_queryset(Measure.objects.all()).iterator(chunk_size=2000):
            size += 1
    else:
        with tempfile.TemporaryFile() as output:
            for block in measures_workbook_chunks(Measure.objects.all()):
                first = first or time.monotonic() - started
                output.write(block)
                size += len(block)
    elapsed = time.monotonic() - started
    return {
        "mode": mode,
        "jit": jit,
        "measures": count,
        "seconds": elapsed,
        "first_byte": first,
        "size": size,
        "baseline_mb": baseline,
        "peak_mb": peak_rss_mb(),
    }


def site(count: int, baseline: float) -> dict[str, float | int | str]:
    """The export through the site, as a browser downloads it."""
    import urllib.request

    from django.conf import settings

    from lokalkomp.accounts.models import User

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        sys.exit("The national data has no superuser.")
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(admin)}"
    with Gunicorn(workers=2) as server:
        request = urllib.request.Request(f"{server.url}/behovsmeldinger/tiltak.xlsx", headers={"Cookie": cookie})  # noqa: S310  (127.0.0.1)
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310  (127.0.0.1)
            status = response.status
            block = response.read(1)
            first = time.monotonic() - started
            size = len(block)
            while block := response.read(64 * 1024):
                size += len(block)
        elapsed = time.monotonic() - started
    return {
        "mode": f"site ({status})",
        "jit": "-",
        "measures": count,
        "seconds": elapsed,
        "first_byte": first,
        "size": size,
        "baseline_mb": baseline,
        "peak_mb": peak_rss_mb(),
    }


def profile() -> str:
    """Where the export's time goes: the functions with the most own time, exporting a sample."""
    setup_django()
    from pyinstrument import Profiler

    from lokalkomp.needs.documents import measures_workbook_chunks
    from lokalkomp.needs.models import Measure

    sample = Measure.objects.filter(pk__in=Measure.objects.order_by("pk").values("pk")[:SAMPLE])
    profiler = Profiler(interval=0.002)
    profiler.start()
    for _block in measures_workbook_chunks(sample):
        pass
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, flat=True)
    lines = [line for line in text.splitlines() if line.strip()][:28]
    return f"\nProfile of the export of {SAMPLE} measures (own time per function, seconds):\n" + "\n".join(lines)


def run(mode: str) -> dict[str, float | int | str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"The export ({mode}) failed:\n{result.stdout}\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated runs: " + ", ".join(MODES))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    print(
        f"{'run':15} {'jit':>4} {'measures':>9} {'seconds':>8} {'1st byte':>8} {'output':>12} {'baseline MB':>12} "
        f"{'peak MB':>8}  verdict"
    )
    missed = False
    for mode in args.modes.split(","):
        r = run(mode)
        query = mode.startswith("query")
        output = f"{r['size']} rows" if query else f"{int(r['size']) / 1e6:.1f} MB"
        within = float(r["seconds"]) < MAX_SECONDS and float(r["peak_mb"]) < MAX_MB
        answered = not str(r["mode"]).startswith("site") or r["mode"] == "site (200)"
        within = within and answered and float(r["first_byte"]) < MAX_FIRST_BYTE
        missed = missed or (not query and not within)
        target = f"target < {MAX_SECONDS:.0f} s, < {MAX_MB:.0f} MB, first byte < {MAX_FIRST_BYTE:.0f} s"
        verdict = "—" if query else ("ok" if within else f"MISS ({target})")
        print(
            f"{str(r['mode']):15} {r['jit']:>4} {r['measures']:>9} {float(r['seconds']):>8.1f} "
            f"{float(r.get('first_byte', 0)):>8.2f} {output:>12} "
            f"{float(r['baseline_mb']):>12.0f} {float(r['peak_mb']):>8.0f}  {verdict}",
            flush=True,
        )
    if missed:
        print(profile())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average now: {load} (2 cores; other work on the machine skews times).")


if __name__ == "__main__":
    main()
