"""Static checks: the deploy check with a production environment, bandit (high severity) and pip-audit.

bandit and pip-audit come from requirements-ci.txt. Where they are not installed, or pip-audit cannot
reach an advisory database, the tests skip with the reason; LOKALKOMP_REQUIRE_AUDIT=1 makes that a failure.
These run once, in the PostgreSQL pass (the `postgres` mark), though they need no database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres
ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
REQUIRED = os.environ.get("LOKALKOMP_REQUIRE_AUDIT") == "1"


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        message = f"{name} is not installed (pip install -r requirements-ci.txt)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return path


def test_the_deploy_check_is_clean_with_a_production_environment(tmp_path: Path) -> None:
    # Not the test run's own switches (the browser tests allow sync ORM calls beside Playwright's loop).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lokalkomp.example.no",
        "SECURE_SSL_REDIRECT": "true",
        "STATIC_MANIFEST": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/0",  # production refuses the per-process cache
        "SITE_URL": "https://lokalkomp.example.no",  # links in e-mail: the deploy check wants the public address
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_nothing_of_high_severity() -> None:
    command = [_tool("bandit"), "-r", "lokalkomp", "--severity-level", "high", "-q", "-x", "*/tests/*,*/migrations/*"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr


def test_pip_audit_finds_no_known_vulnerability_in_the_runtime_requirements() -> None:
    command = [
        _tool("pip-audit"),
        "-r",
        "requirements.txt",
        "--vulnerability-service",
        "pypi",
        "--strict",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)  # noqa: S603
    output = result.stdout + result.stderr
    if result.returncode != 0 and ("could not be audited" in output or "ConnectionError" in output):
        message = (
            "pip-audit could not reach an advisory database from here (PyPI's JSON API / OSV): nothing was audited"
        )
        if REQUIRED:
            pytest.fail(message + "\n" + output[-2000:])
        pytest.skip(message)
    assert result.returncode == 0, output
