"""Norwegian formats for templates: money as «kr 1 544 000», dates as 15.12.2026."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()

NBSP = "\u00a0"


def format_kroner(value: int | None) -> str:
    """Whole kroner with a (non-breaking) space as thousands separator: «kr 1 544 000»."""
    if value is None or value == "":
        return ""
    amount = int(value)
    digits = f"{abs(amount):,}".replace(",", NBSP)
    sign = "−" if amount < 0 else ""
    return f"kr{NBSP}{sign}{digits}"


def format_number(value: int | None) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", NBSP)


@register.filter
def kr(value: int | None) -> str:
    return format_kroner(value)


@register.filter
def num(value: int | None) -> str:
    return format_number(value)


@register.filter
def nodate(value: dt.date | dt.datetime | None) -> str:
    """dd.mm.yyyy, and for a moment also the time in Norwegian local time; nothing for no date (also the empty
    string a template gives for a missing object's attribute)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(date)s at %(time)s") % {"date": value.strftime("%d.%m.%Y"), "time": value.strftime("%H:%M")}
    return value.strftime("%d.%m.%Y")


@register.filter
def semester(code: str) -> str:
    """«2024-spring» → «Spring 2024» in the user's language; a bare year stays as it is."""
    year, _sep, season = str(code).partition("-")
    if season == "spring":
        return _("Spring %(year)s") % {"year": year}
    if season == "autumn":
        return _("Autumn %(year)s") % {"year": year}
    return year
