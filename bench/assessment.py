"""The forum's assessment (issue 11): the overview, its Excel and the overlap finder on a round of ~600 measures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/assessment.py [-n 30]

It needs the national data (`generate_national --years 10`). Beside it, it makes (once; reused on the
next run) an office of its own, «bench-vurdering», with two rounds copied from a national office's two
fully submitted rounds: about 600 measures in each (`--measures`), with their partnerships (the same
owners and UHs), networks, texts and amounts, submitted with their records (`NeedsReportVersion`), and
every network's compilation delivered. Ten forum members have declared their ties and each has
assessed every measure of the newer round (`bulk_create`: ~6 000 assessments, ~30 000 scores; nine in
ten shared). Two of them work for owners of three partnerships each, so they are disqualified from those
(their assessments there are left out of every number); a case officer is the secretariat.

For each page, as a forum member and as the secretariat: the query count and SQL time from one
in-process request (`CaptureQueriesContext`), the median CPU time of an in-process request (which
the other processes on the machine hardly move), and p50/p95 of the server's own time (gunicorn's access log, 2 sync workers,
production settings, sessions in Redis) over N sequential requests after 3 warm-ups, as bench/pages.py
does. The overlap finder keeps its matches in the cache until a report of the two rounds changes;
its first request after a change (the cache emptied) is timed apart, in-process.

Targets (issue 11): each page ≤ 15 queries and p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from typing import Any

from common import Gunicorn, session_cookie, setup_django
from pages import Page, measure_http, measure_sql

OFFICE = "bench-vurdering"
ASSESSORS = 10
MAX_QUERIES = 15
TARGET_P95_MS = 300.0
PASSWORD = "nasjonal"  # noqa: S105  (as every person of generate_national)
ANALYZED = (  # the tables the bench office fills
    "allocation_assessment",
    "allocation_criterionscore",
    "allocation_compilation",
    "allocation_compilationentry",
    "allocation_compilationversion",
    "allocation_declaration",
    "accounts_membership",
    "needs_measure",
    "needs_needsreport",
    "needs_needsreportversion",
    "needs_participant",
    "needs_partnership",
)


def source_rounds() -> tuple[Any, Any]:
    """A national office's newest round whose reports are all submitted, and its round a year before (also all)."""
    from django.db.models import Count, Q

    from lokalkomp.schemes.models import Round

    rounds = (
        Round.objects.exclude(office__slug=OFFICE)
        .annotate(n=Count("needs_reports"), drafts=Count("needs_reports", filter=~Q(needs_reports__status="submitted")))
        .filter(n__gt=0, drafts=0)
        .order_by("-year", "pk")
    )
    for newer in rounds:
        older = rounds.filter(office_id=newer.office_id, year=newer.year - 1).first()
        if older is not None:
            return newer, older
    sys.exit("No office has two fully submitted rounds in a row: is this the national data?")


