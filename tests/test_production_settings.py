"""Production (the WSGI server with DEBUG off) refuses the public secret key and a per-process cache."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REAL_KEY = secrets.token_urlsafe(50)
REDIS = "redis://127.0.0.1:6379/0"


def start_wsgi(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Load the WSGI application as gunicorn does, in a fresh process with this environment."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "CACHE_URL", "DEBUG"}}
    values = {**inherited, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "false", **env}
    command = [sys.executable, "-c", "import lokalkomp.wsgi"]
    return subprocess.run(command, cwd=ROOT, env=values, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603


@pytest.mark.parametrize(
    ("secret_key", "why"),
    [
        ("", "SECRET_KEY is not set"),
        ("insecure-local-development-key-change-me", "SECRET_KEY is not set (or is the public fallback)"),
        ("short-but-not-empty", "SECRET_KEY is too short"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key, why):
    result = start_wsgi(tmp_path, SECRET_KEY=secret_key, CACHE_URL=REDIS)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and why in result.stderr


def test_production_refuses_to_start_with_the_per_process_cache(tmp_path):
    result = start_wsgi(tmp_path, SECRET_KEY=REAL_KEY, CACHE_URL="locmem://")

    assert result.returncode != 0
    assert "CACHE_URL must name a cache that every worker process shares" in result.stderr


def test_production_starts_with_a_real_key_and_a_shared_cache(tmp_path):
    result = start_wsgi(tmp_path, SECRET_KEY=REAL_KEY, CACHE_URL=REDIS)

    assert result.returncode == 0, result.stderr


def test_development_starts_on_the_fallbacks(tmp_path):
    result = start_wsgi(tmp_path, DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_the_deploy_check_fails_on_the_per_process_cache(tmp_path):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": REAL_KEY, "CACHE_URL": "locmem://"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    command = [sys.executable, "manage.py", "check", "--deploy"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603

    assert result.returncode != 0
    assert "lokalkomp.E002" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "lokalkomp_cache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "lokalkomp"),
    ],
)
def test_cache_url_chooses_the_cache(url, backend, location):
    from lokalkomp.settings import cache_from_url

    assert cache_from_url(url) == {"BACKEND": backend, "LOCATION": location}
