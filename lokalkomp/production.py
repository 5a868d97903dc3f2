"""What production refuses to run without: a real secret key, and a cache that every worker process shares.

Production is the WSGI server with DEBUG off: `wsgi.py` calls `refuse_unsafe_production()` before it
serves a request, and `check --deploy` reports the same problems as errors. (Commands such as
`makemigrations` or the test run work with the local fallbacks.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}


def problems() -> dict[str, str]:
    """Why this configuration must not serve production, by check id (empty when it may, and with DEBUG on)."""
    if settings.DEBUG:
        return {}
    found = {}
    key = settings.SECRET_KEY or ""
    if not key or key == settings.FALLBACK_SECRET_KEY or key.startswith("django-insecure"):
        found["lokalkomp.E001"] = (
            "SECRET_KEY is not set (or is the public fallback). Set it to a long random string, for example "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        found["lokalkomp.E001"] = (
            f"SECRET_KEY is too short or too simple: use at least {MIN_SECRET_KEY_LENGTH} random characters."
        )
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        found["lokalkomp.E002"] = (
            "CACHE_URL must name a cache that every worker process shares (redis://127.0.0.1:6379/0, or db:// "
            "after manage.py createcachetable): with a per-process cache the sign-in limits and the one-time "
            "use of two-factor codes are counted in each process alone."
        )
    return found


def refuse_unsafe_production() -> None:
    found = problems()
    if found:
        raise ImproperlyConfigured(
            "lokalkomp refuses to start in production (DEBUG is off): " + " ".join(found.values())
        )


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, id=check_id) for check_id, problem in problems().items()]
