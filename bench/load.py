"""Deadline-day load test: 200 owner contacts autosave their own drafts (and read a little) for 60 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/load.py

Gunicorn serves on 127.0.0.1 only; locust runs headless, bounded by -u/-r/--run-time and a
hard timeout. Each simulated user signs in as a different generated owner contact (a
session made here) and autosaves fields of a measure in their own draft report through
POST /behovsmeldinger/<pk>/lagre/ (key, value, base), keeping the last acknowledged value
per field. Afterwards every acknowledged save is compared with the database, and the
measures are put back as they were so the data set stays reproducible.
Targets: ≥ 150 requests/s, 0 errors, 0 lost saves.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ROOT, Gunicorn, median, percentile, require_national_data, session_cookie, setup_django

FIELDS = ("description", "anchoring", "target_group", "owner_share_use", "owner_amount", "partner_amount")
MIN_RPS = 150.0


def people(count: int) -> list[dict[str, Any]]:
    """Owner contacts, each with a draft of their own that is still open, and the fields they will edit."""
    from django.conf import settings

    from lokalkomp.needs.autosave import as_text
    from lokalkomp.needs.models import Contact, Measure

    contacts = (
        Contact.objects.filter(participant__side="owner", participant__is_lead=True, user__isnull=False)
        .filter(participant__partnership__reports__status="draft")
        .select_related("user")
        .order_by("pk")
    )
    chosen: list[dict[str, Any]] = []
    seen: set[int] = set()
    for contact in contacts:
        if contact.user_id in seen or len(chosen) == count:
            continue
        report = contact.participant.partnership.reports.filter(status="draft").order_by("-round__year").first()
        measure = Measure.objects.filter(report=report).exclude(name="Koordinator").order_by("position").first()
        if report is None or measure is None or not report.is_editable():
            continue
        seen.add(contact.user_id)  # type: ignore[arg-type]
        csrf = secrets.token_hex(16)  # an unmasked 32-character CSRF secret, sent as cookie and header
        session = session_cookie(contact.user)
        chosen.append(
            {
                "email": contact.user.email,  # type: ignore[union-attr]
                "report": report.pk,
                "measure": measure.pk,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "csrf": csrf,
                "values": {f"measure:{measure.pk}:{name}": as_text(getattr(measure, name)) for name in FIELDS},
            }
        )
    if len(chosen) < count:
        sys.exit(f"Only {len(chosen)} owner contacts have an open draft; the load test needs {count}.")
    return chosen


def run_locust(server: Gunicorn, people_file: Path, acked_file: Path, args: argparse.Namespace) -> None:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--only-summary",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.run_time}",
        "--stop-timeout=10",
        f"--host={server.url}",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "LOKALKOMP_LOAD_PEOPLE": str(people_file), "LOKALKOMP_LOAD_ACKED": str(acked_file)}
    seconds = int(args.run_time.rstrip("s")) + 60 if args.run_time.endswith("s") else 600
    done = subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=seconds, capture_output=True, text=True)  # noqa: S603
    if not acked_file.exists():
        sys.exit(f"locust ended without results (exit {done.returncode}):\n{done.stderr[-3000:]}")


def verify(acked: dict[str, dict[str, str]], last_edit: int) -> tuple[int, int, int, list[str]]:
    """(fields checked, lost saves, later saves, examples): each field's last acknowledged value must be stored.

    A save still in flight when locust stops is applied by the server but never acknowledged: the
    field then holds a *later* value than the last acknowledged one. That is not a lost save when the
    run's edit record shows that later value written after the acknowledged one; anything else is.
    """
    from lokalkomp.needs.autosave import as_text
    from lokalkomp.needs.models import FieldEdit, Measure

    checked, lost, later, examples = 0, 0, 0, []
    for fields in acked.values():
        for key, value in fields.items():
            _kind, pk, name = key.split(":")
            stored = as_text(Measure.objects.values_list(name, flat=True).get(pk=int(pk)))
            checked += 1
            if stored == value:
                continue
            edits = FieldEdit.objects.filter(pk__gt=last_edit, key=key).order_by("pk")
            acked_at = edits.filter(value=value).values_list("pk", flat=True).last()
            if acked_at is not None and edits.filter(pk__gt=acked_at, value=stored).exists():
                later += 1
                continue
            lost += 1
            examples.append(f"{key}: acknowledged {value[:40]!r}, stored {stored[:40]!r}")
    return checked, lost, later, examples[:5]


def profile(person: dict[str, Any]) -> str:
    """One autosave in-process: its SQL queries and where its Python time goes (pyinstrument, own time)."""
    import time

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from lokalkomp.accounts.models import User

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(User.objects.get(email=person["email"]))
    key = next(k for k in person["values"] if k.endswith("description"))
    url = f"/behovsmeldinger/{person['report']}/lagre/"

    def save(value: str) -> Any:
        return client.post(url, {"key": key, key: value, f"base:{key}": person["values"][key]}, HTTP_HX_REQUEST="true")

    save("Profilering")  # warm-up, then back to the original
    person["values"][key], original = "Profilering", person["values"][key]
    captured: list[tuple[str, float]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(record):
        save(original)
    person["values"][key] = original
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(20):
        save("Profilering")
        person["values"][key], other = "Profilering", person["values"][key]
        save(other)
        person["values"][key] = other
    profiler.stop()
    sql = sum(ms for _sql, ms in captured)
    lines = [line for line in profiler.output_text(unicode=False, color=False, flat=True).splitlines() if line.strip()]
    shapes = "\n".join(f"    {ms:5.1f} ms  {sql[:130]}" for sql, ms in captured)
    return (
        f"One autosave: {len(captured)} SQL queries, {sql:.1f} ms SQL:\n{shapes}\n"
        f"Profile of 40 autosaves in-process (own time per function, seconds):\n" + "\n".join(lines[:30])
    )


def restore(chosen: list[dict[str, Any]], last_edit: int) -> None:
    """Put the measures back as they were and drop the run's edit records."""
    from lokalkomp.needs.autosave import clean_value
    from lokalkomp.needs.models import FieldEdit, Measure

    for person in chosen:
        values = {
            key.split(":")[2]: clean_value("measure", key.split(":")[2], text, Measure)
            for key, text in person["values"].items()
        }
        Measure.objects.filter(pk=person["measure"]).update(**values)
    FieldEdit.objects.filter(pk__gt=last_edit).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-u", "--users", type=int, default=200)
    parser.add_argument("-r", "--spawn-rate", type=int, default=50)
    parser.add_argument("-t", "--run-time", default="60s")
    parser.add_argument("-w", "--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1)")
    args = parser.parse_args()
    setup_django()
    require_national_data()
    from django.db.models import Max

    from lokalkomp.needs.models import FieldEdit

    chosen = people(args.users)
    last_edit = FieldEdit.objects.aggregate(top=Max("pk"))["top"] or 0
    with tempfile.TemporaryDirectory() as folder:
        people_file, acked_file = Path(folder, "people.json"), Path(folder, "acked.json")
        people_file.write_text(json.dumps(chosen), encoding="utf-8")
        with Gunicorn(workers=args.workers, threads=args.threads) as server:
            run_locust(server, people_file, acked_file, args)
            times = server.server_times()
            statuses = [status for _m, _path, status, _ms in times]
            autosave_ms = [ms for method, _path, _status, ms in times if method == "POST"]
        results = json.loads(acked_file.read_text(encoding="utf-8"))
    stats, errors = results["stats"], results["errors"]
    checked, lost, later, examples = verify(results["acked"], last_edit)
    saves = FieldEdit.objects.filter(pk__gt=last_edit).count()
    restore(chosen, last_edit)
    report(stats, errors, statuses, checked, lost, examples, saves, args)
    print(
        f"Server time of an autosave (gunicorn %(D)s): median {median(autosave_ms):.1f} ms, "
        f"p95 {percentile(autosave_ms, 0.95):.1f} ms; {later} field(s) hold a later save that was still in "
        "flight when locust stopped (applied, never acknowledged: not lost)."
    )
    if stats["Aggregated"]["rps"] < MIN_RPS or stats["Aggregated"]["p95"] > 150:
        from django.test.utils import setup_test_environment

        setup_test_environment()
        print(profile(chosen[0]))
        restore(chosen, last_edit)


