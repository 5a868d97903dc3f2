"""What the workspace page shows: the lines grouped by scheme and network in the network's order, the totals
against the frames and the problems, in a bounded number of queries whatever the number of measures.

A round has some 600 measures, so the page is made for speed (bench/recommendation.py measures it): the
lines are read as plain values (no models), the checks read the same values (`LineFacts`), and each row
is a dict of ready texts (labels, amounts in kroner, URLs), with the texts that are the same in every
row translated once per page, so the template does little more than print them. The answer to a saved
line reads only the facts again and renders the totals (`totals_only`).

Other pages add links to the page's header through `register_header_link` (the what-ifs' list, the
suggestion): a function of (request, recommendation) that gives (text, url) pairs.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalkomp.templatetags.nor import format_kroner, format_number

from ...conflicts import disqualified_partnership_ids
from ...models import Assessment, CompilationEntry
from ...models.recommendation import Recommendation, RecommendationLine
from ...recommendation_checks import FACT_FIELDS, Checks, FrameTotal, LineFacts, check, facts_from, facts_of

HeaderLink = Callable[[HttpRequest, Recommendation], list[tuple[str, str]]]
HEADER_LINKS: list[HeaderLink] = []


def register_header_link(function: HeaderLink) -> HeaderLink:
    """Add links to the workspace's header (usable as a decorator)."""
    if function not in HEADER_LINKS:
        HEADER_LINKS.append(function)
    return function


@dataclass
class PageLine:
    """A line as the page shows it: the facts the checks read, and what else its row shows (plain values)."""

    facts: LineFacts
    measure_id: int
    position: int
    suggested: bool
    version: int
    scheme: str  # the scheme's short name (or name)
    network: str | None
    priority: int | None = None  # in the network's compilation
    network_recommended: bool | None = None
    network_reason: str | None = None
    shared: dict[str, int] = field(default_factory=dict)  # shared assessments by recommendation


@dataclass
class Row:
    line: PageLine
    priority: int | None = None
    recommended: bool = True
    not_recommended_reason: str = ""
    assessments: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    frames: str = ""  # the keys of the frames the line counts in, for the page's script
    url: str = ""  # where the line's amounts are posted
    presets: dict[str, str] = field(default_factory=dict)  # preset → where it is posted

    @property
    def shared(self) -> int:
        return sum(self.assessments.values())

    def cells(self, texts: dict[str, Any]) -> dict[str, Any]:
        """What the row's markup shows, as plain values in a dict: the texts made once per row here rather than
        by tags and filters, and a dict, as the template looks up a key in it faster than an attribute (600 rows)."""
        line, facts = self.line, self.line.facts
        name = facts.measure
        assessed = ""
        if self.assessments:
            kinds = texts["kinds"]
            counts = ", ".join(f"{kinds.get(kind, kinds['do_not_fund'])} {n}" for kind, n in self.assessments.items())
            shared = texts["shared"].get(self.shared)
            if shared is None:
                shared = texts["shared"][self.shared] = ngettext("%(n)s shared", "%(n)s shared", self.shared) % {
                    "n": self.shared
                }
            assessed = f"{shared}: {counts}"
        # Digits, kroner and the page's own URLs need no escaping: made safe here once, the template skips it.
        return {
            "pk": _safe(facts.pk),
            "frames": _safe(self.frames),
            "url": _safe(self.url),
            "presets": {preset: _safe(url) for preset, url in self.presets.items()},
            "asked_owner": _safe(facts.asked_owner),
            "asked_partner": _safe(facts.asked_partner),
            "asked_owner_kr": _safe(format_kroner(facts.asked_owner)),
            "asked_partner_kr": _safe(format_kroner(facts.asked_partner)),
            "suggested": line.suggested,
            "priority": "–" if self.priority is None else _safe(self.priority),
            "recommended": self.recommended,
            "not_recommended_reason": self.not_recommended_reason,
            "name": name,
            "partnership": facts.partnership,
            "assessed": assessed,
            "owner_label": texts["owner"] % {"name": name},
            "partner_label": texts["partner"] % {"name": name},
            "reason_label": texts["reason"] % {"name": name},
            "owner": _safe(format_number(facts.owner_amount)),
            "partner": _safe(format_number(facts.partner_amount)),
            "reason": facts.reason,
            "version": _safe(line.version),
            "problems": self.problems,
        }


def _safe(value: int | str) -> SafeString:
    """A number, an amount in kroner or one of the page's URLs (no markup in any of them) as it is printed."""
    return SafeString(value)