def copy_round(source: Any, office: Any, wanted: int, partnerships: dict[int, Any], networks: dict[int, Any]) -> Any:
    """A round of the office in the source's year with the source's first reports (≈ `wanted` measures), submitted."""
    from lokalkomp.directory.models import Network
    from lokalkomp.needs.models import Measure, NeedsReport, Participant, Partnership
    from lokalkomp.schemes.models import Round, RoundScheme

    round = Round.objects.create(office=office, year=source.year)
    for scheme_id in source.round_schemes.values_list("scheme_id", flat=True):
        RoundScheme.objects.create(round=round, scheme_id=scheme_id)
    skip = {"id", "report_id", "continued_from_id"}
    fields = [f.attname for f in Measure._meta.concrete_fields if f.attname not in skip]
    participant_fields = [
        f.attname for f in Participant._meta.concrete_fields if f.attname not in {"id", "partnership_id"}
    ]
    copied = 0
    reports = NeedsReport.objects.filter(round=source).select_related("partnership").order_by("pk")
    for report in reports.iterator():
        if copied >= wanted:
            break
        old = report.partnership
        if old.pk not in partnerships:
            if old.network_id and old.network_id not in networks:
                network = Network.objects.get(pk=old.network_id)
                networks[old.network_id] = Network.objects.create(
                    office=office, name=network.name, slug=f"{network.slug}-v"[:50]
                )
            new = Partnership.objects.create(
                office=office, network=networks.get(old.network_id) if old.network_id else None, name=old.name
            )
            Participant.objects.bulk_create(
                Participant(partnership=new, **{name: getattr(p, name) for name in participant_fields})
                for p in old.participants.all()
            )
            partnerships[old.pk] = new
        copy = NeedsReport.objects.create(partnership=partnerships[old.pk], round=round)
        for scheme_id in report.report_schemes.values_list("scheme_id", flat=True):
            copy.report_schemes.create(scheme_id=scheme_id)
        measures = list(report.measures.order_by("position", "pk"))
        Measure.objects.bulk_create(
            Measure(report=copy, **{name: getattr(m, name) for name in fields}) for m in measures
        )
        event = copy.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
        NeedsReport.objects.filter(pk=copy.pk).update(status=NeedsReport.Status.SUBMITTED)
        copy.refresh_from_db()
        copy.record_version(by=None, event=event)
        copied += len(measures)
    return round


def deliver_compilations(round: Any) -> int:
    from lokalkomp.allocation.models import Compilation
    from lokalkomp.directory.models import Network

    delivered = 0
    for network in Network.objects.filter(partnerships__reports__round=round).distinct():
        compilation = Compilation.of(round, network)
        compilation.sync()
        compilation.refresh_from_db()
        compilation.deliver(by=None, expected_version=compilation.version)
        delivered += 1
    return delivered


