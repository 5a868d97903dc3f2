"""What a measure serves in a plan: a checkbox list on its page, kept in the submitted record.

Two kinds of plan name things a measure can serve: the office's long-term plan (its goals,
`Measure.goals`, needs' own: goals.py) and the owner's municipal plan (its development areas,
which the gatherings app keeps and links; it comes after needs in the year, so needs may not
import it). Both take the same shape here, and the later app fills these registries in its
AppConfig.ready():

- `measure_sections`: functions `(report, measure) -> MeasureLinks | None`, a checkbox list on the
  measure's page beside the long-term plan's question, posted to the app's own view;
- `record_extras`: what a submitted report keeps of those choices, as text (a plan may change
  later; the record does not): `RecordExtra(key, label, rows)`, `rows(measure ids)` an unordered
  values_list that needs reads with the goals and every other app's rows in one query (a UNION);
- `measure_copied`: functions `(source, copy)` run when a measure is continued from an earlier
  year, to carry over what still belongs to a plan of the new year.

`save_links` is the one way a choice is saved: a compare-and-set of the chosen set under the
draft's lock, with the report's version bumped and a FieldEdit (`measure:<pk>:<field>`, old and
new as the texts chosen), as autosave saves a field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalkomp.schemes.long_term_plans import period_text

from .autosave import ReportLocked
from .models import FieldEdit, Measure, NeedsReport

MAX_CHOICES = 100  # more boxes than any plan has: a longer list is not a person's choice


@dataclass(frozen=True)
class Choice:
    pk: int
    text: str
    checked: bool
    note: str = ""  # e.g. «not in the plan for 2027» for a choice kept from before


@dataclass(frozen=True)
class ChoiceGroup:
    heading: str  # the plan the choices belong to
    choices: list[Choice]


@dataclass(frozen=True)
class MeasureLinks:
    """A checkbox list on a measure's page: what in a plan the measure serves."""

    measure: int  # the measure's pk
    field: str  # the change record's field (`measure:<pk>:<field>`) and the element ids
    legend: str
    help: str
    groups: list[ChoiceGroup]
    action: str  # where the choice is posted (the app's own view)
    base: str  # the chosen pks as the page read them: the compare-and-set

    @property
    def id(self) -> str:
        return f"measure-{self.measure}-{self.field}"

    @property
    def key(self) -> str:
        return f"measure:{self.measure}:{self.field}"


@dataclass(frozen=True)
class RecordExtra:
    """What the record keeps of a later app's choices: per measure a list of {"id", "text", "plan"}.

    `rows(measure ids)` is an unordered values_list of (measure id, pk, text, plan's name, plan's
    first year, plan's last year, position): needs reads every kind of choice in one query (a UNION).
    """

    key: str  # the key in a measure's recorded `links`, and the change record's field
    label: Any  # a (lazy) text: the heading on the report page and in the PDF
    rows: Callable[[list[int]], QuerySet[Any]]


measure_sections: list[Callable[[NeedsReport, Measure], MeasureLinks | None]] = []
record_extras: list[RecordExtra] = []
measure_copied: list[Callable[[Measure, Measure], None]] = []

GOALS = "goals"
GOALS_LABEL = gettext_lazy("Goals in the long-term plan")


def link_label(key: str) -> str:
    """The heading of a recorded list of choices; the key itself for one no app knows any more."""
    if key == GOALS:
        return str(GOALS_LABEL)
    return next((str(extra.label) for extra in record_extras if extra.key == key), key)


def known_label(key: str) -> str | None:
    """The label of a later app's choice field (for the change record), else None."""
    return next((str(extra.label) for extra in record_extras if extra.key == key), None)


# ── The measure's page ──


def links_for(report: NeedsReport, measure: Measure) -> list[MeasureLinks]:
    """Every checkbox list of the measure: the long-term plan's goals first, then the later apps'."""
    from .goals import goals_links

    found = [goals_links(report, measure)] + [section(report, measure) for section in measure_sections]
    return [links for links in found if links is not None]


def ids_text(pks: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted(set(pks)))


def parse_ids(values: list[str]) -> set[int] | None:
    """The posted pks of a checkbox list; None for anything a checkbox list does not send."""
    if len(values) > MAX_CHOICES or not all(re.fullmatch(r"[0-9]{1,18}", v) for v in values):
        return None
    return {int(v) for v in values}


@dataclass(frozen=True)
class LinkResult:
    status: str  # "saved", "unchanged", "invalid" or "conflict"
    chosen: str | None = None  # the pks stored now: the page's new base (None: not read)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status in {"saved", "unchanged"}

    @property
    def http_status(self) -> int:
        return {"invalid": 422, "conflict": 409}.get(self.status, 200)


