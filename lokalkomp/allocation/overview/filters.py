"""The overview's filters from the address (GET), validated against the round's own choices, and the sort.

The filters and the sort work on the rows in memory: a round has at most a few hundred measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from lokalkomp.schemes.models import Use

from ..models import Criterion, CriterionScore
from .rows import Row, Tally

NO_NETWORK = "0"  # the network filter's value for partnerships without a network
PER_PAGE = 200  # a page's HTML is some 2 KB a measure: 600 on one page is 1.3 MB, and a third of the time
ALL = "alle"
PAGE_MAX = 100_000


def page_number(params: Any, name: str = "side") -> int | None:
    """The page asked for in the address: a whole number from 1, or None for something else (left out)."""
    raw = params.get(name, "") or ""
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= PAGE_MAX:
        return None
    return int(raw)


class Sort(models.TextChoices):
    PRIORITY = "priority", _("The network's priority")
    AMOUNT = "amount", _("Amount asked, largest first")
    VOTES = "votes", _("«Prioritise» votes, most first")
    SCORE = "score", _("Points, highest first")
    NAME = "name", _("Name of measure")


class Quantifier(models.TextChoices):
    ANY = "any", _("by at least one")
    ALL = "all", _("by everyone")
    NONE = "none", _("by no one")


class OverviewFilter(forms.Form):
    """The overview's filters, from the address (GET). A value that is not one of the choices is left out."""

    network = forms.ChoiceField(label=_("Network"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("All purposes")), *Use.choices, ("none", _("None given"))]
    )
    criterion = forms.ChoiceField(label=_("Criterion"), required=False)
    score = forms.ChoiceField(
        label=_("Score"), required=False, choices=[("", _("Any score")), *CriterionScore.Score.choices]
    )
    who = forms.ChoiceField(label=_("Scored so"), required=False, choices=Quantifier.choices)
    shared = forms.ChoiceField(
        label=_("Count"),
        required=False,
        choices=[("", _("Every assessment I may see")), ("1", _("Shared assessments only"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.choices)
    per = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("%(n)s measures a page") % {"n": PER_PAGE}), (ALL, _("Every measure on one page"))],
    )

    def __init__(self, data: Any, *, networks: list[tuple[str, str]], schemes: list[Any], criteria: list[Criterion]):
        super().__init__(data)
        # The choices are the round's own: an id is compared as text with these, never converted («²», «1e3»).
        self.fields["network"].choices = [("", _("All networks")), *networks, (NO_NETWORK, _("No network"))]  # type: ignore[attr-defined]
        self.fields["scheme"].choices = [("", _("All schemes")), *((str(s.pk), s.short_name) for s in schemes)]  # type: ignore[attr-defined]
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            ("", _("Any criterion")),
            *((criterion_key(c), criterion_label(c)) for c in criteria),
        ]

    def filters(self) -> Filters:
        self.is_valid()
        ignored = tuple(str(self.fields[name].label) for name in self.errors)
        values = {name: "" if name in self.errors else self.cleaned_data.get(name) or "" for name in self.fields}
        return Filters(
            network=values["network"],
            scheme=values["scheme"],
            purpose=values["purpose"],
            criterion=values["criterion"],
            score=values["score"],
            who=values["who"] or Quantifier.ANY,
            shared_only=values["shared"] == "1",
            sort=values["sort"] or Sort.PRIORITY,
            all_on_one_page=values["per"] == ALL,
            ignored=ignored,
        )


