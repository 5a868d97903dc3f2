"""Shared test fixtures: the cast of people and the reference files beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings


def require_shared_dir() -> Path:
    """shared/ beside the checkout: the real seed documents and the register they were checked against.

    The reference tests read it. A fresh clone does not have it: they skip, saying why. CI sets
    LOKALKOMP_REQUIRE_SHARED=1, and there a missing shared/ fails the run instead.
    """
    path = Path(settings.SHARED_DIR)
    if (path / "seeds").is_dir() and (path / "data").is_dir():
        return path
    reason = (
        f"Reference test: the real seed documents are not in {path} (set LOKALKOMP_SHARED_DIR); "
        "the project's own test forms cover the same behaviour."
    )
    if os.environ.get("LOKALKOMP_REQUIRE_SHARED") == "1":
        pytest.fail(f"{reason} LOKALKOMP_REQUIRE_SHARED=1 requires them.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """shared/ beside the checkout, or a skip (a failure in CI) with the reason; see require_shared_dir."""
    return require_shared_dir()


@pytest.fixture(scope="session")
def seed_003_text(shared_dir: Path) -> str:
    """The extracted text of seed 003, the real filled-in needs report of Ytre Helgeland."""
    seeds = sorted((shared_dir / "seeds").glob("003_*.txt"))
    if not seeds:
        pytest.fail(f"Seed 003 is missing from {shared_dir / 'seeds'}.", pytrace=False)
    return seeds[0].read_text(encoding="utf-8")


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from lokalkomp.testing import make_cast

    return make_cast()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Real hashing is slow by design; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in bokmål, the default: a request in English must not leak into the next test.

    The test client runs requests in the test's own thread, and the middleware activates the person's
    language there; without this, a test's texts would depend on which test ran before it.
    """
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