def people(office: Any, round: Any) -> tuple[list[Any], Any]:
    """Ten forum members who have declared, two of them tied to three partnerships' owners; and a case officer."""
    from lokalkomp.accounts.models import Membership, Role, User
    from lokalkomp.allocation.models import Declaration
    from lokalkomp.needs.models import Participant
    from lokalkomp.testing import give_totp

    members = []
    for n in range(1, ASSESSORS + 1):
        user = User.objects.create_user(f"vurderer-{n}@bench-vurdering.test", password=PASSWORD)
        user.first_name, user.last_name = "Vurderer", str(n)
        user.save()
        Membership.objects.create(user=user, role=Role.FORUM_MEMBER, office=office)
        give_totp(user)
        Declaration.declare(round=round, person=user, no_other_ties=True, organisations=[], ties="")
        members.append(user)
    owners = list(
        Participant.objects.filter(partnership__office=office, side="owner")
        .order_by("partnership_id")
        .values_list("organisation_id", flat=True)[:6]
    )
    for n, organisation in enumerate(owners):
        Membership.objects.create(user=members[-1 - n // 3], role=Role.OWNER_CONTACT, organisation_id=organisation)
    officer = User.objects.create_user("saksbehandler@bench-vurdering.test", password=PASSWORD)
    Membership.objects.create(user=officer, role=Role.CASE_OFFICER, office=office)
    give_totp(officer)
    return members, officer


def assess_everything(round: Any, members: list[Any], seed: int = 11) -> tuple[int, int]:
    """Every member assesses every measure of the round (bulk_create): nine in ten shared."""
    from django.utils import timezone

    from lokalkomp.allocation import criteria
    from lokalkomp.allocation.models import Assessment, CriterionScore
    from lokalkomp.needs.models import Measure

    rng = random.Random(seed)
    now = timezone.now()
    measures = list(Measure.objects.filter(report__round=round).select_related("scheme"))
    by_scheme = {m.scheme_id: criteria.for_scheme(m.scheme, round) for m in measures}
    recommendations = ["prioritise", "possible", "do_not_fund"]
    rows = []
    for measure in measures:
        for member in members:
            shared = rng.random() < 0.9
            rows.append(
                Assessment(
                    round=round,
                    measure=measure,
                    assessor=member,
                    recommendation=rng.choices(recommendations, weights=[5, 3, 2])[0],
                    comment="Vurdert i benchmark.",
                    shared=shared,
                    shared_at=now if shared else None,
                )
            )
    assessments = Assessment.objects.bulk_create(rows, batch_size=2000)
    scores = [
        CriterionScore(
            assessment=a,
            criterion=c,
            score=rng.choices(["met", "partly", "not_met"], weights=[6, 3, 1])[0],
            comment="",
        )
        for a in assessments
        for c in by_scheme[a.measure.scheme_id]
    ]
    CriterionScore.objects.bulk_create(scores, batch_size=5000)
    return len(assessments), len(scores)


def bench_office(wanted: int) -> tuple[Any, Any, list[Any], Any]:
    """The bench office's newer round, its members and case officer: made the first time, then reused."""
    from django.db import transaction

    from lokalkomp.accounts.models import Role, User
    from lokalkomp.directory.models import Office
    from lokalkomp.schemes.models import Round

    office = Office.objects.filter(slug=OFFICE).first()
    if office is not None:
        round = Round.objects.filter(office=office).order_by("-year").select_related("office").first()
        members = list(User.objects.filter(email__startswith="vurderer-", email__endswith="@bench-vurdering.test"))
        members.sort(key=lambda u: int(u.email.split("-")[1].split("@")[0]))
        officer = User.objects.get(memberships__role=Role.CASE_OFFICER, memberships__office=office)
        return office, round, members, officer
    started = time.perf_counter()
    newer, older = source_rounds()
    print(f"Making {OFFICE}: copies of {newer.office} {older.year} and {newer.year}, ~{wanted} measures each.")
    with transaction.atomic():
        office = Office.objects.create(slug=OFFICE, name="Statsforvalteren i Benchmark (vurdering)")
        partnerships: dict[int, Any] = {}
        networks: dict[int, Any] = {}
        copy_round(older, office, wanted, partnerships, networks)
        round = copy_round(newer, office, wanted, partnerships, networks)
    delivered = deliver_compilations(round)
    with transaction.atomic():
        members, officer = people(office, round)
        made = assess_everything(round, members)
    print(
        f"  made in {time.perf_counter() - started:.0f} s: {len(partnerships)} partnerships, {delivered} compilations "
        f"delivered, {made[0]} assessments, {made[1]} scores."
    )
    return office, round.__class__.objects.select_related("office").get(pk=round.pk), members, officer


def analyze_as_autovacuum_would() -> list[str]:
    """ANALYZE those of the bench office's tables that autovacuum would: changed by more than 50 rows + 10 %.

    The bench database runs without autovacuum, so the 36 000 rows the office adds would otherwise be
    planned with the statistics of before (16 assessments estimated for 6 000: nested loops and sorts).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s)"
            " AND n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup - n_mod_since_analyze, 0)"
            " ORDER BY relname",
            [list(ANALYZED)],
        )
        stale = [name for (name,) in cursor.fetchall()]
        for name in stale:
            cursor.execute(f'ANALYZE "{name}"')
    return stale


def cold_overlap(client: Any, path: str) -> tuple[float, int]:
    """The overlap page's first request after a report of the two rounds changed: the matches computed anew.

    The bench's own Redis database (11) is emptied (the finder's matches go; the sessions are
    `cached_db`, so they stay in the database), and one request is timed in-process.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 200, status
    return elapsed, len(captured.captured_queries)


def cpu_time(client: Any, path: str, requests: int = 10) -> float:
    """The median CPU time of this process for one in-process request (ms): what the load of others hardly moves.

    SQL time is not in it (PostgreSQL's own process); the SQL ms column has that.
    """
    times = []
    for _ in range(requests):
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--measures", type=int, default=600, help="measures in each of the two rounds (600)")
    args_ = parser.parse_args()
    # A Redis database of its own: the cold overlap run empties it (the other benchmarks use 7).
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")
    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    from common import require_national_data

    require_national_data()
    from django.conf import settings

    from lokalkomp.allocation.models import Assessment
    from lokalkomp.needs.models import Measure

    office, round, members, officer = bench_office(args_.measures)
    if analyzed := analyze_as_autovacuum_would():
        print(f"ANALYZE (as autovacuum would, the bench database runs without it): {', '.join(analyzed)}.")
    n_measures = Measure.objects.filter(report__round=round).count()
    n_assessments = Assessment.objects.filter(round=round).count()
    print(
        f"Round {round} ({office.slug}): {n_measures} submitted measures, {len(members)} assessors, "
        f"{n_assessments} assessments; last year's round beside it for the overlap finder."
    )
    who = {"member": members[0], "secretariat": officer}
    clients, cookies = {}, {}
    for label, user in who.items():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(user)
        clients[label] = client
        cookies[label] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    args = [office.slug, round.year]
    overview = reverse("allocation:assessment_overview", args=args)
    some = Measure.objects.filter(report__round=round).order_by("pk").values_list("pk", flat=True).first()
    urls = {
        "overview": overview,
        "overview, criterion 3 not met by anyone, by score": overview + "?criterion=c3&score=met&who=none&sort=score",
        "overview Excel": reverse("allocation:assessment_overview_xlsx", args=args),
        "one measure side by side": reverse("allocation:assessment_overview_measure", args=[*args, some]),
        "overlap finder": reverse("allocation:overlap", args=args),
    }
    cold = {label: cold_overlap(clients[label], urls["overlap finder"]) for label in who}
    pages = [Page(f"{name} ({label})", path, label) for name, path in urls.items() for label in who]
    floor = Page("floor: /health/ (a bare view, SELECT 1)", "/health/", "anonymous")
    clients["anonymous"], cookies["anonymous"] = Client(), ""
    cpu = {}
    for page in [floor, *pages]:
        measure_sql(page, clients[page.who])
        cpu[page.label] = cpu_time(clients[page.who], page.url)
    with Gunicorn(workers=2) as server:
        for page in [floor, *pages]:
            measure_http(page, server, cookies[page.who], args_.requests, 3)
            print(f"  {page.label[:64]:64} p50 {page.p50:7.1f} ms", file=sys.stderr)
    print(f"\n{'page':62} {'st':>3} {'SQL#':>4} {'SQL ms':>7} {'CPU ms':>7} {'p50 ms':>7} {'p95 ms':>7}  verdict")
    for page in [floor, *pages]:
        misses = []
        if page.status != 200:
            misses.append(f"status {page.status}")
        if page.queries > MAX_QUERIES:
            misses.append(f"{page.queries} queries > {MAX_QUERIES}")
        if page.p95 >= TARGET_P95_MS:
            misses.append(f"p95 {page.p95:.0f} ms ≥ {TARGET_P95_MS:.0f} ms")
        verdict = "ok" if not misses else "MISS: " + "; ".join(misses)
        print(
            f"{page.label[:62]:62} {page.status:>3} {page.queries:>4} {page.sql_ms:>7.1f} {cpu[page.label]:>7.1f} "
            f"{page.p50:>7.1f} {page.p95:>7.1f}  {verdict}"
        )
    for label, (ms, queries) in cold.items():
        print(f"overlap finder, matches computed anew ({label}): {ms:.0f} ms in-process, {queries} queries")
    print(f"\n{args_.requests} requests per page after 3 warm-ups; gunicorn, 2 sync workers, production settings.")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average at the end: {load} (2 cores; anything else running skews the times).")


if __name__ == "__main__":
    main()