@dataclass(frozen=True)
class Filters:
    network: str = ""  # a network's id as text, NO_NETWORK, or "" for all
    scheme: str = ""  # a scheme's id as text
    purpose: str = ""  # a Use, "none", or ""
    criterion: str = ""  # criterion_key(), or "" for any criterion
    score: str = ""  # a CriterionScore.Score, or "" for no score filter
    who: str = Quantifier.ANY
    shared_only: bool = False
    sort: str = Sort.PRIORITY
    all_on_one_page: bool = False
    ignored: tuple[str, ...] = ()  # the labels of the filters whose value was not valid

    def params(self) -> dict[str, str]:
        """The filters as the address's parameters, without those at their default."""
        values = {
            "network": self.network,
            "scheme": self.scheme,
            "purpose": self.purpose,
            "criterion": self.criterion,
            "score": self.score,
            "who": "" if self.who == Quantifier.ANY else self.who,
            "shared": "1" if self.shared_only else "",
            "sort": "" if self.sort == Sort.PRIORITY else self.sort,
            "per": ALL if self.all_on_one_page else "",
        }
        return {key: value for key, value in values.items() if value}

    def query(self) -> str:
        return urlencode(self.params())


def criterion_key(criterion: Criterion) -> str:
    """A criterion as the filter names it: its set and number (the schemes' criteria share these)."""
    return f"{'q' if criterion.set == Criterion.Set.CENTRAL_QUESTIONS else 'c'}{criterion.number}"


def criterion_label(criterion: Criterion) -> str:
    """«3. Skolebasert» for a criterion, «B: Fragmentering» for a central question (seed 002 letters them)."""
    if criterion.set == Criterion.Set.CENTRAL_QUESTIONS:
        return f"{chr(64 + criterion.number)}: {criterion.short}"
    return f"{criterion.number}. {criterion.short}"


# ── Filters and sort (in memory: a round's rows) ─────────────────────────────────────────


def select(rows: list[Row], filters: Filters, round_criteria: list[Criterion]) -> list[Row]:
    """The rows under the filters. A score filter looks at the chosen criterion (or all of them together)."""
    chosen = [n for n, c in enumerate(round_criteria) if criterion_key(c) == filters.criterion]
    out = []
    for row in rows:
        if filters.network == NO_NETWORK and row.network_id is not None:
            continue
        if filters.network not in ("", NO_NETWORK) and str(row.network_id) != filters.network:
            continue
        if filters.scheme and str(row.scheme_id) != filters.scheme:
            continue
        if filters.purpose and (row.purpose or "none") != filters.purpose:
            continue
        if filters.score and not _scored_so(row, filters, chosen):
            continue
        out.append(row)
    return out


def _scored_so(row: Row, filters: Filters, chosen: list[int]) -> bool:
    """Whether the counted scores of the criterion (all criteria when none is chosen) say so.

    A measure without a score there never matches: «met by no one» means that the assessors scored
    it, and none of them said «met».
    """
    tallies = [row.tallies[n] for n in chosen] if chosen else row.tallies
    tally = sum(tallies, Tally())
    if not tally.total:
        return False
    hits = tally.count(filters.score)
    if filters.who == Quantifier.ALL:
        return hits == tally.total
    if filters.who == Quantifier.NONE:
        return hits == 0
    return hits > 0


def sort(rows: list[Row], how: str) -> list[Row]:
    """Sorted: by the network's priority (network, scheme, place; the not yet compiled after), amount,
    votes or score (largest first; measures without any last), or name. Ties by partnership and name."""
    tie = [(r.partnership, r.name, r.pk) for r in rows]
    keyed = list(zip(tie, rows, strict=True))
    if how == Sort.AMOUNT:
        keyed.sort(key=lambda pair: (-pair[1].total, pair[0]))
    elif how == Sort.VOTES:
        keyed.sort(key=lambda pair: (-pair[1].prioritise, -pair[1].possible, pair[1].do_not_fund, pair[0]))
    elif how == Sort.SCORE:
        keyed.sort(key=lambda pair: (pair[1].score is None, -(pair[1].score or 0), pair[0]))
    elif how == Sort.NAME:
        keyed.sort(key=lambda pair: (pair[1].name.casefold(), pair[0]))
    else:
        keyed.sort(
            key=lambda pair: (
                pair[1].network_id is None,
                pair[1].network,
                pair[1].scheme,
                pair[1].priority is None,
                pair[1].priority or 0,
                pair[0],
            )
        )
    return [row for _tie, row in keyed]
