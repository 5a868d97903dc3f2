"""A report's change record (FieldEdit) as people read it: what changed, old → new, by whom, when, from where.

Used by the history on the report page (`needs/_history.html`) and by the audit page, which reads
the needs app's changes through the feed registered in `apps.py` (accounts comes before needs).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalkomp.directory.validators import format_account_number
from lokalkomp.schemes.models import Scheme, Use
from lokalkomp.templatetags.nor import format_kroner

from .extensions import known_label
from .models import (
    Contact,
    Continuation,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    UnionParticipant,
)

HISTORY_LENGTH = 100  # the report page shows the latest changes; the audit page has them all

ACTIONS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "copied": gettext_lazy("carried over from an earlier report"),
}


@dataclass(frozen=True)
class Change:
    """One line of the record."""

    at: dt.datetime
    by: Any
    source: str
    what: str
    old: str
    new: str
    object: str = ""
    office: str = ""
    pk: int = 0


def _split(key: str) -> tuple[str, int | None, str]:
    parts = key.split(":")
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1]), parts[2]
    if len(parts) == 2:
        return parts[0], None, parts[1]
    return key, None, ""


def _names(edits: Iterable[FieldEdit]) -> dict[tuple[str, int], str]:
    """The name of each row the edits name (a few queries, one per kind present)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for edit in edits:
        kind, pk, _field = _split(edit.key)
        if pk is not None:
            wanted[kind].add(pk)
    names: dict[tuple[str, int], str] = {}
    lookups = {
        "measure": (Measure.objects, "name"),
        "participant": (Participant.objects, "organisation__name"),
        "contact": (Contact.objects, "name"),
        "union": (UnionParticipant.objects, "name"),
        "scheme": (NeedsReportScheme.objects, "scheme__short_name"),
        "continuation": (Continuation.objects, "period"),
    }
    for kind, (manager, column) in lookups.items():
        if wanted.get(kind):
            for pk, name in manager.filter(pk__in=wanted[kind]).values_list("pk", column):
                names[(kind, pk)] = name
    return names


def _field_label(kind: str, name: str) -> str:
    if kind == "measure" and (label := known_label(name)):  # a later app's choice (extensions.py)
        return capfirst(label)
    model = FieldEdit.KINDS.get(kind)
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name)) if model else name  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001  (an old key naming a field that is gone: show the key)
        return name


def describe(edit: FieldEdit, names: dict[tuple[str, int], str]) -> str:
    """«Measure «Magisk måned»: owner amount (kr)», «Contact person «Kari»: added», «Schemes»."""
    kind, pk, field = _split(edit.key)
    if kind == "report" and field == "schemes":
        return _("Schemes")
    kind_label = capfirst(str(FieldEdit.KINDS[kind]._meta.verbose_name)) if kind in FieldEdit.KINDS else kind
    what = str(ACTIONS[field]) if field in ACTIONS else _field_label(kind, field)
    if kind == "report":
        return what
    name = names.get((kind, pk), "") if pk is not None else ""
    return f"{kind_label} «{name}»: {what}" if name else f"{kind_label}: {what}"


_SCHEME_NAMES: dict[int, str] = {}


def shown(edit: FieldEdit, text: str) -> str:
    """A stored value as the form shows it: kr 120 000, 1234.56.78903, yes/no, the scheme's name."""
    if text == "":
        return "–"
    kind, _pk, field = _split(edit.key)
    if kind == "participant" and field in {"added", "removed"} and text.startswith("{"):
        return _participant_text(text)
    if field.endswith("amount") and text.isdigit():
        return format_kroner(int(text))
    if field == "account_number":
        return format_account_number(text)
    if text in {"true", "false"} and field not in ACTIONS:
        return _("Yes") if text == "true" else _("No")
    if field == "purpose":
        return str(dict(Use.choices).get(text, text))
    if field == "scheme" and text.isdigit():
        if int(text) not in _SCHEME_NAMES:  # a few rows, never changed in place: read again only for a new one
            _SCHEME_NAMES.update(Scheme.objects.values_list("pk", "short_name"))
        return _SCHEME_NAMES.get(int(text), text)
    return text


def _participant_text(text: str) -> str:
    """A participant as describe_row stored it (codes and numbers), in the reader's language."""
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    code = str(values.get("side", ""))
    side = str(dict(Participant.Side.choices).get(code, code))
    parts = [str(values.get("name", "")), side, _("org. no. %(number)s") % {"number": values.get("org_number") or "–"}]
    if values.get("account_number"):
        parts.append(_("account %(number)s") % {"number": values["account_number"]})
    return ", ".join(p for p in parts if p)


def changes(edits: list[FieldEdit], *, with_report: bool = False) -> list[Change]:
    """The edits as lines to read; `with_report` names each one's report and office (select them first)."""
    names = _names(edits)
    return [
        Change(
            at=e.at,
            by=e.by,
            source=e.get_source_display(),
            what=describe(e, names),
            old=shown(e, e.old_value),
            new=shown(e, e.value),
            object=str(e.report) if with_report else "",
            office=str(e.report.round.office) if with_report else "",
            pk=e.pk,
        )
        for e in edits
    ]


def report_history(report: NeedsReport, limit: int = HISTORY_LENGTH) -> list[Change]:
    """The report's latest changes, newest first."""
    edits = list(report.edits.select_related("by").order_by("-at", "-id")[:limit])
    return changes(edits)


# The audit page's feed (registered in apps.py).


def edits_q(filters: dict[str, Any], offices: set[int] | None) -> Q:
    q = Q() if offices is None else Q(report__round__office_id__in=offices)
    if filters.get("office"):
        q &= Q(report__round__office_id=filters["office"])
    if filters.get("person"):
        text = filters["person"]
        q &= Q(by__email__icontains=text) | Q(by__first_name__icontains=text) | Q(by__last_name__icontains=text)
    if filters.get("object"):
        text = filters["object"]
        q &= Q(report__partnership__name__icontains=text) | Q(key__icontains=text)
    if filters.get("since"):
        q &= Q(at__date__gte=filters["since"])
    if filters.get("until"):
        q &= Q(at__date__lte=filters["until"])
    return q


def feed_rows(filters: dict[str, Any], offices: set[int] | None) -> QuerySet[FieldEdit]:
    return FieldEdit.objects.filter(edits_q(filters, offices))


def feed_fetch(pks: list[int]) -> dict[int, Change]:
    """The audit page's lines for these edits (three to six queries, whatever their number)."""
    edits = list(
        FieldEdit.objects.filter(pk__in=pks).select_related("by", "report__partnership", "report__round__office")
    )
    return {c.pk: c for c in changes(edits, with_report=True)}
