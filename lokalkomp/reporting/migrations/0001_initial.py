from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration: empty, so that each part's migration can follow it."""

    initial = True

    dependencies: list[tuple[str, str]] = [("allocation", "0008_decision_letters")]

    operations: list[migrations.operations.base.Operation] = []
