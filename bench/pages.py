"""Every GET page against the national data: server time under gunicorn, SQL queries and SQL time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/pages.py [-n 30]

For each page: the query count and SQL time come from one in-process request with
`CaptureQueriesContext`; p50/p95 come from gunicorn's access log (the time the server
spent, in microseconds) over N sequential requests on 127.0.0.1 with 2 workers. The floor
is `/health/` (a bare view doing `SELECT 1`), and each page is shown as a ratio to it.
Pages that miss a target (more than 15 queries, p95 over 150 ms) get their reason and a
pyinstrument profile. Documents (PDF, Excel) are measured too, with fewer requests.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common import HOST, Gunicorn, median, percentile, require_national_data, session_cookie, setup_django

MAX_QUERIES = 15
MAX_P95_MS = 150.0


@dataclass
class Page:
    label: str
    url: str
    who: str  # "anonymous", "officer", "contact" or "admin"
    document: bool = False
    status: int = 0
    queries: int = 0
    sql_ms: float = 0.0
    times: list[float] = field(default_factory=list)
    repeated: list[tuple[int, str]] = field(default_factory=list)
    dropped: int = 0

    @property
    def p50(self) -> float:
        return median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)

    def misses(self) -> list[str]:
        reasons = []
        if self.dropped:
            reasons.append(f"{self.dropped} request(s) dropped by the server (gunicorn worker timeout, 30 s)")
        elif self.status != 200:
            reasons.append(f"status {self.status}")
        if self.queries > MAX_QUERIES:
            reasons.append(f"{self.queries} queries > {MAX_QUERIES}")
        if self.p95 > MAX_P95_MS:
            reasons.append(f"p95 {self.p95:.0f} ms > {MAX_P95_MS:.0f} ms")
        return reasons


def cast() -> dict[str, Any]:
    """The people and objects the pages are shown for: the heaviest report and its office's case officer."""
    from django.db.models import Count

    from lokalkomp.accounts.models import Role, User
    from lokalkomp.needs.models import Contact, NeedsReport

    by_size = NeedsReport.objects.annotate(n=Count("measures")).order_by("-n", "pk").select_related("round__office")
    biggest = by_size.first()
    assert biggest is not None
    office = biggest.round.office
    draft = by_size.filter(status="draft", round__office=office).first()
    assert draft is not None
    officer = User.objects.filter(memberships__role=Role.CASE_OFFICER, memberships__office=office).order_by("pk")
    contact = Contact.objects.filter(participant__partnership=draft.partnership, participant__side="owner")
    return {
        "report": biggest,
        "draft": draft,
        "office": office,
        "officer": officer.first(),
        "contact": contact.exclude(user=None).first().user,  # type: ignore[union-attr]
        "admin": User.objects.filter(is_superuser=True).order_by("pk").first(),
        "measures": biggest.measures.count(),
        "draft_measures": draft.measures.count(),
    }


def project_pages(c: dict[str, Any]) -> list[Page]:
    from django.urls import reverse

    report, draft, office = c["report"], c["draft"], c["office"]
    network = report.partnership.network
    pages = [
        Page("start page (anonymous)", reverse("home"), "anonymous"),
        Page("start page (case officer)", reverse("home"), "officer"),
        Page("start page (owner contact)", reverse("home"), "contact"),
        Page(
            f"round overview {draft.round.year}",
            reverse("schemes:round", args=[office.slug, draft.round.year]),
            "officer",
        ),
        Page(
            f"round overview {report.round.year}",
            reverse("schemes:round", args=[office.slug, report.round.year]),
            "officer",
        ),
        Page(f"network's reports ({network})", network.get_absolute_url(), "officer"),
        Page(f"needs report, {c['measures']} measures", reverse("needs:report", args=[report.pk]), "officer"),
        Page("my reports", reverse("needs:mine"), "contact"),
        Page("import a form", reverse("needs:import"), "contact"),
    ]
    for section in ("partnership", "measures", "union", "units", "check"):
        url = reverse("needs:edit_section", args=[draft.pk, section])
        pages.append(Page(f"form: {section} ({c['draft_measures']} measures)", url, "contact"))
    first = draft.measures.order_by("position").first()
    pages.append(Page("form: one measure", reverse("needs:measure", args=[draft.pk, first.pk]), "contact"))
    pages += [
        Page("document: report PDF", reverse("needs:pdf", args=[report.pk]), "officer", document=True),
        Page("document: report Excel", reverse("needs:report_xlsx", args=[report.pk]), "officer", document=True),
        Page("document: all my measures, Excel", reverse("needs:measures_xlsx"), "officer", document=True),
    ]
    return pages


