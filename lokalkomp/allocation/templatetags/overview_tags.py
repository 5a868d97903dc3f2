"""The rows of the assessment overview and of the overlap finder, written by tags.

A round has some 600 measures, each with a cell per criterion and up to five matches. Written as
template markup, those rows were tens of thousands of template nodes and most of the page's time
(about a second for 600 rows, with 10 assessors); here a row is a few string joins. Every value
from the database goes through `escape`; the translated labels are looked up once per page and
kept in the template's render context. The markup is the same the templates used to write.
"""

from __future__ import annotations

from html import escape  # the standard library's: Django's wraps it for lazy strings, 10 000 times a page
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from lokalkomp.templatetags.nor import format_kroner

register = template.Library()

_KEY = "lokalkomp_overview_labels"
_BARRED = ' class="lk-disqualified-row" data-disqualified'


def _labels(context: Context) -> dict[str, str]:
    """The page's translated labels, escaped, once per render."""
    cache = context.render_context
    if _KEY not in cache:
        texts = {
            "measure": gettext("Measure"),
            "priority": gettext("Network's priority"),
            "amount": gettext("Amount asked"),
            "assessments": gettext("Assessments"),
            "votes": gettext("Prioritise · possible · do not fund"),
            "score": gettext("Points"),
            "no_network": gettext("No network"),
            "not_recommended": gettext("not recommended"),
            "not_delivered": gettext("not delivered"),
            "owner": gettext("owner"),
            "uh": gettext("UH"),
            "disqualified": gettext("Disqualified"),
            "of": gettext("assessments of"),
            "assess": gettext("Assess"),
            "not_shared": gettext("not shared"),
            "drafts": gettext("%(n)s not shared"),
            "same": gettext("same partnership"),
            "words": gettext("Shared words:"),
            "matches": gettext("Closest matches"),
            "no_match": gettext("No close match."),
            "tally": gettext("%(met)s met, %(partly)s partly met, %(not_met)s not met"),
        }
        cache[_KEY] = {key: escape(value) for key, value in texts.items()}
    return cache[_KEY]  # type: ignore[no-any-return]


def _whose(item: Any, t: dict[str, str]) -> str:
    return f"{escape(item.partnership)} · {escape(item.network) if item.network else t['no_network']} · {escape(item.scheme)}"


def _link(url: str, name: str) -> str:
    return f'<a class="ds-link" href="{escape(url)}">{escape(name)}</a>' if url else escape(name)


def _tallies(row: Any, t: dict[str, str]) -> str:
    cells = []
    for tally in row.tallies:
        label = escape(tally.label)
        if row.disqualified or not tally.total:
            cells.append(f'<td data-label="{label}" class="lk-tally">–</td>')
            continue
        met, partly, _not_met = tally.widths()
        said = t["tally"] % {"met": tally.met, "partly": tally.partly, "not_met": tally.not_met}
        cells.append(
            f'<td data-label="{label}" class="lk-tally"><i class="lk-scorebar lk-m{met} lk-p{partly}"></i>'
            f'<span aria-hidden="true">{tally.met} · {tally.partly} · {tally.not_met}</span>'
            f'<span class="ds-sr-only">{said}</span></td>'
        )
    return "".join(cells)


def _priority(row: Any, t: dict[str, str]) -> str:
    if not row.compiled:
        return f'<span class="lk-muted">{t["not_delivered"]}</span>'
    place = row.priority if row.priority is not None else "–"
    mark = "" if row.recommended else f' <span class="lk-muted">({t["not_recommended"]})</span>'
    return f"{place}{mark}"


def _assessments(row: Any, t: dict[str, str]) -> str:
    name = escape(row.name)
    html = (
        f'<a class="ds-link" href="{escape(row.detail_url)}">{row.assessments}'
        f'<span class="ds-sr-only"> {t["of"]} {name}</span></a>'
    )
    if row.drafts:
        html += f' <span class="lk-muted">({t["drafts"] % {"n": row.drafts}})</span>'
    if row.assess_url:
        html += f'<br><a class="ds-link" href="{escape(row.assess_url)}">{t["assess"]}<span class="ds-sr-only"> {name}</span></a>'
    if row.by_disqualified:
        n = len(row.by_disqualified)
        apart = ngettext("%(n)s written by a disqualified member", "%(n)s written by disqualified members", n)
        items = "".join(
            f"<li>{escape(a.assessor)}: {escape(a.recommendation) or '–'}"
            f"{'' if a.shared else ' (' + t['not_shared'] + ')'}</li>"
            for a in row.by_disqualified
        )
        html += f'<details class="lk-apart"><summary>{escape(apart % {"n": n})}</summary><ul>{items}</ul></details>'
    return f"<span>{html}</span>"