def _row_texts() -> dict[str, Any]:
    """The translated texts of a row, once per page (the same msgids as the template's tags had)."""
    return {
        "owner": _("Recommended for the owner, %(name)s"),
        "partner": _("Recommended for the UH, %(name)s"),
        "reason": _("Justification, %(name)s"),
        "kinds": {"prioritise": _("prioritise"), "possible": _("possible"), "do_not_fund": _("do not fund")},
        "shared": {},  # «n shared» by n, as they come
    }


def _row_words() -> dict[str, str]:
    """The words every row's markup repeats, translated and escaped once per page."""
    words = {
        "not_recommended": _("Not recommended"),
        "network": _("Network:"),
        "suggested": _("Suggested"),
        "none_shared": _("none shared"),
        "as_asked": _("As asked"),
        "save": _("Save"),
    }
    return {key: escape(text) for key, text in words.items()}


@dataclass
class RowMarkup:
    """What the rows' markup needs beside their cells: made once per page."""

    words: dict[str, str]
    editable: bool
    readonly: str
    csrf_input: str

    def row(self, c: dict[str, Any]) -> str:
        """One row's markup (the same as a template would give): made here with one f-string, as some 600 rows
        through the template engine cost most of the page's time. Every text that is not safe is escaped."""
        pk, words, readonly = c["pk"], self.words, self.readonly
        not_recommended = not c["recommended"]
        suggested = c["suggested"]
        why = _esc(c["not_recommended_reason"])
        problems = "".join(
            f'<p class="ds-validation-message" data-field="validation">{_esc(p)}</p>' for p in c["problems"]
        )
        assessed = _esc(c["assessed"]) if c["assessed"] else f'<span class="lk-muted">{words["none_shared"]}</span>'
        form = ""
        if self.editable:
            presets = c["presets"]
            form = (
                f'<form method="post" id="form-{pk}" action="{c["url"]}" class="lk-line-form">{self.csrf_input}'
                f'<input type="hidden" name="base" value="{c["version"]}">\n        <div class="lk-presets">\n'
                f'          <button class="ds-button" data-variant="secondary" data-size="sm" type="submit" '
                f'data-preset="as_asked" formaction="{presets["as_asked"]}">{words["as_asked"]}</button>\n'
                f'          <button class="ds-button" data-variant="secondary" data-size="sm" type="submit" '
                f'data-preset="zero" formaction="{presets["zero"]}">0</button>\n'
                f'          <button class="ds-button" data-variant="secondary" data-size="sm" type="submit" '
                f'data-preset="minus_10" formaction="{presets["minus_10"]}">−10&nbsp;%</button>\n'
                f'          <button class="ds-button lk-save" data-variant="tertiary" data-size="sm" type="submit">'
                f"{words['save']}</button>\n        </div></form>"
            )
        return (
            f'<tr id="line-{pk}" data-line="{pk}" data-frames="{c["frames"]}" data-url="{c["url"]}" '
            f'data-asked-owner="{c["asked_owner"]}" data-asked-partner="{c["asked_partner"]}"'
            f"{SUGGESTED_CLASS if suggested else ''}>\n"
            f'      <td class="lk-num">{_esc(c["priority"])}'
            + (
                f'<br><span class="ds-tag" data-color="warning" title="{why}">{words["not_recommended"]}</span>'
                if not_recommended
                else ""
            )
            + f'</td>\n      <th scope="row"><span class="lk-measure-name">{_esc(c["name"])}</span><br>'
            f'<span class="lk-muted">{_esc(c["partnership"])}</span>'
            + (f'<br><span class="lk-muted">{words["network"]} {why}</span>' if not_recommended else "")
            + (f'<br><span class="ds-tag" data-color="info">★ {words["suggested"]}</span>' if suggested else "")
            + f'</th>\n      <td class="lk-num">{c["asked_owner_kr"]}</td>\n'
            f'      <td class="lk-num">{c["asked_partner_kr"]}</td>\n'
            f"      <td>{assessed}</td>\n"
            f'      <td><label class="ds-sr-only" for="owner-{pk}">{_esc(c["owner_label"])}</label>'
            f'<input class="ds-input lk-amount" type="text" inputmode="numeric" autocomplete="off" id="owner-{pk}" '
            f'name="owner" form="form-{pk}" value="{_esc(c["owner"])}" data-side="owner"{readonly}></td>\n'
            f'      <td><label class="ds-sr-only" for="partner-{pk}">{_esc(c["partner_label"])}</label>'
            f'<input class="ds-input lk-amount" type="text" inputmode="numeric" autocomplete="off" id="partner-{pk}" '
            f'name="partner" form="form-{pk}" value="{_esc(c["partner"])}" data-side="partner"{readonly}></td>\n'
            f'      <td><label class="ds-sr-only" for="reason-{pk}">{_esc(c["reason_label"])}</label>'
            f'<textarea class="ds-input lk-reason" rows="1" maxlength="2000" id="reason-{pk}" name="reason" '
            f'form="form-{pk}"{readonly}>{_esc(c["reason"])}</textarea>\n'
            f'        <div class="lk-line-status" id="status-{pk}" role="status" aria-live="polite">{problems}</div></td>\n'
            f"      <td>{form}</td>\n    </tr>"
        )