def admin_pages(c: dict[str, Any]) -> list[Page]:
    from django.contrib import admin
    from django.urls import reverse

    pages = [Page("admin: index", reverse("admin:index"), "admin")]
    for model in sorted(admin.site._registry, key=lambda m: (m._meta.app_label, m._meta.model_name)):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        pages.append(Page(f"admin: {model._meta.app_label}.{model._meta.model_name}", reverse(name), "admin"))
    report = c["report"]
    pages.append(Page("admin: a needs report", reverse("admin:needs_needsreport_change", args=[report.pk]), "admin"))
    return pages


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every pattern in the URL conf."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), f"{namespace}{pattern.name or ''}"))

    walk(get_resolver().url_patterns, "/", "")
    return found


def other_pages(clients: dict[str, Any], covered: set[str]) -> tuple[list[Page], Counter[str]]:
    """Every other pattern without arguments that answers GET with 200 (as the contact, else anonymous)."""
    from django.urls import NoReverseMatch, reverse

    pages, skipped = [], Counter[str]()
    for route, name in url_patterns():
        try:
            url = reverse(name) if name and not name.endswith(":") else ""
        except NoReverseMatch:
            url = ""
        if not url:
            skipped["needs an argument (an object, a key or a token)" if "<" in route else "unnamed"] += 1
            continue
        if url in covered:
            continue
        for who in ("contact", "anonymous"):
            status = clients[who].get(url).status_code
            if status == 200:
                pages.append(Page(f"{name}", url, who))
                covered.add(url)
                break
        else:
            skipped[f"GET answers {status} (POST-only or a redirect)"] += 1
    return pages, skipped


