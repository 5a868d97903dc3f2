"""What the benchmarks share: a production-like environment, Django, the national data and gunicorn.

Every benchmark runs against the PostgreSQL database that `generate_national` filled
(`lokalkomp_bench` unless DATABASE_URL says otherwise) and only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lokalkomp_bench"
HOST = "127.0.0.1"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def production_environment() -> None:
    """The settings a deployment would use (DEBUG off, a random key), set once for this process and its children.

    The in-process Django and the gunicorn server share the key, so a session made here is valid there.
    """
    os.environ.setdefault("DATABASE_URL", BENCH_DATABASE_URL)
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")  # shared by the workers, as in production
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = f"{HOST},localhost,testserver"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["LOG_LEVEL"] = os.environ.get("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lokalkomp.settings"
    os.environ["PYTHONPATH"] = str(ROOT)


def setup_django() -> None:
    production_environment()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def require_national_data(minimum_measures: int = 100_000) -> None:
    """Stop with a clear message unless this is PostgreSQL with the generated national data."""
    from django.db import connection

    from lokalkomp.needs.models import Measure

    if connection.vendor != "postgresql":
        sys.exit(f"The benchmarks run on PostgreSQL; DATABASE_URL points at {connection.vendor}.")
    count = Measure.objects.count()
    if count < minimum_measures:
        sys.exit(
            f"The database has {count} measures; the benchmarks need the national data set:\n"
            f"  createdb -h 127.0.0.1 -U postgres lokalkomp_bench\n"
            f"  DATABASE_URL={os.environ['DATABASE_URL']} {PYTHON} manage.py migrate\n"
            f"  DATABASE_URL={os.environ['DATABASE_URL']} {PYTHON} manage.py generate_national --years 10 --seed 1"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """The production server on 127.0.0.1 for the length of a `with` block; its access log records server time."""

    def __init__(self, *, workers: int = 2, threads: int = 1, log: Path | None = None) -> None:
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.log = log or Path(tempfile.gettempdir()) / f"lokalkomp-bench-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Gunicorn:
        self.log.unlink(missing_ok=True)
        command = [
            GUNICORN,
            f"--config={ROOT / 'gunicorn.conf.py'}",  # the production settings: preload_app and gc.freeze()
            "lokalkomp.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            "--access-logfile",
            str(self.log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",  # method, path, status, microseconds spent in the server
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603  (fixed command)
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health/", timeout=2) as response:  # noqa: S310  (127.0.0.1)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__(None, None, None)
        sys.exit("gunicorn did not answer /health/ within 30 s.")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)

    def server_times(self) -> list[tuple[str, str, int, float]]:
        """(method, path, status, milliseconds) for every request in the access log so far."""
        rows = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
                rows.append((parts[0], parts[1], int(parts[2]), int(parts[3]) / 1000))
        return rows


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def peak_rss_mb() -> float:
    """The largest resident set of this process so far (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def session_cookie(user: object) -> str:
    """A signed-in session for the user, made directly (no login signal, so no audit rows), as the cookie value.

    It records a password and a TOTP code as allauth does, so pages that ask for two-factor
    authentication (the admin, the Statsforvalter's) answer as they would after a real sign-in.
    """
    import time

    from allauth.account.internal.flows import login
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = next(  # the first backend that signs people in (the rules one only checks)
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    now = time.time()
    store[login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now},
        {"method": "mfa", "type": "totp", "at": now},
    ]
    store[login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store.create()
    return str(store.session_key)
