from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalkomp.demo import national_year


class Command(BaseCommand):
    help = (
        "Take the national data's past rounds (all but the newest year) through the rest of the year: compilations "
        "delivered, a final recommendation, decisions and payments marked paid. Rounds already decided are passed "
        "over, so it extends an existing database (e.g. lokalkomp_bench) without generating it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--through",
            choices=national_year.STEPS[1:],
            default="payments",
            help="The last step to take (payments).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Processes to share the offices between, on PostgreSQL (1; 2 on a quiet machine of 2 cores).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = national_year.generated_rounds()
        if not rounds:
            raise CommandError(
                "No generated rounds before the newest year: run generate_national first (with --years 2 or more)."
            )
        self.stdout.write(f"{len(rounds)} rounds ({rounds[0].year}–{rounds[-1].year}) through «{options['through']}».")
        if not 1 <= options["jobs"] <= 16:
            raise CommandError("--jobs is from 1 to 16.")
        done = national_year.run(through=options["through"], rounds=rounds, jobs=options["jobs"], log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(done.summary() + "."))
