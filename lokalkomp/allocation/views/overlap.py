"""The overlap finder's page: each of the round's submitted measures with its closest matches.

For the forum's question «how is fragmentation prevented?». The matches come from
`lokalkomp.allocation.overlap` (this year's and last year's submitted records, across partnerships,
networks and schemes; cached until a report of the two rounds changes). A match within the same
partnership is shown and marked.

A viewer disqualified from a partnership sees its measures by name only, marked «Disqualified»:
as a row, without its matches; as a match of another measure, without its score and shared words
(and no link to either). The page shows no assessments, but the finder is part of preparing the
forum's recommendation, in which a disqualified member takes no part for those measures.

Queries: the round, the disqualifications (four), the finder's cache key (and the texts, when the
matches are not in the cache yet: `shown_overlaps`), and the declaration gate for a forum member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lokalkomp.paging import EstimatedCountPaginator

from ..access.assessment import declaration_gate
from ..access.overview import get_overview_round_for
from ..conflicts import disqualified_partnership_ids
from ..overlap import Match, MeasureText, shown_overlaps
from ..overview.filters import ALL, page_number

MARKER = 987654321
PER_PAGE = 100  # five matches a measure: some 2.5 KB of HTML each


class OverlapFilter(forms.Form):
    """The page's filters from the address (GET); a value not among the choices is left out."""

    network = forms.ChoiceField(label=_("Network"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Every measure")),
            ("matched", _("Measures with a match")),
            ("across", _("Measures with a match in another partnership")),
        ],
    )
    per = forms.ChoiceField(
        label=_("Per page"),
        required=False,
        choices=[("", _("%(n)s measures a page") % {"n": PER_PAGE}), (ALL, _("Every measure on one page"))],
    )

    def __init__(self, data: Any, *, networks: list[str], schemes: list[str]) -> None:
        super().__init__(data)
        self.fields["network"].choices = [("", _("All networks")), *((n, n) for n in networks)]  # type: ignore[attr-defined]
        self.fields["scheme"].choices = [("", _("All schemes")), *((s, s) for s in schemes)]  # type: ignore[attr-defined]

    def values(self) -> tuple[dict[str, str], tuple[str, ...]]:
        self.is_valid()
        ignored = tuple(str(self.fields[name].label) for name in self.errors)
        values = {name: "" if name in self.errors else self.cleaned_data.get(name) or "" for name in self.fields}
        return values, ignored


@dataclass
class Shown:
    """A measure or a match as the viewer may see it."""

    pk: int
    name: str
    partnership: str
    network: str
    scheme: str
    year: int
    url: str  # "" where the viewer is disqualified
    disqualified: bool
    score: int | None = None
    shared_words: tuple[str, ...] = ()
    same_partnership: bool = False


@dataclass
class Line:
    """A measure of the round and its matches; the matches as the viewer may see them only when shown.

    The filters read `found` (`across`, «with a match»): the page shows a hundred measures of 600, so
    the other lines' matches (five each) are never made into `Shown`.
    """

    measure: Shown
    found: list[Match]  # none where the viewer is disqualified from the measure
    barred: set[int] = field(repr=False, default_factory=set)
    url: str = field(repr=False, default="")

    @cached_property
    def matches(self) -> list[Shown]:
        return [_shown(m.measure, self.barred, self.url, m) for m in self.found]

    @property
    def across(self) -> bool:
        return any(not m.same_partnership for m in self.found)


def _shown(text: MeasureText, barred: set[int], url: str, match: Match | None = None) -> Shown:
    disqualified = text.partnership_id in barred
    shown = Shown(
        pk=text.pk,
        name=text.title,
        partnership=text.partnership,
        network=text.network,
        scheme=text.scheme,
        year=text.year,
        url="" if disqualified or text.report_id is None else url.replace(str(MARKER), str(text.report_id)),
        disqualified=disqualified,
    )
    if shown.url:
        shown.url += f"#measure-{text.pk}"
    if match is not None:
        shown.same_partnership = match.same_partnership
        if not disqualified:
            shown.score, shown.shared_words = match.score, match.shared_words
    return shown


def lines_for(user: Any, round: Any) -> list[Line]:
    """Each of the round's measures and its matches, as the user may see them."""
    barred = disqualified_partnership_ids(user, round)
    url = reverse("needs:report", args=[MARKER])
    lines = []
    for text, matches in shown_overlaps(round):
        measure = _shown(text, barred, url)
        lines.append(Line(measure, [] if measure.disqualified else matches, barred, url))
    return lines


@require_GET
@login_required
def overlap(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_overview_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.get_full_path()):
        return redirect(elsewhere)
    lines = lines_for(request.user, round)
    form = OverlapFilter(
        request.GET,
        networks=sorted({line.measure.network for line in lines if line.measure.network}),
        schemes=sorted({line.measure.scheme for line in lines if line.measure.scheme}),
    )
    values, ignored = form.values()
    shown = [
        line
        for line in lines
        if (not values["network"] or line.measure.network == values["network"])
        and (not values["scheme"] or line.measure.scheme == values["scheme"])
        and (values["show"] != "matched" or line.found)
        and (values["show"] != "across" or line.across)
    ]
    number = page_number(request.GET)
    if number is None:
        ignored = (*ignored, str(_("Page")))
    per_page = max(len(shown), 1) if values["per"] == ALL else PER_PAGE
    query = urlencode({key: value for key, value in values.items() if value})
    context = {
        "round": round,
        "lines": shown,
        "page": EstimatedCountPaginator(shown, per_page).get_page(number or 1),
        "query": query,
        "total": len(lines),
        "form": form,
        "ignored": ignored,
        "disqualified": sum(line.measure.disqualified for line in lines),
    }
    response = render(request, "allocation/overlap.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
