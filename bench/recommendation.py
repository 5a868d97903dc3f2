"""The forum's recommendation workspace (issue 12): the page, one edit, the totals and the suggestion at ~600 measures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/recommendation.py [-n 30]

It needs the national data (`generate_national --years 10`). Beside it, it makes (once; reused on the
next run) an office of its own, «bench-innstilling», with a round copied from a national office's
newest fully submitted round: about 600 measures (`--measures`) with their partnerships, networks,
texts and amounts, submitted with their records, every network's compilation delivered, a frame per
scheme (70 % of what is asked) with the largest scheme's frame divided by a key between the networks,
five forum members who have declared and assessed every measure (nine in ten shared; one of them works
for three partnerships' owners, so is disqualified from them) and a case officer. The main
recommendation is a draft filled by the suggestion («fill within the frames by priority»).

Measured, as a forum member, the disqualified member and the secretariat:

* the workspace page (GET; once more asked with «Accept-Encoding: gzip», as browsers ask: the page is
  compressed, ~1.7 MB → ~85 kB, and the kB column shows the body's size), the totals partial (GET), and one
  edit: the POST of one line's amounts
  as the page's script sends it (JSON answer: the line and the totals partial), each edit on the
  line's current version, alternating between two amounts, so every edit changes the line and
  writes its event;
* the query count and SQL time of one in-process request (`CaptureQueriesContext`), the median CPU
  time of this process over 10 in-process requests (the figure the other processes on the machine
  hardly move), and p50/p95 of the server's own time (gunicorn's access log, 2 sync workers,
  production settings, sessions in Redis) over N sequential requests after 3 warm-ups;
* the suggestion on the main recommendation: «replace all» (every line computed again), a fill of
  a draft where every line is undecided (every line written, an event per amount) and a fill of the
  draft as it is (the lines people set stay), each in a transaction that is rolled back, so the next
  run finds the same draft: time, queries, lines changed and the events written.

Targets (issue 12): page p95 < 300 ms, one edit p95 < 100 ms, each ≤ 15 queries.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from common import HOST, Gunicorn, median, percentile, session_cookie, setup_django

OFFICE = "bench-innstilling"
MEMBERS = 5
MAX_QUERIES = 15
TARGET_MS = {"page": 300.0, "edit": 100.0, "totals": 100.0, "floor": 300.0}
PASSWORD = "nasjonal"  # noqa: S105  (as every person of generate_national)
FRAME_SHARE = 0.7  # each scheme's frame: this share of what its measures ask
ANALYZED = (
    "allocation_recommendationline",
    "allocation_recommendationevent",
    "allocation_assessment",
    "allocation_compilationentry",
    "needs_measure",
    "needs_needsreport",
    "needs_needsreportversion",
    "needs_partnership",
)


@dataclass
class Case:
    label: str
    kind: str  # page, totals, edit, floor
    who: str
    url: str
    status: int = 0
    queries: int = 0
    sql_ms: float = 0.0
    cpu_ms: float = 0.0
    times: list[float] = field(default_factory=list)
    gzip: bool = False  # asked with «Accept-Encoding: gzip», as a browser asks
    size: int = 0  # bytes of the answer's body

    @property
    def p50(self) -> float:
        return median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)


# ── The bench office ──


def source_round() -> Any:
    """A national office's newest round whose reports are all submitted."""
    from django.db.models import Count, Q

    from lokalkomp.schemes.models import Round

    found = (
        Round.objects.exclude(office__slug__startswith="bench-")
        .annotate(n=Count("needs_reports"), drafts=Count("needs_reports", filter=~Q(needs_reports__status="submitted")))
        .filter(n__gt=0, drafts=0)
        .order_by("-year", "pk")
        .first()
    )
    if found is None:
        sys.exit("No office has a fully submitted round: is this the national data?")
    return found