def clients(c: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A test client and a session cookie per person; the same session serves gunicorn."""
    from django.conf import settings
    from django.test import Client

    made: dict[str, Any] = {"anonymous": Client()}
    cookies = {"anonymous": ""}
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=c["admin"], type=Authenticator.Type.TOTP).exists():
        from lokalkomp.testing import give_totp  # the admin must use TOTP; generate_national gives it none

        give_totp(c["admin"])
    for who in ("officer", "contact", "admin"):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(c[who])  # signed in with password and TOTP
        made[who] = client
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return made, cookies


def measure_sql(page: Page, client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not page.document:  # documents take seconds: their one measured call is warm enough
        client.get(page.url)  # warm caches the way a running server has them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    page.status = response.status_code
    page.queries = len(captured.captured_queries)
    page.sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    shapes = Counter(re.sub(r"\b\d+\b", "N", q["sql"])[:160] for q in captured.captured_queries)
    page.repeated = [(n, sql) for sql, n in shapes.most_common(3) if n > 1]


def measure_http(page: Page, server: Gunicorn, cookie: str, requests: int, warm_ups: int) -> None:
    """Sequential requests after warm-ups; server time is read from gunicorn's access log.

    A request the server drops (a worker killed by gunicorn's 30 s timeout) leaves no log line:
    then the page's times are the client's (connection to dropped connection) and the drop is counted.
    """
    before = len(server.server_times())
    client_times: list[float] = []
    statuses: list[int] = []
    for _ in range(requests + warm_ups):
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=180)
            connection.request("GET", page.url, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            connection.close()
        except (http.client.HTTPException, OSError):
            statuses.append(0)
        client_times.append((time.perf_counter() - started) * 1000)
    rows = server.server_times()[before:]
    deadline = time.monotonic() + 5
    while len(rows) < len(statuses) - statuses.count(0) and time.monotonic() < deadline:
        time.sleep(0.05)  # gunicorn writes the access log line just after the response
        rows = server.server_times()[before:]
    page.dropped = statuses.count(0)
    if len(rows) == len(statuses):
        page.times = [ms for _m, _path, _status, ms in rows[warm_ups:]]
        page.status = rows[-1][2]
    else:
        page.times = client_times[warm_ups:]


def profile(page: Page, client: Any) -> str:
    """Where one in-process request spends its time: the functions with most own time, then the call tree."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    client.get(page.url)
    profiler.stop()
    flat = [line for line in profiler.output_text(unicode=False, color=False, flat=True).splitlines() if line.strip()]
    tree = [line for line in profiler.output_text(unicode=False, color=False).splitlines() if line.strip()]
    return "\n".join(["  own time:", *flat[4:22], "  call tree:", *tree[4:40]])


def table(pages: list[Page], floor: Page) -> None:
    print(
        f"\n{'page':52} {'as':9} {'st':>3} {'SQL#':>4} {'SQL ms':>7} {'p50 ms':>7} {'p95 ms':>7} {'×floor':>7}  verdict"
    )
    for page in pages:
        ratio = page.p50 / floor.p50 if floor.p50 else 0
        verdict = "document" if page.document else ("ok" if not page.misses() else "MISS: " + "; ".join(page.misses()))
        print(
            f"{page.label[:52]:52} {page.who:9} {page.status:>3} {page.queries:>4} {page.sql_ms:>7.1f} "
            f"{page.p50:>7.1f} {page.p95:>7.1f} {ratio:>7.1f}  {verdict}"
        )


def explain(pages: list[Page], clients_: dict[str, Any]) -> None:
    for page in pages:
        misses = page.misses()
        if not misses and not page.document:
            continue
        if page.document:
            print(
                f"\n--- {page.label} ({page.url}): a document, {page.p50:.0f} ms p50; bench/export.py profiles the export."
            )
            continue
        if misses:
            print(f"\n--- {page.label} ({page.url}) misses: {'; '.join(misses)}")
            if page.sql_ms and page.p50:
                print(f"    SQL is {page.sql_ms:.0f} ms of ~{page.p50:.0f} ms; the rest is Python (ORM, templates).")
            for count, sql in page.repeated:
                print(f"    repeated {count}×: {sql}")
        print(profile(page, clients_[page.who]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--document-requests", type=int, default=2, help="timed requests per document (2)")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    args = parser.parse_args()
    setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the in-process client use the «testserver» host; mail stays in memory
    require_national_data()
    c = cast()
    made, cookies = clients(c)
    floor = Page("floor: /health/ (bare view, SELECT 1)", "/health/", "anonymous")
    pages = project_pages(c) + admin_pages(c)
    others, skipped = other_pages(made, {p.url for p in pages} | {floor.url})
    pages += others
    pages = [p for p in pages if args.only.lower() in p.label.lower()]
    print(
        f"Office {c['office']}; heaviest report #{c['report'].pk} ({c['measures']} measures); "
        f"heaviest draft #{c['draft'].pk} ({c['draft_measures']} measures); {len(pages)} pages."
    )
    for page in [floor, *pages]:
        measure_sql(page, made[page.who])
    with Gunicorn(workers=2) as server:
        for page in [floor, *pages]:
            count, warm = (args.document_requests, 1) if page.document else (args.requests, 3)
            measure_http(page, server, cookies[page.who], count, warm)
            print(f"  {page.label[:60]:60} p50 {page.p50:7.1f} ms", file=sys.stderr)
    table([floor, *pages], floor)
    print("\nNot measured (by reason): " + "; ".join(f"{n} × {reason}" for reason, n in skipped.items()))
    web = [p for p in pages if not p.document]
    missed = [p for p in web if p.misses()]
    print(
        f"\nTargets: ≤ {MAX_QUERIES} queries and p95 ≤ {MAX_P95_MS:.0f} ms — {len(web) - len(missed)} of {len(web)} pages met both."
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average at the end: {load} (2 cores; anything else running skews the times).")
    explain(pages, made)


if __name__ == "__main__":
    main()