@register.simple_tag(takes_context=True)
def overview_row(context: Context, row: Any) -> SafeString:
    """One measure of the overview. A measure the viewer is disqualified from: marked, «–» for every number."""
    t = _labels(context)
    purpose = f" · {escape(row.purpose_label)}" if row.purpose else ""
    head = (
        f'<tr id="measure-{row.pk}"{_BARRED if row.disqualified else ""}>'
        f'<td data-label="{t["measure"]}"><span>{_link(row.text_url, row.name)}<br>'
        f'<span class="lk-muted">{_whose(row, t)}{purpose}</span></span></td>'
        f'<td data-label="{t["priority"]}">{_priority(row, t)}</td>'
        f'<td class="lk-num" data-label="{t["amount"]}"><span>{format_kroner(row.total)}<br><span class="lk-muted">'
        f"{t['owner']} {format_kroner(row.owner_amount)}<br>{t['uh']} {format_kroner(row.partner_amount)}</span></span></td>"
    )
    if row.disqualified:
        body = (
            f'<td data-label="{t["assessments"]}"><strong class="lk-disqualified">{t["disqualified"]}</strong></td>'
            f'<td data-label="{t["votes"]}">–</td>{_tallies(row, t)}<td class="lk-num" data-label="{t["score"]}">–</td>'
        )
    else:
        score = row.score if row.score is not None else "–"
        body = (
            f'<td data-label="{t["assessments"]}">{_assessments(row, t)}</td>'
            f'<td data-label="{t["votes"]}" class="lk-tally"><strong>{row.prioritise}</strong> · {row.possible} · '
            f"{row.do_not_fund}</td>{_tallies(row, t)}"
            f'<td class="lk-num" data-label="{t["score"]}">{score}</td>'
        )
    return mark_safe(head + body + "</tr>")  # noqa: S308  (every value above is escaped)


def _match(line: Any, m: Any, t: dict[str, str]) -> str:
    if m.disqualified:
        score = f'<strong class="lk-disqualified">{t["disqualified"]}</strong>'
    else:
        score = f"– <strong>{m.score}</strong>"
    same = f' <span class="lk-same">{t["same"]}</span>' if m.same_partnership else ""
    words = f"<br><span>{t['words']} {escape(', '.join(m.shared_words))}</span>" if m.shared_words else ""
    return (
        f'<li id="match-{line.measure.pk}-{m.pk}" data-match="{m.pk}"{" data-same" if m.same_partnership else ""}>'
        f'{_link(m.url, m.name)} <span class="lk-muted">({m.year})</span> {score}{same}'
        f'<br><span class="lk-muted">{_whose(m, t)}</span>{words}</li>'
    )


@register.simple_tag(takes_context=True)
def overlap_row(context: Context, line: Any) -> SafeString:
    """One measure of the overlap finder with its matches; one the viewer is disqualified from by name only."""
    t = _labels(context)
    m = line.measure
    if m.disqualified:
        matches = f'<strong class="lk-disqualified">{t["disqualified"]}</strong>'
    elif line.matches:
        matches = '<ol class="lk-match-list">' + "".join(_match(line, match, t) for match in line.matches) + "</ol>"
    else:
        matches = f'<span class="lk-muted">{t["no_match"]}</span>'
    return mark_safe(  # noqa: S308  (every value is escaped)
        f'<tr id="measure-{m.pk}"{_BARRED if m.disqualified else ""}>'
        f'<td data-label="{t["measure"]}"><span>{_link(m.url, m.name)}<br>'
        f'<span class="lk-muted">{_whose(m, t)}</span></span></td>'
        f'<td data-label="{t["matches"]}">{matches}</td></tr>'
    )
