"""The site's own settings in templates (a builtin library): `{% contact_email as contact %}`."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email() -> str:
    """Where people write about the service (CONTACT_EMAIL)."""
    return str(settings.CONTACT_EMAIL)
