"""The frames page's change list in words: the record keeps codes and plain numbers, the page shows them read.

A frame's event stores «6420000», a key's «staff; base 300000» (budgets.py: the record is in no one language).
`{{ event.old_value|frame_value:event.key }}` shows «kr 6 420 000» and «Ansatte; grunnbeløp kr 300 000» in
the reader's language. What it does not recognise it shows as it was stored.
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext

from lokalkomp.templatetags.nor import format_kroner, format_number

from ..budgets import DistributionKey

register = template.Library()

SUMMARY = re.compile(r"^(?P<basis>[a-z]+); base (?P<base>\d+)(?:; (?P<counts>.*))?$", re.DOTALL)
COUNT = re.compile(r"^(?P<network>.+): (?P<count>\d+)$")
AMOUNTS = ("budget", "base_amount")


def _basis(code: str) -> str:
    labels = dict(DistributionKey.Basis.choices)
    return str(labels.get(code, code))


@register.filter
def frame_value(value: object, key: str) -> str:
    """One side (old or new) of a frame event, readable; «» for none (the template shows «–»)."""
    text = "" if value is None else str(value)
    change = str(key).rpartition(":")[2]
    if text.isdigit():
        return format_kroner(int(text)) if change in AMOUNTS else format_number(int(text))
    if change == "basis":
        return _basis(text)
    summary = SUMMARY.match(text)
    if summary is None:
        return text
    words = gettext("%(basis)s; base amount %(base)s") % {
        "basis": _basis(summary["basis"]),
        "base": format_kroner(int(summary["base"])),
    }
    if summary["counts"]:
        counts = [
            COUNT.sub(lambda m: f"{m['network']}: {format_number(int(m['count']))}", c)
            for c in summary["counts"].split(", ")
        ]
        words += "; " + ", ".join(counts)
    return words
