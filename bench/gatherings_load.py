"""Burst at a gathering: 300 participants join on their phones and answer within 10 s, the projector polling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/gatherings_load.py

Any migrated PostgreSQL database will do (the national data is not needed): the script makes
its own office, round, network, coordinator and published gathering with one open «statements
per table» activity, and deletes them all at the end. Gunicorn (4 sync workers) serves on
127.0.0.1 only; locust runs headless, bounded by -u/-r/--run-time and a hard timeout.

Each simulated participant is a phone without an account: it opens /delta/<code>/, picks its
table (POST, then the redirect), sends one statement through the htmx form (the answer is
acknowledged by a 200 with the «sent» notice) and then polls its stage every 3 s, as the page
does. The statements carry a unique marker, and the presenter's view shows up to 300 of them,
so the projector's poll can tell exactly when each answer is on the screen.

With --join-first everyone joins first, and the answers start together once all have joined,
each phone answering within 5 s of that start (reading and typing): the burst without the joins.

The projector is one poller in this process, signed in as the network's coordinator: it asks
/samlinger/<pk>/presenter/<activity>/live/?v=<version> every POLL_MS (1.5 s), as the page does,
and takes the new version from each 200; after news it asks again SOON_MS after the answer, as the
new poller's «load delay» makes the page do. For every acknowledged answer it records the time from
the acknowledgement to the first poll answer that contains it (≤ 0 when the screen had it
before the phone had its acknowledgement). Afterwards every acknowledged answer is looked up in
the database. Targets (issue 14): 300 answers within 10 s, every one stored, each on the
presenter's screen within 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import ROOT, Gunicorn, median, percentile, session_cookie, setup_django

TABLES = 30
MARKER = re.compile(r"\[#(\d+)\]")
TYPING_S = 5.0
SCREEN_TARGET_S = 2.0
BURST_TARGET_S = 10.0


def statement(slot: int) -> str:
    """Participant `slot`'s statement, with the marker the poller looks for."""
    return f"Vi trenger felles tid til kompetanseutvikling i barnehage og skole [#{slot}]"


# ── The phones: locust imports this file with the plan in its environment (never this script's own process) ──

