from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lokalkomp.demo.build import PASSWORD, build, demo_logins
from lokalkomp.demo.gatherings import build_gatherings
from lokalkomp.directory.registers import DATA_DIR, REGISTER_FILES, import_registers


class Command(BaseCommand):
    help = "Build the Nordland demo from the real documents. Safe to run again: it updates in place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-register",
            action="store_true",
            help="Also import the whole municipality register (the project's copy in directory/data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["with_register"]:
            result = import_registers(list(REGISTER_FILES))
            self.stdout.write(
                f"Imported the register ({result.created['municipalities']} municipalities new) from {DATA_DIR}."
            )
        build()
        self.stdout.write(build_gatherings())
        self.stdout.write(self.style.SUCCESS("The demo is loaded."))
        self.stdout.write(f"Demo logins (password «{PASSWORD}» for all):")
        for email, description in demo_logins():
            self.stdout.write(f"  {email:34} {description}")
        self.stdout.write(
            "Statsforvalter and forum users also give a two-factor code: secret LOKALKOMPDEMOTOTPSECRETNORDLAND2,\n"
            "or print the current code with: .venv/bin/python manage.py demo_totp statsforvalter@lokalkomp.test"
        )