def report(
    stats: dict[str, dict[str, float]],
    errors: list[str],
    statuses: list[int],
    checked: int,
    lost: int,
    examples: list[str],
    saves: int,
    args: argparse.Namespace,
) -> None:
    print(
        f"{args.users} users (spawn {args.spawn_rate}/s) for {args.run_time}; gunicorn {args.workers} workers × {args.threads} threads; 127.0.0.1"
    )
    print(f"{'request':14} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name, row in stats.items():
        print(
            f"{name:14} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{row['p50']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f}"
        )
    total, autosave = stats["Aggregated"], stats["autosave"]
    print(f"Server statuses: { {s: statuses.count(s) for s in sorted(set(statuses))} }")
    for line in errors:
        print(f"  error: {line}")
    acknowledged = int(autosave["requests"] - autosave["failures"])
    print(f"Acknowledged saves: {acknowledged}; edit records (FieldEdit) written: {saves}")
    print(f"Last acknowledged value per field, checked against the database: {checked} fields, {lost} lost.")
    for line in examples:
        print(f"  lost: {line}")
    met = total["rps"] >= MIN_RPS and total["failures"] == 0 and lost == 0 and saves >= acknowledged
    print(
        f"Targets (≥ {MIN_RPS:.0f} req/s, 0 errors, 0 lost saves): {'met' if met else 'MISSED'} — "
        f"{total['rps']:.1f} req/s, p95 {total['p95']:.0f} ms, {total['failures']:.0f} errors, {lost} lost."
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average now: {load} (2 cores, shared by gunicorn, locust and PostgreSQL).")


if __name__ == "__main__":
    main()
