"""Shared test fixtures: the cast of people and the reference files beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def shared_dir() -> Path:
    """shared/ beside the checkout: the real seed documents and the municipality register."""
    path = Path(settings.SHARED_DIR)
    assert path.is_dir(), f"The reference files are expected in {path} (set LOKALKOMP_SHARED_DIR)."
    return path


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from lokalkomp.testing import make_cast

    return make_cast()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Real hashing is slow by design; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
