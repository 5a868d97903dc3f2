"""Decision letters for 100 recipients: queued in the Statsforvalter's request, made and sent by the worker, timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lk_letters_bench .venv/bin/python bench/letters.py
    … bench/letters.py --recipients 100 --workers 2

It makes a throwaway test database (as the tests do: `test_<name>`, dropped at the end; the
national data is not touched), a 2024 round with 50 submitted reports of one measure each, every
report with an owner and a UH of its own (100 recipients) and a contact for each on record, a tenth
of the owners in a nynorsk municipality, and a final recommendation of every measure as asked. Then:

* `decide` — `decide_round` as the «make the decisions» view calls it: the 100 decisions, their
  lines, events and payments, and the letters queued (one message each, one task row);
* `queue`  — the part of that which queues the letters (the DECISIONS_MADE listener), with its
  SQL query count, which does not grow with the number of recipients;
* `drain`  — `manage.py run_worker --once` in its own process(es) (locmem mail backend: nothing
  leaves the machine) until the 100 letters are sent, each with its PDF made there; the time per
  letter is the drain's wall time divided by the letters, and the span of their `sent_at`.

It checks that every letter was sent once, with one «letter sent» event per decision.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100, help="Decisions to make (even; default 100).")
    parser.add_argument("--workers", type=int, default=1, help="Worker processes draining the queue (default 1).")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkomp.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print(f"Note: this runs on {connection.vendor}; the figures to report are PostgreSQL's.")
    setup_test_environment()  # locmem mail in this process; the workers get it through EMAIL_BACKEND
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.recipients // 2, args.workers)
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0)


def build(reports: int) -> tuple[Any, Any]:
    """The round, made final, and the Statsforvalter who decides it."""
    from lokalkomp.accounts.models import Membership, Role
    from lokalkomp.allocation.models import Recommendation
    from lokalkomp.allocation.tests.assess_helpers import submit
    from lokalkomp.allocation.tests.steps_helpers import as_asked
    from lokalkomp.directory.models import LanguageForm
    from lokalkomp.testing import (
        add_contact,
        make_measure,
        make_municipality,
        make_office,
        make_partnership,
        make_report,
        make_round,
        make_user,
    )

    office = make_office()
    round = make_round(office, 2024)
    scheme = round.schemes.order_by("pk").first()
    round.round_schemes.get(scheme=scheme).set_frame(10**9, by=None)
    nynorsk = make_municipality(office)
    nynorsk.language_form = LanguageForm.NYNORSK
    nynorsk.save()
    measures = []
    for n in range(reports):
        report = make_report(round, make_partnership(office))
        if n % 10 == 0:
            owner = report.partnership.participants.get(side="owner").organisation
            owner.municipality = nynorsk
            owner.save()
        add_contact(report, make_user(f"eier{n}@letters.bench"), "owner")
        add_contact(report, make_user(f"uh{n}@letters.bench"), "partner")
        measures.append(make_measure(report, 100_000 + n, 50_000, scheme=scheme, name=f"Tiltak {n}"))
        submit(report)
    recommendation = Recommendation.main_of(round)
    for measure in measures:
        as_asked(recommendation, measure)
    governor = make_user("statsforvalter@letters.bench")
    Membership.objects.create(user=governor, role=Role.CASE_OFFICER, office=office)
    meeting = {"meeting_date": round_date(), "present": [], "decided_how": "consensus", "note": ""}
    recommendation.advance(to=Recommendation.Status.PRELIMINARY, by=governor, **meeting)
    recommendation.advance(to=Recommendation.Status.FINAL, by=governor, **meeting)
    return round, governor


def round_date() -> Any:
    import datetime as dt

    return dt.date(2024, 3, 18)


def run(reports: int, workers: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lokalkomp.allocation import announce
    from lokalkomp.allocation.actions import decide_round
    from lokalkomp.allocation.models import Decision, DecisionEvent
    from lokalkomp.notifications.models import Notification

    started = time.perf_counter()
    round, governor = build(reports)
    print(f"built {reports} submitted reports (2 recipients each) in {time.perf_counter() - started:.1f} s")

    # The listener timed apart, by wrapping it where allocation calls it.
    timed: dict[str, float] = {}
    (listener,) = [f for f in announce.listeners(announce.DECISIONS_MADE) if f.__name__ == "on_decisions_made"]

    def timed_listener(**keywords: Any) -> None:
        with CaptureQueriesContext(connection) as queries:
            begun = time.perf_counter()
            listener(**keywords)
            timed["queue"] = time.perf_counter() - begun
        timed["queue_queries"] = len(queries)

    announce._listeners[announce.DECISIONS_MADE] = [timed_listener]
    with CaptureQueriesContext(connection) as queries:
        begun = time.perf_counter()
        decisions = decide_round(round=round, by=governor)  # commits: the on_commit enqueue is timed too
        decide = time.perf_counter() - begun
    announce._listeners[announce.DECISIONS_MADE] = [listener]
    letters = Notification.objects.filter(kind=Notification.Kind.DECISION_LETTER)
    count = letters.count()
    print(f"decide  {len(decisions)} decisions: {decide * 1000:.0f} ms, {len(queries)} SQL queries (all of the step)")
    print(
        f"queue   {count} letters queued: {timed['queue'] * 1000:.1f} ms, {timed['queue_queries']:.0f} SQL queries"
        " (the listener), 1 task row; no PDF made, nothing sent"
    )
    assert count == len(decisions), (count, len(decisions))

    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url if connection.vendor == "postgresql" else f"sqlite:///{settings['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    command = [PYTHON, str(ROOT / "manage.py"), "run_worker", "--once"]
    begun = time.perf_counter()
    passes = 0
    while letters.filter(status=Notification.Status.QUEUED).exists() and passes < 5:
        processes = [subprocess.Popen(command, env=environment, cwd=ROOT) for _ in range(workers)]  # noqa: S603
        for process in processes:
            process.wait()
        passes += 1
    drain = time.perf_counter() - begun
    sent = [at for at in letters.filter(status=Notification.Status.SENT).values_list("sent_at", flat=True) if at]
    events = DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT, decision__in=decisions).count()
    span = (max(sent) - min(sent)).total_seconds() if sent else 0.0
    nynorsk = Decision.objects.filter(pk__in=[d.pk for d in decisions], language_form="nn").count()
    print(
        f"drain   {len(sent)} of {count} letters sent by {workers} worker process(es) in {drain:.1f} s "
        f"(process start included, {passes} pass(es)): {drain / max(len(sent), 1) * 1000:.0f} ms per letter; "
        f"first to last send {span:.1f} s: {span / max(len(sent) - 1, 1) * 1000:.0f} ms per letter"
    )
    print(f"check   {events} «letter sent» events for {len(decisions)} decisions; {nynorsk} letters in nynorsk")
    assert len(sent) == count == events, (len(sent), count, events)


if __name__ == "__main__":
    main()
