"""Shared test fixtures: the cast of people and the reference files beside the checkout."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from pytest_django.fixtures import validate_django_db

if TYPE_CHECKING:
    from django.db.transaction import Atomic

    from lokalkomp.testing import Cast

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cast(**options): on a module, its cast's make_cast options (deadline=, year=) and then=, "
        "a function of the cast that adds what all the module's tests need",
    )


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


# ── The cast: built once per module ─────────────────────────────────────────────────────────


def commits(item: pytest.Item) -> bool:
    """Whether the test runs on transactional_db or live_server (as pytest-django decides): it commits."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def build_cast(node: pytest.Item | pytest.Module) -> Cast:
    """make_cast with the module's `cast` mark, in bokmål and with the tests' fast password hasher."""
    from django.test import override_settings
    from django.utils import translation

    from lokalkomp.testing import make_cast

    marker = node.get_closest_marker("cast")
    options = dict(marker.kwargs) if marker else {}
    then = options.pop("then", None)
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), translation.override(settings.LANGUAGE_CODE):
        cast = make_cast(**options)
        if then is not None:
            then(cast)
    return cast


def _enter_atomics() -> list[Atomic]:
    from django.db import connections, transaction

    atomics = []
    for alias in connections:
        atomic = transaction.atomic(using=alias)
        atomic._from_testcase = True  # type: ignore[attr-defined]  # as TestCase's own: may hold a durable block
        atomic.__enter__()
        atomics.append(atomic)
    return atomics


def _roll_back(atomics: list[Atomic]) -> None:
    from django.db import transaction

    for atomic in reversed(atomics):
        transaction.set_rollback(True, using=atomic.using)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_cast(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast | None]:
    """The module's cast, built in a transaction rolled back after its last test, as TestCase.setUpTestData.

    Each test's own transaction (the `db` fixture) is a savepoint inside it. A module with a test that
    commits has none: that test cannot run inside an open transaction, so there every test builds its own.
    """
    if any(commits(item) for item in request.session.items if getattr(item, "module", None) is request.module):
        yield None
        return
    with django_db_blocker.unblock():
        atomics = _enter_atomics()
        try:
            cast = build_cast(request.node)
        except BaseException:
            _roll_back(atomics)
            raise
    try:
        yield cast
    finally:
        with django_db_blocker.unblock():
            _roll_back(atomics)


@pytest.fixture
def cast(request: pytest.FixtureRequest, module_cast: Cast | None, db: None) -> Cast:
    """The module's cast, copied (as TestCase's TestData) so that a test's changes in memory stay its own."""
    if module_cast is None:
        return build_cast(request.node)
    own = request.node.get_closest_marker("cast")
    if own is not None and own is not request.node.getparent(pytest.Module).get_closest_marker("cast"):
        pytest.fail("The cast is built once per module: put the `cast` mark on the module.", pytrace=False)
    return copy.deepcopy(module_cast)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Real hashing is slow by design; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Files a test stores (the archive packages) go to a directory of their own, not under var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache (a per-process one in tests): what one test left there, a rate
    limit's count or a phone's cached stage, must not answer for the next."""
    from django.core.cache import cache

    cache.clear()