if "LOKALKOMP_GATHERING_PLAN" in os.environ:
    import itertools
    import random

    import gevent
    from locust import FastHttpUser, constant, events, task

    PLAN: dict[str, Any] = json.loads(Path(os.environ["LOKALKOMP_GATHERING_PLAN"]).read_text(encoding="utf-8"))
    SLOTS = itertools.count()
    # With --join-first: everyone joins first, and the answers start together, read and typed in TYPING_S.
    ANSWER_AT = time.time() + PLAN["join_first"] if PLAN.get("join_first") else None
    RECORDS: list[dict[str, Any]] = []
    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    STAGE = re.compile(r'hx-get="([^"]*/live/\?s=[^"]*)"')

    class Phone(FastHttpUser):
        """One participant: join, table, one answer, then the page's stage poll every 3 s.

        Cookies are kept by hand: the client's cookie jar does not send the Secure cookies (the CSRF
        cookie, in production settings) over the benchmark's plain HTTP on 127.0.0.1.
        """

        wait_time = constant(3)

        def on_start(self) -> None:
            slot = next(SLOTS)
            self.cookies: dict[str, str] = {}
            self.record: dict[str, Any] = {"slot": slot, "table": slot % TABLES + 1, "started": time.time()}
            RECORDS.append(self.record)
            self.stage_url = f"/delta/{PLAN['code']}/live/?s=none"
            token = self.join()
            if token is not None and ANSWER_AT is not None:  # joined first; answers when the «activity opens»
                self.record["asked"] = ANSWER_AT
                gevent.sleep(max(0.0, ANSWER_AT + random.uniform(0, TYPING_S) - time.time()))  # noqa: S311
            if token is not None:
                self.answer(token, slot)

        def send(self, method: str, url: str, name: str, **kwargs: Any) -> Any:
            headers = {**kwargs.pop("headers", {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            response = self.client.request(method, url, name=name, headers=headers, allow_redirects=False, **kwargs)
            found = response.headers.getlist("set-cookie") if response.headers is not None else []
            for value in found:
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
            return response

        def join(self) -> str | None:
            """The phone page, then the table (POST, and the redirect back): the form's CSRF token."""
            code = PLAN["code"]
            page = self.send("GET", f"/delta/{code}/", "phone page")
            token = TOKEN.search(page.text or "")
            if page.status_code != 200 or token is None:
                return None
            data = {"csrfmiddlewaretoken": token.group(1), "table": str(self.record["table"])}
            if self.send("POST", f"/delta/{code}/bord/", "table", data=data).status_code != 302:
                return None
            page = self.send("GET", f"/delta/{code}/", "phone page")
            token = TOKEN.search(page.text or "")
            return token.group(1) if page.status_code == 200 and token else None

        def answer(self, token: str, slot: int) -> None:
            data = {"csrfmiddlewaretoken": token, "text": statement(slot)}
            url = f"/delta/{PLAN['code']}/svar/{PLAN['activity']}/"
            with self.send("POST", url, "answer", data=data, headers={"HX-Request": "true"}, catch_response=True) as r:
                if r.status_code == 200 and 'data-color="success"' in (r.text or ""):
                    self.record["acked"] = time.time()
                    stage = STAGE.search(r.text or "")
                    self.stage_url = stage.group(1) if stage else self.stage_url
                    r.success()
                else:
                    r.failure(f"{r.status_code}: not acknowledged")

        @task
        def poll_stage(self) -> None:
            self.send("GET", self.stage_url, "phone poll")

    @events.quitting.add_listener
    def write_results(environment: Any, **_kwargs: Any) -> None:
        stats = environment.stats
        names = (("phone page", "GET"), ("table", "POST"), ("answer", "POST"), ("phone poll", "GET"))
        rows = {name: stats.get(name, method) for name, method in names}
        summary = {
            name: {
                "requests": row.num_requests,
                "failures": row.num_failures,
                "p50": row.get_response_time_percentile(0.5),
                "p95": row.get_response_time_percentile(0.95),
                "max": row.max_response_time or 0,
            }
            for name, row in rows.items()
        }
        errors = [f"{e.occurrences} × {e.method} {e.name}: {e.error}" for e in stats.errors.values()]
        with open(os.environ["LOKALKOMP_GATHERING_RESULTS"], "w", encoding="utf-8") as output:
            json.dump({"records": RECORDS, "stats": summary, "errors": errors}, output)


# ── The projector ──


@dataclass
class Projector:
    """Polls the presenter's live endpoint as the page does; notes when each marker first appears."""

    url: str
    cookie: str
    interval: float
    first_seen: dict[int, float] = field(default_factory=dict)
    polls: dict[int, int] = field(default_factory=dict)  # status → count
    errors: list[str] = field(default_factory=list)
    version: int = -1
    stop: threading.Event = field(default_factory=threading.Event)

    soon: float | None = None  # the poller's «load delay» after news, as the page's htmx trigger has it

    def run(self) -> None:
        """As htmx runs the page's poller: every `interval` while nothing is new; after news, a new poller
        whose «load delay:N ms» asks again N ms after the swap (and `every` counts from the swap)."""
        while not self.stop.is_set():
            started = time.monotonic()
            self.soon = None
            self.poll()
            wait = self.soon if self.soon is not None else self.interval - (time.monotonic() - started)
            self.stop.wait(max(0.0, wait))

    def poll(self) -> None:
        address = f"{self.url}?v={self.version}&p="
        request = urllib.request.Request(address, headers={"Cookie": self.cookie})  # noqa: S310  (127.0.0.1)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (127.0.0.1)
                body = response.read().decode()
                status = response.status
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            self.errors.append(str(error)[:120])
            return
        now = time.time()
        self.polls[status] = self.polls.get(status, 0) + 1
        if status != 200:
            return
        version = re.search(r'data-version="(\d+)"', body)
        self.version = int(version.group(1)) if version else self.version
        soon = re.search(r'id="live-poll"[^>]*hx-trigger="load delay:(\d+)ms', body)
        self.soon = int(soon.group(1)) / 1000 if soon else None
        for slot in MARKER.findall(body):
            self.first_seen.setdefault(int(slot), now)


# ── Set-up, run, check, clean up ──


def make_gathering() -> dict[str, Any]:
    """An office, round, network with its coordinator, and a published gathering with one open activity."""
    from django.db import transaction

    from lokalkomp.accounts.models import Membership, Role, User
    from lokalkomp.directory.models import Network, Office
    from lokalkomp.gatherings.models import Activity, Gathering
    from lokalkomp.schemes.models import Round

    with transaction.atomic():  # all or nothing: a failure here leaves no rows behind
        office = Office.objects.create(slug=f"bench-gatherings-{os.getpid()}", name="Benk: samling")
        round = Round.objects.create(office=office, year=2099)
        network = Network.objects.create(office=office, slug="benk", name="Benknettverket")
        user = User.objects.create_user(f"bench-presenter-{os.getpid()}@bench.test", password=None)
        Membership.objects.create(user=user, role=Role.NETWORK_COORDINATOR, network=network)
        gathering = Gathering.objects.create(
            office=office, round=round, network=network, title="Benk: 300 på samling", date=dt.date.today()
        )
        gathering.publish(by=user)
        activity = Activity.objects.create(
            gathering=gathering, kind=Activity.Kind.STATEMENTS, question="Hva trenger dere? (utsagn per bord)"
        )
        activity.open(by=user)
    return {
        "office": office.pk,
        "user": user,
        "gathering": gathering.pk,
        "activity": activity.pk,
        "code": gathering.join_code,
    }


def clean_up(made: dict[str, Any], session_key: str) -> None:
    from django.conf import settings
    from django.utils.module_loading import import_string

    from lokalkomp.directory.models import Office
    from lokalkomp.gatherings.models import Gathering

    import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key).delete()
    Gathering.objects.filter(pk=made["gathering"]).delete()  # its activities, participants, responses, events
    made["user"].delete()  # and the coordinator's membership
    office = Office.objects.get(pk=made["office"])
    office.networks.all().delete()
    office.rounds.all().delete()
    office.delete()


def run_locust(server: Gunicorn, plan: Path, results: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        __file__,
        "--headless",
        "--only-summary",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.run_time}s",
        "--stop-timeout=5",
        f"--host={server.url}",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "LOKALKOMP_GATHERING_PLAN": str(plan), "LOKALKOMP_GATHERING_RESULTS": str(results)}
    done = subprocess.run(  # noqa: S603  (a fixed command)
        command, cwd=ROOT, env=env, check=False, timeout=args.run_time + 60, capture_output=True, text=True
    )
    if not results.exists():
        sys.exit(f"locust ended without results (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(results.read_text(encoding="utf-8")))


def stored(made: dict[str, Any]) -> dict[int, tuple[int | None, int]]:
    """Marker → (table, how many times it is stored), from the database."""
    from lokalkomp.gatherings.models import Response

    found: dict[int, tuple[int | None, int]] = {}
    for table, text in Response.objects.filter(activity_id=made["activity"]).values_list("table", "text"):
        for slot in MARKER.findall(text):
            previous = found.get(int(slot), (table, 0))
            found[int(slot)] = (table, previous[1] + 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-u", "--users", type=int, default=300, help="participants (300; at most 300)")
    parser.add_argument("-r", "--spawn-rate", type=float, default=50, help="participants arriving per second (50)")
    parser.add_argument("-t", "--run-time", type=int, default=20, help="seconds locust runs (20)")
    parser.add_argument("-w", "--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--join-first",
        action="store_true",
        help="everyone joins first; then all answer together, within 5 s of each other (the activity opens)",
    )
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from lokalkomp.gatherings.presenter import POLL_MS
    from lokalkomp.gatherings.results import MAX_STATEMENTS

    if connection.vendor != "postgresql":
        sys.exit(f"The benchmark runs on PostgreSQL; DATABASE_URL points at {connection.vendor}.")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        sys.exit(f"The database has unapplied migrations: run  DATABASE_URL=… {sys.executable} manage.py migrate")
    if args.users > MAX_STATEMENTS:
        sys.exit(f"The presenter's view shows at most {MAX_STATEMENTS} statements; ask for that many users or fewer.")
    made = make_gathering()
    session = session_cookie(made["user"])
    try:
        with tempfile.TemporaryDirectory() as folder, Gunicorn(workers=args.workers) as server:
            plan, results = Path(folder, "plan.json"), Path(folder, "results.json")
            join_first = args.users / args.spawn_rate + 3 if args.join_first else None
            values = {"code": made["code"], "activity": made["activity"], "join_first": join_first}
            plan.write_text(json.dumps(values), encoding="utf-8")
            live = f"{server.url}/samlinger/{made['gathering']}/presenter/{made['activity']}/live/"
            projector = Projector(live, f"{settings.SESSION_COOKIE_NAME}={session}", POLL_MS / 1000)
            poller = threading.Thread(target=projector.run, daemon=True)
            poller.start()
            outcome = run_locust(server, plan, results, args)
            acked = {r["slot"] for r in outcome["records"] if "acked" in r}
            deadline = time.monotonic() + 10  # the screen may still be catching up with the last answers
            while not acked <= set(projector.first_seen) and time.monotonic() < deadline:
                time.sleep(0.2)
            projector.stop.set()
            poller.join(timeout=15)
            times = server.server_times()
        report(outcome, projector, stored(made), times, args)
    finally:
        clean_up(made, session)


def _server_ms(times: list[tuple[str, str, int, float]], pattern: str, status: int | None = None) -> str:
    values = [ms for _m, path, code, ms in times if re.search(pattern, path) and (status is None or code == status)]
    return f"{len(values)} requests, median {median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms"


def report(
    outcome: dict[str, Any],
    projector: Projector,
    in_db: dict[int, tuple[int | None, int]],
    times: list[tuple[str, str, int, float]],
    args: argparse.Namespace,
) -> None:
    records, stats = outcome["records"], outcome["stats"]
    acked = [r for r in records if "acked" in r]
    began = min((r.get("asked", r["started"]) for r in records), default=0)
    burst = max((r["acked"] for r in acked), default=0) - began
    since = "the start of the answers (everyone joined first)" if args.join_first else "the first join"
    print(
        f"{args.users} participants (arriving {args.spawn_rate:g}/s) for {args.run_time} s; "
        f"gunicorn {args.workers} workers; 127.0.0.1; the projector polls every {projector.interval:g} s"
    )
    print(f"{'request':12} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, row in stats.items():
        print(
            f"{name:12} {row['requests']:>6} {row['failures']:>5} {row['p50']:>7.0f} {row['p95']:>7.0f} {row['max']:>7.0f}"
        )
    for line in outcome["errors"]:
        print(f"  error: {line}")
    print(f"Server time (gunicorn %(D)s): answer {_server_ms(times, r'/svar/')}")
    print(f"  phone page {_server_ms(times, r'^/delta/[A-Z0-9]+/$')}; table {_server_ms(times, r'/bord/$')}")
    print(f"  phone poll {_server_ms(times, r'^/delta/.*/live/')}")
    print(
        f"  presenter poll, nothing new (204): {_server_ms(times, r'/presenter/', 204)}; "
        f"with new results (200): {_server_ms(times, r'/presenter/', 200)}"
    )
    print(f"Answers acknowledged: {len(acked)} of {len(records)} participants; all within {burst:.2f} s of {since}")
    lost = [r["slot"] for r in acked if r["slot"] not in in_db]
    wrong = [r["slot"] for r in acked if r["slot"] in in_db and in_db[r["slot"]] != (r["table"], 1)]
    print(
        f"Stored: {len(in_db)} answers in the database; of the acknowledged, {len(lost)} lost, "
        f"{len(wrong)} stored twice or at the wrong table"
    )
    delays = [projector.first_seen[r["slot"]] - r["acked"] for r in acked if r["slot"] in projector.first_seen]
    unseen = len(acked) - len(delays)
    early = sum(1 for d in delays if d <= 0)
    within = sum(1 for d in delays if d <= SCREEN_TARGET_S)
    print(
        f"Presenter's poll: {sum(projector.polls.values())} polls {projector.polls}, {len(projector.errors)} errors; "
        f"acknowledgement → on the screen: median {median(delays):.2f} s, p95 {percentile(delays, 0.95):.2f} s, "
        f"max {max(delays, default=0):.2f} s; {within} of {len(acked)} within {SCREEN_TARGET_S:g} s "
        f"({early} on the screen before the phone had its acknowledgement), {unseen} never shown"
    )
    met = (
        len(acked) == args.users
        and burst <= BURST_TARGET_S
        and not lost
        and not wrong
        and within == len(acked)
        and not outcome["errors"]
    )
    print(
        f"Targets ({args.users} answers within {BURST_TARGET_S:g} s, every one stored, each on the screen within "
        f"{SCREEN_TARGET_S:g} s): {'met' if met else 'MISSED'}"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average now: {load} ({os.cpu_count()} cores, shared by gunicorn, locust and PostgreSQL).")


if __name__ == "__main__":
    main()
