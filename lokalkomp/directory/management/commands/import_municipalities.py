from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalkomp.directory.registers import RegisterError, import_registers


class Command(BaseCommand):
    help = "Load offices, counties and municipalities from register files (kommuner-*.json, fylker-*.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="JSON files with k_id/f_id rows")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_registers(options["files"])
        except RegisterError as error:
            raise CommandError(str(error)) from error
        for kind in ("offices", "counties", "municipalities"):
            self.stdout.write(f"{kind}: {result.created[kind]} created, {result.updated[kind]} updated")
