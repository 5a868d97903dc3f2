"""check --deploy: e-mail links need the site's public address (SITE_URL), not the local default."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "0.0.0.0", "::1"}  # noqa: S104 (a name to refuse, not bound)


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in {"http", "https"} and parts.hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mail would point there.",
            hint="Set SITE_URL to the site's public address, e.g. https://lokalkomp.example.no.",
            id="lokalkomp.W101",
        )
    ]
