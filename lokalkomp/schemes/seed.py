"""The four schemes lokalkomp knows of: three until 2025 and the merged scheme from 2026.

Their data is written once, in the data migration 0002_seed_schemes, frozen as it stood then; this
module reads it from there for the demo and the tests' builders (which must make the same schemes
again after a test flushes the database). Parameters not yet known for 2026 (co-financing, caps) are
left empty and changed as a new version (`Scheme.new_version`) when Udir publishes them, never by an
edit of the migration.
"""

from __future__ import annotations

import importlib
from typing import Any

_MIGRATION = importlib.import_module("lokalkomp.schemes.migrations.0002_seed_schemes")

SCHEMES: list[dict[str, Any]] = _MIGRATION.SCHEMES


def seed_schemes(Scheme: Any, SchemeCap: Any) -> None:  # noqa: N803
    """Create the known schemes that are missing; safe to run again.

    A scheme that exists is left as it is: once a round uses it, its rules are a record, and a
    change of rules is a new version (`Scheme.new_version`).
    """
    for data in SCHEMES:
        data = dict(data)
        caps = data.pop("caps", [])
        scheme, created = Scheme.objects.get_or_create(code=data.pop("code"), defaults=data)
        if created:
            for cap in caps:
                SchemeCap.objects.create(scheme=scheme, **cap)
