"""One autosave's server time through gunicorn, one request at a time (issue 9: ≤ 15 ms, ≤ 10 queries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/autosave.py

`load.py` measures throughput with 200 people at once, where the server time is mostly the wait for a
core. This measures the save itself: gunicorn with one sync worker (the production config file), 20
owner contacts of the national data autosaving fields of a measure in their own drafts one request at
a time, as a person typing does. The first 40 saves warm the worker up and are not counted; then 400
saves, half texts and half amounts, and gunicorn's own %(D)s per request. Every save must be
acknowledged. The measures are put back as they were, and the run's edit records removed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import urllib.parse
import urllib.request

from common import Gunicorn, median, percentile, require_national_data, setup_django

TARGET_MS = 15.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--saves", type=int, default=400, help="saves counted (400), after 40 to warm up")
    args = parser.parse_args()
    setup_django()
    require_national_data()
    import load
    from django.db.models import Max

    from lokalkomp.needs.models import FieldEdit

    chosen = load.people(20)
    last_edit = FieldEdit.objects.aggregate(top=Max("pk"))["top"] or 0
    fields = ("description", "owner_amount")
    try:
        with Gunicorn(workers=1) as server:
            warm_up = 40
            for n, person in zip(range(warm_up + args.saves), itertools.cycle(chosen)):
                field = fields[n % 2]
                key = next(k for k in person["values"] if k.endswith(field))
                value = f"Lagring {n}" if field == "description" else str(30_000 + n)
                data = urllib.parse.urlencode({"key": key, key: value, f"base:{key}": person["values"][key]}).encode()
                request = urllib.request.Request(  # noqa: S310  (127.0.0.1)
                    f"{server.url}/behovsmeldinger/{person['report']}/lagre/",
                    data=data,
                    headers={"Cookie": person["cookie"], "X-CSRFToken": person["csrf"], "HX-Request": "true"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (127.0.0.1)
                    body = response.read().decode()
                if response.status != 200 or "lk-saved" not in body:
                    sys.exit(f"save {n} was not acknowledged: {response.status}")
                person["values"][key] = value
            times = [ms for method, _path, _status, ms in server.server_times() if method == "POST"][warm_up:]
    finally:
        load.restore(chosen, last_edit)
    texts, amounts = times[0::2], times[1::2]
    for label, values in (("all", times), ("texts", texts), ("amounts", amounts)):
        print(
            f"{label:8} {len(values):4} saves: median {median(values):5.1f} ms, p95 {percentile(values, 0.95):5.1f} ms"
        )
    verdict = "met" if median(times) <= TARGET_MS else "MISSED"
    print(f"Target: one autosave ≤ {TARGET_MS:g} ms of server time (median): {verdict}")
    print(f"Load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
