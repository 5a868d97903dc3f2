"""Write docs/roles.md, the role × action table computed from the permission predicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lokalkomp.accounts.matrix import render_matrix

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "roles.md"


class Command(BaseCommand):
    help = "Write the role matrix (docs/roles.md) from the permission predicates (each app's rules.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print", action="store_true", help="Print the matrix instead of writing the file.")
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        matrix = render_matrix()
        if options["print"]:
            self.stdout.write(matrix, ending="")
            return
        options["path"].write_text(matrix, encoding="utf-8")
        self.stdout.write(f"Wrote {options['path']}")
