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
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ROOT, Gunicorn, require_national_data, setup_django

FIELDS = ("description", "anchoring", "target_group", "owner_share_use", "owner_amount", "partner_amount")
MIN_RPS = 150.0


def people(count: int) -> list[dict[str, Any]]:
    """Owner contacts, each with a draft of their own that is still open, and the fields they will edit."""
    from django.conf import settings
    from django.test import Client

    from lokalkomp.needs.editing import as_text
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
        client = Client()
        client.force_login(contact.user)  # type: ignore[arg-type]
        csrf = secrets.token_hex(16)  # an unmasked 32-character CSRF secret, sent as cookie and header
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
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


def run_locust(server: Gunicorn, people_file: Path, acked_file: Path, prefix: Path, args: argparse.Namespace) -> None:
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
        f"--csv={prefix}",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "LOKALKOMP_LOAD_PEOPLE": str(people_file), "LOKALKOMP_LOAD_ACKED": str(acked_file)}
    seconds = int(args.run_time.rstrip("s")) + 60 if args.run_time.endswith("s") else 600
    subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=seconds, stdout=subprocess.DEVNULL)  # noqa: S603


def summary(prefix: Path) -> dict[str, dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def failures(prefix: Path) -> list[str]:
    with open(f"{prefix}_failures.csv", encoding="utf-8") as rows:
        return [f"{r['Occurrences']} × {r['Method']} {r['Name']}: {r['Error']}" for r in csv.DictReader(rows)]


def verify(acked: dict[str, dict[str, str]]) -> tuple[int, int, list[str]]:
    """(fields checked, lost saves, examples): each field's last acknowledged value must be in the database."""
    from lokalkomp.needs.editing import as_text
    from lokalkomp.needs.models import Measure

    checked, lost, examples = 0, 0, []
    for fields in acked.values():
        for key, value in fields.items():
            _kind, pk, name = key.split(":")
            stored = as_text(Measure.objects.values_list(name, flat=True).get(pk=int(pk)))
            checked += 1
            if stored != value:
                lost += 1
                examples.append(f"{key}: acknowledged {value[:40]!r}, stored {stored[:40]!r}")
    return checked, lost, examples[:5]


def restore(chosen: list[dict[str, Any]], last_edit: int) -> None:
    """Put the measures back as they were and drop the run's edit records."""
    from lokalkomp.needs.editing import clean_value
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
        people_file, acked_file, prefix = Path(folder, "people.json"), Path(folder, "acked.json"), Path(folder, "run")
        people_file.write_text(json.dumps(chosen), encoding="utf-8")
        with Gunicorn(workers=args.workers, threads=args.threads) as server:
            run_locust(server, people_file, acked_file, prefix, args)
            statuses = [status for _m, _path, status, _ms in server.server_times()]
        stats, errors = summary(prefix), failures(prefix)
        acked = json.loads(acked_file.read_text(encoding="utf-8")) if acked_file.exists() else {}
    checked, lost, examples = verify(acked)
    saves = FieldEdit.objects.filter(pk__gt=last_edit).count()
    restore(chosen, last_edit)
    report(stats, errors, statuses, checked, lost, examples, saves, args)


def report(
    stats: dict[str, dict[str, str]],
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
    for name in ("autosave", "report page", "measure form", "Aggregated"):
        row = stats.get(name)
        if row:
            print(
                f"{name:14} {row['Request Count']:>7} {row['Failure Count']:>5} {float(row['Requests/s']):>7.1f} "
                f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
            )
    total = stats["Aggregated"]
    rps, failed = float(total["Requests/s"]), int(total["Failure Count"])
    print(f"Server statuses: { {s: statuses.count(s) for s in sorted(set(statuses))} }")
    for line in errors:
        print(f"  error: {line}")
    print(
        f"Acknowledged saves: {int(stats.get('autosave', {}).get('Request Count', 0)) - int(stats.get('autosave', {}).get('Failure Count', 0))}; edit records written: {saves}"
    )
    print(f"Last acknowledged value per field checked against the database: {checked} fields, {lost} lost.")
    for line in examples:
        print(f"  lost: {line}")
    verdict = "met" if rps >= MIN_RPS and failed == 0 and lost == 0 else "MISSED"
    print(
        f"Targets (≥ {MIN_RPS:.0f} req/s, 0 errors, 0 lost saves): {verdict} — {rps:.1f} req/s, p95 {total['95%']} ms, {failed} errors, {lost} lost."
    )
    print(
        f"Load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared with locust and PostgreSQL)."
    )


if __name__ == "__main__":
    main()
