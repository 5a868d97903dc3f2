"""Playwright on Debian's chromium, with an axe-core scan helper.

Without chromium the browser tests are skipped with a reason shown in the summary;
CI sets LOKALKOMP_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# live server fixtures are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _serial_live_server_on_sqlite() -> None:
    """On SQLite the test database lives in memory and the live server's threads share one connection.

    Two requests at once from the page (an autosave and the presence poll beside a section's save) then
    interleave their savepoints on that connection ("no such savepoint"), which production, with a
    connection per thread, never sees. Serve one request at a time there; PostgreSQL keeps the threads.
    """
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        # The server thread itself already uses the shared connection (LiveServerThread.run).
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        LiveServerThread.server_class = SerialWSGIServer


_serial_live_server_on_sqlite()


def _patient_expectations() -> None:
    """CI runs the SQLite and the PostgreSQL suites side by side on 2 cores, each with its chromium, and the
    SQLite live server answers one request at a time (a page and its scripts, the presence poll, a save): a
    page that takes 5 s there (Playwright's default wait) is slow, not wrong. Wait up to 10 s. No test
    measures speed this way; bench/ does."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # no Playwright: the browser fixture skips (or fails in CI) with the reason
        return
    expect.set_options(timeout=10_000)


_patient_expectations()

AXE = Path(__file__).with_name("axe.min.js")
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _live_server_drained(request: Any, transactional_db: Any) -> Iterator[None]:
    """After a test, wait until the live server has answered what the page still had on its way.

    A poll or an autosave sent just before the page closed must not reach the database while the test's
    data is flushed (on SQLite the server serves one request at a time, so a last request of our own is
    answered only after those). Set up after the database and torn down before it is flushed.
    """
    yield
    if "live_server" in request.fixturenames:
        url = request.getfixturevalue("live_server").url + "/health/"
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (the test's own server)
            response.read()
        _other_connections_quiet()


def _other_connections_quiet(timeout: float = 10.0) -> None:
    """On PostgreSQL the live server answers in threads, so its answer to /health/ does not mean that a poll sent
    just before the page closed is done: wait until no other connection to the test database is running a query
    or holds a transaction open, or the flush that follows deadlocks with it (seen in CI)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


def server_idle(page: Any, live_server: Any) -> None:
    """Wait until the page has nothing on its way and the live server has answered all it was sent.

    Call it before the test's own thread writes to the database while a page is open (another person's
    save, say): on SQLite that thread and the live server share one in-memory connection, and a write in
    the middle of the page's request fails with "database table is locked". With `page.clock` installed
    the page sends nothing more by itself until the test moves the clock.
    """
    page.wait_for_load_state("networkidle")
    with urllib.request.urlopen(live_server.url + "/health/", timeout=60) as response:  # noqa: S310
        response.read()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("LOKALKOMP_REQUIRE_BROWSER"):
            pytest.fail(f"chromium is required for browser tests but was not found at {CHROMIUM}")
        pytest.skip(f"chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; returns the violations (empty is good)."""
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids an inline <script>.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def login(page: Any, live_server: Any, email: str, password: str = "demo") -> None:
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def csp_violations(page: Any) -> list[str]:
    """Start collecting the page's Content-Security-Policy violations (console errors); returns the live list."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found