SUGGESTED_CLASS = ' class="lk-suggested"'


def _esc(value: Any) -> str:
    """A cell's value as the template's autoescaping prints it: safe strings as they are, others escaped."""
    if isinstance(value, SafeString):
        return value
    return html.escape("" if value is None else str(value))  # Django's escape() is this, less its wrapping


@dataclass
class Group:
    scheme: str
    network: str
    rows: list[Row]
    cells: list[dict[str, Any]] = field(default_factory=list)  # each row's, for the markup
    markup: RowMarkup | None = None

    @property
    def html(self) -> SafeString:
        """The rows' markup (read when the page is rendered, so that `keep_typed` changes show)."""
        if self.markup is None:
            return SafeString("")
        return SafeString("".join(map(self.markup.row, self.cells)))


@dataclass
class Page:
    recommendation: Recommendation
    groups: list[Group]
    checks: Checks
    hidden: int  # lines not shown (habilitet); they count in the totals
    fixed: dict[str, int]  # per frame key: the total of the lines not on the page
    editable: bool
    links: list[tuple[str, str]]
    csrf_input: str = ""  # the forms' CSRF field, made once for every row

    @property
    def totals(self) -> list[FrameTotal]:
        return self.checks.totals

    def keep_typed(self, typed: dict[str, Any]) -> None:
        """Show what was typed in the line's row (after bad input) instead of what is saved."""
        for group in self.groups:
            for cells in group.cells:
                if cells["pk"] == typed["line"]:
                    cells.update(owner=typed["owner"], partner=typed["partner"], reason=typed["reason"])

    @property
    def readonly(self) -> str:
        """The inputs' attribute when the recommendation may not be changed."""
        return "" if self.editable else " readonly"


def round_url(round: Any, name: str, *args: Any) -> str | None:
    try:
        return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
    except NoReverseMatch:
        return None


# What the page shows of a line beside its facts (`FACT_FIELDS`).
PAGE_FIELDS = (
    "measure_id",
    "measure__position",
    "suggested",
    "version",
    "measure__scheme__short_name",
    "measure__scheme__name",
    "measure__report__partnership__network__name",
)


def lines_of(recommendation: Recommendation) -> list[PageLine]:
    """The lines as plain values (no models), each with the network's priority and mark and the counts of the
    shared assessments by recommendation: three queries."""
    round_id = recommendation.round_id
    rows = recommendation.lines.order_by(
        "measure__scheme__code", "measure__report__partnership__network__name", "measure__position", "measure_id"
    ).values_list(*FACT_FIELDS, *PAGE_FIELDS)
    entries = {
        measure: (position, recommended, reason)
        for measure, position, recommended, reason in CompilationEntry.objects.filter(
            compilation__round_id=round_id
        ).values_list("measure_id", "position", "recommended", "reason")
    }
    shared: dict[int, dict[str, int]] = defaultdict(dict)
    counted = (
        Assessment.objects.filter(round_id=round_id, shared=True)
        .values("measure_id", "recommendation")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("measure_id", "recommendation", "n")
    )
    for measure, kind, n in counted:
        shared[measure][kind] = n
    lines = []
    extra = len(FACT_FIELDS)
    for row in rows:
        measure, position, suggested, version, short_name, scheme_name, network = row[extra:]
        priority, recommended, reason = entries.get(measure, (None, None, None))
        lines.append(
            PageLine(
                facts_from(row),
                measure,
                position,
                suggested,
                version,
                short_name or scheme_name,
                network,
                priority=priority,
                network_recommended=recommended,
                network_reason=reason,
                shared=shared.get(measure, {}),
            )
        )
    return lines


_PK = 2_147_483_647  # a stand-in line number: the URLs are reversed once per page, not once per row


