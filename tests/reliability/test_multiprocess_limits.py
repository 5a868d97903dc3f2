"""Sign-in limits and one-time TOTP codes hold across worker processes (gunicorn -w 4, the Redis cache).

With a per-process cache each of the four workers counted failed sign-ins on its own (17 of 20
guesses were checked against a limit of 5) and remembered used codes on its own (one code was
accepted twice). These tests start the real server against the test database and count.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import connection
from django.utils import translation

from lokalkomp.testing import give_totp, make_user, totp_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)
CACHE_URL = "redis://127.0.0.1:6379/11"  # this test's own Redis database, emptied before and after
PASSWORD = "pw-Secret-123"
WORKERS = 4
LIMIT = 5  # settings: LOGIN_FAILED_LIMIT "10/m/ip,5/5m/key"


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One person's browser: its own cookies, no redirects followed, one new connection per request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310  (http://127.0.0.1 only)

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """Open the form, then send it with its CSRF token."""
        _status, page, _location = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:300]
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))  # noqa: S310

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:  # redirects and 4xx arrive here
            return error.code, error.read().decode(), error.headers.get("Location", "")


@pytest.fixture
def server() -> Iterator[str]:
    """gunicorn with four workers, production settings, the test database and the Redis cache."""
    cache = redis.Redis.from_url(CACHE_URL)
    cache.flushdb()
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CACHE_URL": CACHE_URL,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on the loopback
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "lokalkomp.wsgi"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "gunicorn stopped"
            try:
                if Browser(base).get("/health/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.3)
        time.sleep(1)  # let all four workers boot, so the requests spread over them
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        cache.flushdb()


def _messages() -> tuple[str, str]:
    errors = DefaultAccountAdapter.error_messages
    with translation.override(settings.LANGUAGE_CODE):
        return str(errors["email_password_mismatch"]), str(errors["too_many_login_attempts"])


def test_twenty_wrong_passwords_against_four_workers_are_checked_only_up_to_the_limit(server):
    person = make_user("guessed@example.test")
    wrong, too_many = _messages()
    answers = []
    for attempt in range(20):
        _status, page, _location = Browser(server).post_form(
            "/konto/login/", {"login": person.email, "password": f"guess-{attempt}"}
        )
        page = page.replace("&#x27;", "'")
        answers.append("checked" if wrong in page else "refused" if too_many in page else "other")

    assert answers.count("checked") == LIMIT, answers
    assert answers.count("refused") == 20 - LIMIT, answers


def test_one_totp_code_is_accepted_once_across_the_workers(server, settings):
    # The server checks passwords with the real hashers, not the test run's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    person = make_user("twofactor@example.test")
    give_totp(person)
    code = totp_code(seconds_left=20)  # one 30-second window for every attempt below
    accepted = 0
    for _browser in range(WORKERS * 2):
        browser = Browser(server)
        status, _page, location = browser.post_form("/konto/login/", {"login": person.email, "password": PASSWORD})
        assert status == 302 and "/2fa/" in location, (status, location)
        status, _page, location = browser.post_form(urllib.parse.urlparse(location).path, {"code": code})
        accepted += status == 302 and "/2fa/" not in location

    assert accepted == 1
