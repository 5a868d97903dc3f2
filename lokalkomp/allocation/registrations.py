"""What allocation adds to the pages and registries of the apps before it (see docs/architecture.md).

Each helper of the app adds its own registration function here and calls it from `register()`.
"""

from __future__ import annotations


def register() -> None:
    """Called once from AllocationConfig.ready()."""