def _line_urls(round: Any) -> tuple[str, dict[str, str]]:
    """The line's URL and each preset's, with `_PK` standing in for the line."""
    line = round_url(round, "recommendation_line", _PK) or ""
    presets = {
        preset: round_url(round, "recommendation_preset", _PK, preset) or ""
        for preset in RecommendationLine.Preset.values
    }
    return line, presets


def _for_line(url: str, pk: int) -> str:
    head, found, tail = url.rpartition(f"/{_PK}/")
    return f"{head}/{pk}/{tail}" if found else url


def hidden_report_ids(user: Any, round: Any, lines: list[LineFacts]) -> frozenset[int]:
    disqualified = disqualified_partnership_ids(user, round)
    return frozenset(line.report_id for line in lines if line.partnership_id in disqualified)


def totals_only(request: HttpRequest, recommendation: Recommendation) -> Page:
    """The totals and the problems without the rows (the answer to a saved line): the lines as plain values."""
    facts = facts_of(recommendation)
    hidden = hidden_report_ids(request.user, recommendation.round, facts)
    checks = check(recommendation, facts, hidden=hidden)
    shown = sum(1 for line in facts if line.report_id not in hidden)
    return Page(
        recommendation=recommendation,
        groups=[],
        checks=checks,
        hidden=len(facts) - shown,
        fixed=_fixed(facts, hidden, checks),
        editable=recommendation.is_editable,
        links=[],
    )


def _keys(line: LineFacts, shares: set[tuple[int, int]]) -> list[str]:
    """The frames the line counts in: its scheme's, and its network's share of it where a key divides the frame."""
    keys = [f"{line.scheme_id}-all"]
    if line.network_id is not None and (line.scheme_id, line.network_id) in shares:
        keys.append(f"{line.scheme_id}-{line.network_id}")
    return keys


def _fixed(facts: list[LineFacts], hidden: frozenset[int], checks: Checks) -> dict[str, int]:
    """Per frame key: the total of the lines not on the page (the page's script adds them to what it sums)."""
    fixed: dict[str, int] = defaultdict(int)
    if hidden:
        shares = {(t.scheme_pk, t.network_pk) for t in checks.totals if t.network_pk}
        for line in facts:
            if line.report_id in hidden:
                for key in _keys(line, shares):
                    fixed[key] += line.total
    return dict(fixed)


def build(request: HttpRequest, recommendation: Recommendation) -> Page:
    round = recommendation.round
    lines = lines_of(recommendation)
    facts = [line.facts for line in lines]
    hidden = hidden_report_ids(request.user, round, facts)
    checks = check(recommendation, facts, hidden=hidden)
    problems = checks.by_line
    shares = {(t.scheme_pk, t.network_pk) for t in checks.totals if t.network_pk}
    grouped: dict[tuple[str, str], list[Row]] = {}
    line_url, preset_urls = _line_urls(round)
    texts = _row_texts()
    no_network = _("No network")
    kinds = Assessment.Recommendation.values
    for line in lines:
        fact = line.facts
        if fact.report_id in hidden:
            continue
        row = Row(
            line=line,
            priority=line.priority or None,
            recommended=line.network_recommended is not False,
            not_recommended_reason=line.network_reason or "",
            assessments={kind: n for kind in kinds if (n := line.shared.get(kind, 0))},
            problems=[p.message for p in problems.get(fact.pk, [])],
            frames=" ".join(_keys(fact, shares)),
            url=_for_line(line_url, fact.pk),
            presets={preset: _for_line(address, fact.pk) for preset, address in preset_urls.items()},
        )
        grouped.setdefault((line.scheme, line.network or no_network), []).append(row)
    editable = recommendation.is_editable
    markup = RowMarkup(
        words=_row_words(),
        editable=editable,
        readonly="" if editable else " readonly",
        csrf_input=csrf_input(request),
    )
    groups = []
    for (scheme, network), rows in grouped.items():
        rows.sort(key=_by_priority)
        cells = [row.cells(texts) for row in rows]
        groups.append(Group(scheme=scheme, network=network, rows=rows, cells=cells, markup=markup))
    return Page(
        recommendation=recommendation,
        groups=groups,
        checks=checks,
        hidden=sum(1 for fact in facts if fact.report_id in hidden),
        fixed=_fixed(facts, hidden, checks),
        editable=editable,
        links=[link for function in HEADER_LINKS for link in function(request, recommendation)],
        csrf_input=markup.csrf_input,
    )


def _by_priority(row: Row) -> tuple[int, int, int]:
    return (row.priority is None, row.priority or 0, row.line.measure_id)