def save_links(
    report: NeedsReport,
    measure: Measure,
    *,
    field: str,
    values: list[str],
    base: str | None,
    offered: dict[int, str],
    current: Callable[[], dict[int, str]],
    write: Callable[[set[int], set[int]], None],
    by: Any,
) -> LinkResult:
    """Save a measure's chosen set as a compare-and-set, under the draft's lock, on the change record.

    `offered` are the choices the page may make (pk → text, in their order); a choice made before
    and no longer offered may be kept, never made anew. `current()` reads the chosen ones (pk →
    text) under the lock; `write(removed, added)` changes the links. ReportLocked if the report is
    no longer a draft: nothing is stored.
    """
    wanted = parse_ids(values)
    if wanted is None:
        return LinkResult("invalid", error=_("The form sent something that is not a choice. Reload the page."))
    with transaction.atomic():
        drafts = NeedsReport.objects.filter(pk=report.pk, status=NeedsReport.Status.DRAFT)
        if not drafts.select_for_update().values_list("pk", flat=True):
            raise ReportLocked(_("The report has been submitted and cannot be changed."), report=report)
        now = current()
        if base is not None and base != ids_text(now):
            error = _(
                "Someone else changed this choice after you opened the page. Reload the page to see it, then choose again."
            )
            return LinkResult("conflict", chosen=ids_text(now), error=error)
        if not wanted <= set(offered) | set(now):
            return LinkResult("invalid", chosen=ids_text(now), error=_("Choose among the options shown."))
        if wanted == set(now):
            return LinkResult("unchanged", chosen=ids_text(now))
        write(set(now) - wanted, wanted - set(now))
        drafts.update(version=F("version") + 1, updated_at=timezone.now())
        texts = {**now, **offered}
        order = list(offered) + [pk for pk in now if pk not in offered]
        FieldEdit.record(
            report,
            f"measure:{measure.pk}:{field}",
            old="; ".join(texts[pk] for pk in order if pk in now),
            new="; ".join(texts[pk] for pk in order if pk in wanted),
            by=by,
        )
    return LinkResult("saved", chosen=ids_text(wanted))


# ── The copy into a later year ──


def copy_links(source: Measure, copy: Measure) -> None:
    """Carry over the goals (and the later apps' choices) that still belong to a plan of the copy's year."""
    from .goals import copy_goals

    copy_goals(source, copy)
    for copied in measure_copied:
        copied(source, copy)


# ── The record ──


@dataclass(frozen=True)
class RecordedLinks:
    """One recorded list of choices of a measure: the goals, or a later app's."""

    key: str
    items: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return link_label(self.key)


def recorded_links(measures: list[Measure]) -> dict[int, dict[str, Any]]:
    """Per measure pk what its record keeps of its choices: {"goals": [...], "links": {key: [...]}}, each if any.

    One query in all, a UNION of the goals and every later app's rows (none if `preload_links` read them).
    """
    if not measures:
        return {}
    if all("_lk_links" in m.__dict__ for m in measures):
        return {m.pk: m.__dict__["_lk_links"] for m in measures}
    return _links_of(measures)


def preload_links(measures: list[Measure]) -> None:
    """Read the choices of thousands of measures at once (one query, `_links_of`) for `recorded_links`."""
    by_pk = {m.pk: m for m in measures}
    for pk, links in _links_of(measures).items():
        by_pk[pk].__dict__["_lk_links"] = links


def _links_of(measures: list[Measure]) -> dict[int, dict[str, Any]]:
    """Every measure's chosen goals and later apps' choices, in one query (a UNION of each kind's rows)."""
    from .goals import goal_rows

    ids = [m.pk for m in measures]
    kinds = [(GOALS, goal_rows(ids))] + [(extra.key, extra.rows(ids)) for extra in record_extras]
    tagged = [rows.order_by().annotate(lk_kind=Value(key, output_field=CharField())) for key, rows in kinds]
    query = tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]
    order = [key for key, _rows in kinds]
    chosen = sorted(query, key=lambda r: (order.index(r[7]), r[4] or 0, r[3] or "", r[6] or 0, r[1]))
    found: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for measure, pk, text, name, first, last, _position, kind in chosen:
        plan = " ".join(part for part in (name, period_text(first, last)) if part)  # in no one language
        item = {"id": pk, "text": text, "plan": plan}
        if kind == GOALS:  # only what there is: a measure that names nothing records as before plans
            found[measure].setdefault(GOALS, []).append(item)
        else:
            found[measure].setdefault("links", {}).setdefault(kind, []).append(item)
    return found


def read_links(data: dict[str, Any]) -> list[RecordedLinks]:
    """A recorded measure's lists of choices, the goals first; empty ones left out (older records have none)."""
    lists = [(GOALS, data.get(GOALS) or [])] + list((data.get("links") or {}).items())
    return [RecordedLinks(key, [str(item.get("text", "")) for item in items]) for key, items in lists if items]


def link_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, old, new) for each list of choices that differs between two recorded measures."""
    before = {links.key: links.items for links in read_links(old)}
    after = {links.key: links.items for links in read_links(new)}
    keys = list(after) + [key for key in before if key not in after]
    return [
        (link_label(key), "; ".join(before.get(key, [])) or "–", "; ".join(after.get(key, [])) or "–")
        for key in keys
        if before.get(key, []) != after.get(key, [])
    ]
