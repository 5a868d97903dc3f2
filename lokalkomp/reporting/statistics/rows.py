"""The long tables of the statistics pages, made in Python, and the cut of a long chart.

A network with ten years of decisions and an imported history has thousands of measures on its page. Through the
template engine each row's six cells, each with a translated column label, cost most of the page's time (826 ms of
CPU for 4 000 rows on the national data, bench/statistics_pages.py). Here the labels are translated once and each
row is one f-string, every text escaped; the markup is the template's own. The same goes for the tables beside
the office's charts (an office has up to ~1 500 owners), and a chart with more than `CHART_BARS` bars draws the
largest and one bar for the rest: the table beside it has every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lokalkomp.templatetags.nor import format_kroner

if TYPE_CHECKING:
    from .queries import GrantedMeasure


def measure_rows(measures: Sequence[GrantedMeasure]) -> SafeString:
    measure, scheme, owner, uh, total, source = (
        escape(_(label)) for label in ("Measure", "Scheme", "Owner", "UH", "Sum", "Source")
    )
    not_stated = escape(_("Not stated"))
    unsplit = escape(_("Sum without a list of measures: the split is not known"))
    sources = {True: escape(_("Imported history")), False: escape(_("Decision in lokalkomp"))}
    rows = []
    for m in measures:
        names = " · ".join(escape(name) for name in (m.owner_name, m.partner_name) if name)
        who = f'<br><span class="lk-muted">{names}</span>' if names else ""
        if m.unsplit_amount is not None:
            split = f'<td colspan="2" data-label="{owner}">{unsplit}</td>'
        else:
            split = (
                f'<td class="lk-num" data-label="{owner}">{escape(format_kroner(m.owner_amount))}</td>'
                f'<td class="lk-num" data-label="{uh}">{escape(format_kroner(m.partner_amount))}</td>'
            )
        rows.append(
            f'<tr data-amount="{m.amount}"{" data-sum-only" if m.unsplit_amount is not None else ""}>'
            f'<td data-label="{measure}">{escape(m.name) if m.name else "–"}{who}</td>'
            f'<td data-label="{scheme}">{escape(m.scheme) if m.scheme else not_stated}</td>'
            f"{split}"
            f'<td class="lk-num" data-label="{total}">{escape(format_kroner(m.amount))}</td>'
            f'<td data-label="{source}">{sources[m.from_history]}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped


CHART_BARS = 20


def chart_rows(items: Sequence[tuple[str, int]]) -> SafeString:
    """The rows of the table beside a chart: a name and an amount each."""
    return mark_safe(  # noqa: S308 - every text is escaped
        "".join(
            f'<tr data-amount="{int(amount)}"><th scope="row">{escape(name)}</th>'
            f'<td class="lk-num">{escape(format_kroner(amount))}</td></tr>'
            for name, amount in items
        )
    )


def largest(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """At most `CHART_BARS` bars: the largest, and the rest added up in one bar named for how many they are."""
    if len(items) <= CHART_BARS:
        return items
    ranked = sorted(items, key=lambda item: -item[1])
    kept, rest = ranked[: CHART_BARS - 1], ranked[CHART_BARS - 1 :]
    others = _("The %(count)s others") % {"count": len(rest)}
    return [*kept, (others, sum(amount for _name, amount in rest))]
