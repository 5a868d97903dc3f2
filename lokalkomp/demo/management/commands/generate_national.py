from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalkomp.demo import national, national_year


class Command(BaseCommand):
    help = (
        "Generate national-scale data for the benchmarks: 10 offices, 357 municipalities, ~45 networks, "
        "~2 000 partnerships and ~150 000 measures over ten rounds. Reproducible from --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=10, help="Rounds per office, up to --last-year (10).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (1).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Share of the partnerships (and so the measures) to make (1.0)."
        )
        parser.add_argument(
            "--last-year",
            type=int,
            default=None,
            help="The newest round, whose reports are mostly drafts (default: the round being written now).",
        )
        parser.add_argument(
            "--through",
            choices=national_year.STEPS,
            default="payments",
            help="How far the past rounds (all but the newest year) go: their reports only, or on through the "
            "compilations, the final recommendation, the decisions and the payments (the default; "
            "`national_decisions` does the same for data generated before).",
        )
        parser.add_argument(
            "--jobs", type=int, default=1, help="Processes for the rest of the year, on PostgreSQL (1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has data, e.g. from an earlier run.",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="First empty every table the generator fills: people, directory, rounds, reports (schemes stay).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["years"] < 1 or not 0 < options["scale"] <= 5 or not 1 <= options["jobs"] <= 16:
            raise CommandError("--years must be at least 1, --scale between 0 and 5 and --jobs from 1 to 16.")
        if options["clear"]:
            national_year.clear()
            national.clear()
            self.stdout.write("Emptied the generated tables.")
        elif not national.is_empty() and options["if_empty"]:
            self.stdout.write("The database already has data; nothing generated (--if-empty).")
            return
        elif not national.is_empty():
            raise CommandError(
                "The database already has offices, people or needs reports. Generated data goes into an empty "
                "database (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench after "
                "`createdb lokalkomp_bench` and `migrate`), or run again with --clear to replace what is there."
            )
        started = time.monotonic()
        counts = national.generate(
            years=options["years"],
            seed=options["seed"],
            scale=options["scale"],
            last_year=options["last_year"],
            log=self.stdout.write,
        )
        finished = national_year.run(through=options["through"], jobs=options["jobs"], log=self.stdout.write)
        elapsed = time.monotonic() - started
        for name, count in counts.items():
            self.stdout.write(f"  {name:24} {count:>9,}".replace(",", " "))
        if finished.rounds:
            self.stdout.write(f"  The rest of the year: {finished.summary()}.")
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {elapsed:.1f} s. Every person's password: «{national.PASSWORD}».")
        )
