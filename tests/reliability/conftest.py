"""The reliability suite runs on PostgreSQL only: it tests row locks, a cut connection, pg_dump and a worker.

On SQLite every test marked `postgres` is skipped with the reason in the summary (pytest -ra),
so a run on the default database shows that the suite did not run rather than hiding it.
"""

from __future__ import annotations

import pytest
from django.conf import settings

POSTGRES = "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.DATABASES["default"]["ENGINE"] == POSTGRES:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> (CI does)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _schemes(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table after each test, the seeded schemes too: put them back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or "postgres" not in request.node.keywords:
        return
    request.getfixturevalue("transactional_db")
    from lokalkomp.schemes.models import Scheme, SchemeCap
    from lokalkomp.schemes.seed import seed_schemes

    seed_schemes(Scheme, SchemeCap)