def set_frames(round: Any) -> None:
    """A frame per scheme (70 % of what is asked); the largest divided by a key between the round's networks."""
    from django.db.models import Count, F, Sum

    from lokalkomp.directory.models import Network
    from lokalkomp.needs.models import Measure
    from lokalkomp.schemes.models import DistributionKey

    asked = dict(
        Measure.objects.filter(report__round=round)
        .values("scheme_id")
        .annotate(total=Sum(F("owner_amount") + F("partner_amount")))
        .values_list("scheme_id", "total")
    )
    largest = None
    for rs in round.round_schemes.order_by("pk"):
        total = asked.get(rs.scheme_id) or 0
        rs.set_frame(int(total * FRAME_SHARE) // 1000 * 1000 if total else None, by=None)
        if total and (largest is None or total > asked[largest.scheme_id]):
            largest = rs
    if largest is None:
        return
    networks = Network.objects.filter(partnerships__reports__round=round).annotate(n=Count("partnerships")).distinct()
    key = DistributionKey.put(largest, basis="staff", base_amount=100_000, by=None)
    key.set_counts({network.pk: 50 * network.n for network in networks}, by=None)


def people(office: Any, round: Any) -> tuple[list[Any], Any]:
    """Five forum members who have declared, the last tied to three partnerships' owners; and a case officer."""
    from lokalkomp.accounts.models import Membership, Role, User
    from lokalkomp.allocation.models import Declaration
    from lokalkomp.needs.models import Participant
    from lokalkomp.testing import give_totp

    members = []
    for n in range(1, MEMBERS + 1):
        user = User.objects.create_user(f"innstiller-{n}@{OFFICE}.test", password=PASSWORD)
        user.first_name, user.last_name = "Innstiller", str(n)
        user.save()
        Membership.objects.create(user=user, role=Role.FORUM_MEMBER, office=office)
        give_totp(user)
        Declaration.declare(round=round, person=user, no_other_ties=True, organisations=[], ties="")
        members.append(user)
    owners = list(
        Participant.objects.filter(partnership__office=office, side="owner")
        .order_by("partnership_id")
        .values_list("organisation_id", flat=True)[:3]
    )
    for organisation in owners:
        Membership.objects.create(user=members[-1], role=Role.OWNER_CONTACT, organisation_id=organisation)
    officer = User.objects.create_user(f"saksbehandler@{OFFICE}.test", password=PASSWORD)
    Membership.objects.create(user=officer, role=Role.CASE_OFFICER, office=office)
    give_totp(officer)
    return members, officer


def bench_office(wanted: int) -> tuple[Any, Any, list[Any], Any]:
    """The bench office's round, its members and case officer: made the first time, then reused."""
    from assessment import assess_everything, copy_round, deliver_compilations
    from django.db import connection, transaction

    from lokalkomp.accounts.models import Role, User
    from lokalkomp.allocation.models import Recommendation
    from lokalkomp.allocation.suggestion import suggest
    from lokalkomp.directory.models import Office
    from lokalkomp.schemes.models import Round

    office = Office.objects.filter(slug=OFFICE).first()
    if office is None:
        started = time.perf_counter()
        source = source_round()
        print(f"Making {OFFICE}: a copy of {source} with ~{wanted} measures.")
        with transaction.atomic():
            office = Office.objects.create(slug=OFFICE, name="Statsforvalteren i Benchmark (innstilling)")
            round = copy_round(source, office, wanted, {}, {})
        delivered = deliver_compilations(round)
        with transaction.atomic():
            set_frames(round)
            members, officer = people(office, round)
            made = assess_everything(round, members)
        round = Round.objects.select_related("office").get(pk=round.pk)
        main = Recommendation.main_of(round, by=officer)
        filled = suggest(main, by=officer)
        with connection.cursor() as cursor:  # the planner's statistics for the new rows, as autovacuum would make
            for table in ANALYZED:
                cursor.execute(f"ANALYZE {table}")
        print(
            f"  made in {time.perf_counter() - started:.0f} s: {delivered} compilations delivered, {made[0]} "
            f"assessments, {main.lines.count()} lines, {filled.changed} filled by the suggestion."
        )
    round = Round.objects.filter(office=office).select_related("office").get()
    members = list(User.objects.filter(email__startswith="innstiller-", email__endswith=f"@{OFFICE}.test"))
    members.sort(key=lambda u: int(u.email.split("-")[1].split("@")[0]))
    officer = User.objects.get(memberships__role=Role.CASE_OFFICER, memberships__office=office)
    return office, round, members, officer


# ── Measuring ──


class Editor:
    """One line's amounts posted as the page's script posts them, each on the line's current version."""

    def __init__(self, line: Any) -> None:
        self.line_pk = line.pk
        self.version = line.version
        self.asked = (line.measure.owner_amount, line.measure.partner_amount)
        self.turn = 0

    def data(self) -> dict[str, str]:
        self.turn += 1
        owner = self.asked[0] - (1000 if self.turn % 2 else 0)
        return {"owner": str(max(owner, 0)), "partner": str(self.asked[1]), "base": str(self.version)}

    def answered(self, status: int, body: bytes) -> None:
        if status in (200, 409):
            self.version = json.loads(body)["version"]


def measure_sql(case: Case, client: Any, editor: Editor | None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request() -> Any:
        if editor is None:
            return client.get(case.url, **({"HTTP_ACCEPT_ENCODING": "gzip"} if case.gzip else {}))
        response = client.post(case.url, editor.data(), HTTP_ACCEPT="application/json")
        editor.answered(response.status_code, response.content)
        return response

    request()  # warm caches the way a running server has them
    with CaptureQueriesContext(connection) as captured:
        response = request()
    case.status = response.status_code
    case.size = len(response.content)
    case.queries = len(captured.captured_queries)
    case.sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    times = []
    for _ in range(10):
        started = time.process_time()
        request()
        times.append((time.process_time() - started) * 1000)
    case.cpu_ms = median(times)


def measure_http(case: Case, server: Gunicorn, cookie: str, requests: int, editor: Editor | None) -> None:
    """Sequential requests after 3 warm-ups; the server's time from gunicorn's access log."""
    warm_ups = 3
    before = len(server.server_times())
    csrf = secrets.token_hex(16)  # a CSRF secret of our own: the cookie and the header that must match it
    headers = {"Cookie": f"{cookie}; csrftoken={csrf}"} | ({"Accept-Encoding": "gzip"} if case.gzip else {})
    statuses = []
    for _ in range(requests + warm_ups):
        connection = http.client.HTTPConnection(HOST, server.port, timeout=180)
        if editor is None:
            connection.request("GET", case.url, headers=headers)
        else:
            body = urllib.parse.urlencode(editor.data())
            post_headers = headers | {
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": csrf,
            }
            connection.request("POST", case.url, body=body, headers=post_headers)
        response = connection.getresponse()
        content = response.read()
        statuses.append(response.status)
        if editor is not None:
            editor.answered(response.status, content)
        connection.close()
    deadline = time.monotonic() + 5
    rows = server.server_times()[before:]
    while len(rows) < len(statuses) and time.monotonic() < deadline:
        time.sleep(0.05)  # gunicorn writes the access log line just after the response
        rows = server.server_times()[before:]
    case.times = [ms for _m, _path, _status, ms in rows[warm_ups:]]
    case.status = statuses[-1]


def suggestion_runs(main: Any, officer: Any) -> list[tuple[str, float, int, int, int]]:
    """The suggestion, each run rolled back: (what, ms, queries, lines changed, events written)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lokalkomp.allocation.models import RecommendationEvent, RecommendationLine
    from lokalkomp.allocation.suggestion import suggest

    class Rollback(Exception):
        pass

    runs = []
    for what in ("replace all", "fill the undecided (all undecided)", "fill the undecided (the draft as it is)"):
        try:
            with transaction.atomic():
                if what.endswith("(all undecided)"):
                    RecommendationLine.objects.filter(recommendation=main).update(  # a fresh draft, for this run
                        owner_amount=None, partner_amount=None, suggested=False
                    )
                before = RecommendationEvent.objects.count()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    result = suggest(main, by=officer, replace_all=what == "replace all")
                    elapsed = (time.perf_counter() - started) * 1000
                events = RecommendationEvent.objects.count() - before
                runs.append((what, elapsed, len(captured.captured_queries), result.changed, events))
                raise Rollback
        except Rollback:
            pass
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=30, help="timed requests per case (30)")
    parser.add_argument("--measures", type=int, default=600, help="measures in the round (600)")
    parser.add_argument("--no-server", action="store_true", help="in-process figures only (no gunicorn)")
    args_ = parser.parse_args()
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    from common import require_national_data

    require_national_data()
    from django.conf import settings

    from lokalkomp.allocation.conflicts import disqualified_partnership_ids
    from lokalkomp.allocation.models import Recommendation

    office, round, members, officer = bench_office(args_.measures)
    main_ = Recommendation.main_of(round, by=officer)
    lines = list(main_.lines.select_related("measure__report").order_by("measure_id"))
    hidden = disqualified_partnership_ids(members[-1], round)
    decided = sum(1 for line in lines if line.is_decided)
    print(
        f"Round {round} ({office.slug}): {len(lines)} lines ({decided} decided), {len(members)} forum members, "
        f"the last disqualified from {len(hidden)} partnerships."
    )
    who = {"member": members[0], "disqualified member": members[-1], "secretariat": officer}
    clients, cookies = {"anonymous": Client()}, {"anonymous": ""}
    for label, user in who.items():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(user)
        clients[label] = client
        cookies[label] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    args = [office.slug, round.year]
    page, totals = (
        reverse("allocation:recommendation", args=args),
        reverse("allocation:recommendation_totals", args=args),
    )
    edited = next(line for line in lines if line.measure.report.partnership_id not in hidden and line.is_decided)
    edit = reverse("allocation:recommendation_line", args=[*args, edited.pk])
    edited.measure = edited.measure.__class__.objects.get(pk=edited.measure_id)
    editors = {label: Editor(edited) for label in who}
    cases = [Case("floor: /health/ (a bare view, SELECT 1)", "floor", "anonymous", "/health/")]
    for label in who:
        cases += [
            Case(f"workspace page ({label})", "page", label, page),
            Case(f"workspace page, gzip ({label})", "page", label, page, gzip=True),
            Case(f"one edit, POST of a line ({label})", "edit", label, edit),
            Case(f"totals partial ({label})", "totals", label, totals),
        ]
    for case in cases:
        editor = editors[case.who] if case.kind == "edit" else None
        if editor is not None:
            editor.version = edited.__class__.objects.get(pk=edited.pk).version
        measure_sql(case, clients[case.who], editor)
    if not args_.no_server:
        with Gunicorn(workers=2) as server:
            for case in cases:
                editor = editors[case.who] if case.kind == "edit" else None
                if editor is not None:
                    editor.version = edited.__class__.objects.get(pk=edited.pk).version
                measure_http(case, server, cookies[case.who], args_.requests, editor)
                print(f"  {case.label[:60]:60} p50 {case.p50:7.1f} ms", file=sys.stderr)
    suggestions = suggestion_runs(main_, officer)

    print(
        f"\n{'case':50} {'st':>3} {'SQL#':>4} {'SQL ms':>7} {'CPU ms':>7} {'p50 ms':>7} {'p95 ms':>7} {'kB':>6}  verdict"
    )
    for case in cases:
        misses = []
        if case.status != 200:
            misses.append(f"status {case.status}")
        if case.queries > MAX_QUERIES:
            misses.append(f"{case.queries} queries > {MAX_QUERIES}")
        if case.times and case.p95 >= TARGET_MS[case.kind]:
            misses.append(f"p95 {case.p95:.0f} ms ≥ {TARGET_MS[case.kind]:.0f} ms")
        verdict = "ok" if not misses else "MISS: " + "; ".join(misses)
        print(
            f"{case.label[:50]:50} {case.status:>3} {case.queries:>4} {case.sql_ms:>7.1f} {case.cpu_ms:>7.1f} "
            f"{case.p50:>7.1f} {case.p95:>7.1f} {case.size / 1000:>6.0f}  {verdict}"
        )
    print(f"\n{'suggestion (rolled back)':40} {'ms':>7} {'SQL#':>5} {'lines':>6} {'events':>7}")
    for what, ms, queries, changed, events in suggestions:
        print(f"{what:40} {ms:>7.0f} {queries:>5} {changed:>6} {events:>7}")
    if not args_.no_server:
        print(f"\n{args_.requests} requests per case after 3 warm-ups; gunicorn, 2 sync workers, production settings.")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Load average at the start: {load_start}; at the end: {load} (2 cores; anything else running skews the times)."
    )


if __name__ == "__main__":
    main()
