"""What changed between two versions of a report, field by field, in words people read.

`diff(a, b)` compares two versions' data (see data.py) and gives labels and values formatted for
people («kr 120 000 → kr 150 000»), in the order of the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import format_account_number, format_org_number
from lokalkomp.schemes.models import Use
from lokalkomp.templatetags.nor import format_kroner, semester

from ..extensions import link_changes
from ..models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    UnionParticipant,
)
from .record import field_label


@dataclass(frozen=True)
class Change:
    """One changed field: where it is (a measure, a participant …), its label, the old and the new value."""

    where: str
    label: str
    old: str
    new: str


def _yes_no(value: Any) -> str:
    return _("Yes") if value is True else _("No") if value is False else "–"


def _plain(value: Any) -> str:
    return "–" if value in (None, "", []) else str(value)


def _kroner(value: Any) -> str:
    return "–" if value is None else format_kroner(value)


def _semesters(value: Any) -> str:
    return ", ".join(semester(code) for code in value or []) or "–"


def _purpose(value: Any) -> str:
    return str(dict(Use.choices).get(value, value)) if value else "–"


def _co_financing_form(value: Any) -> str:
    return str(dict(NeedsReportScheme.CoFinancingForm.choices).get(value, value)) if value else "–"


def _side(value: Any) -> str:
    return str(dict(Participant.Side.choices).get(value, value)) if value else "–"


def _kind(value: Any) -> str:
    return str(dict(Organisation.Kind.choices).get(value, value)) if value else "–"


def _organisation(value: Any) -> str:
    """A recorded organisation (partner 2) as «name (org. number)»."""
    if not value:
        return "–"
    number = format_org_number(value.get("org_number", ""))
    return f"{value.get('organisation', '')} ({number})" if number else str(value.get("organisation", ""))


Formatter = Callable[[Any], str]
MEASURE_FORMATS: dict[str, Formatter] = {
    "owner_amount": _kroner,
    "partner_amount": _kroner,
    "purpose": _purpose,
    "needs_coordinator": _yes_no,
    "semesters": _semesters,
}
CONTINUATION_FORMATS: dict[str, Formatter] = {"owner_amount": _kroner, "partner_amount": _kroner}


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Every field that differs from version data `a` to version data `b`, in the order of the form."""
    changes: list[Change] = []
    changes += _diff_participants(a.get("participants", []), b.get("participants", []))
    changes += _diff_schemes(a.get("schemes", []), b.get("schemes", []))
    changes += _diff_measures(a.get("measures", []), b.get("measures", []))
    where = _("Co-determination and units")
    changes += _fields(
        where,
        {"union_discussed": a.get("union_discussed")},
        {"union_discussed": b.get("union_discussed")},
        [("union_discussed", field_label(NeedsReport, "union_discussed"), _yes_no)],
    )
    old_union = [f"{u['role']}: {u['name']}" for u in a.get("union_participants", [])]
    new_union = [f"{u['role']}: {u['name']}" for u in b.get("union_participants", [])]
    if old_union != new_union:
        label = capfirst(str(UnionParticipant._meta.verbose_name_plural))
        changes.append(Change(where, label, "; ".join(old_union) or "–", "; ".join(new_union) or "–"))
    changes += _fields(
        where,
        a.get("units", {}),
        b.get("units", {}),
        [(n, field_label(NeedsReport, n), _plain) for n in NeedsReport.UNIT_FIELDS],
    )
    changes += _diff_declared(a.get("declared_totals", []), b.get("declared_totals", []))
    return changes


def _fields(
    where: str, old: dict[str, Any], new: dict[str, Any], fields: Iterable[tuple[str, str, Formatter]]
) -> list[Change]:
    return [
        Change(where, label, fmt(old.get(name)), fmt(new.get(name)))
        for name, label, fmt in fields
        if old.get(name) != new.get(name)
    ]


def _matched(
    old: list[dict[str, Any]], new: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> Iterable[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Pairs of (old, new) rows with the same key, in the new order, then the removed ones."""
    before = {key(row): row for row in old}
    seen = set()
    for row in new:
        seen.add(key(row))
        yield before.get(key(row)), row
    for row in old:
        if key(row) not in seen:
            yield row, None


def _added_or_removed(where: str, old: Any, new: Any, name: str) -> Change:
    if old is None:
        return Change(where, _("Added"), "–", name)
    return Change(where, _("Removed"), name, "–")


def _diff_participants(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        ("organisation", field_label(Organisation, "name"), _plain),
        ("org_number", field_label(Organisation, "org_number"), lambda v: format_org_number(v) or "–"),
        ("kind", field_label(Organisation, "kind"), _kind),
        ("side", field_label(Participant, "side"), _side),
        ("is_lead", field_label(Participant, "is_lead"), _yes_no),
        ("account_number", field_label(Participant, "account_number"), lambda v: format_account_number(v) or "–"),
        ("payment_reference", field_label(Participant, "payment_reference"), _plain),
    ]
    for before, after in _matched(old, new, lambda p: p.get("organisation_id") or p.get("org_number")):
        row = after or before or {}
        where = f"{row.get('organisation', '')} ({_side(row.get('side'))})"
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("organisation", "")))
            continue
        changes += _fields(where, before, after, fields)
        changes += _diff_contacts(where, before.get("contacts", []), after.get("contacts", []))
    return changes


def _diff_contacts(where: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields = [(name, field_label(Contact, name), _plain) for name in Contact.DETAIL_FIELDS]
    for before, after in _matched(old, new, lambda c: c.get("id") or c.get("email") or c.get("name")):
        row = after or before or {}
        place = f"{where}, {_('contact person')} {row.get('name', '')}"
        if before is None or after is None:
            changes.append(_added_or_removed(place, before, after, _contact_text(row)))
            continue
        changes += _fields(place, before, after, fields)
    return changes


def _contact_text(contact: dict[str, Any]) -> str:
    return ", ".join(v for v in (contact.get(name, "") for name in Contact.DETAIL_FIELDS) if v) or "–"


def _diff_schemes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        ("co_financing_amount", field_label(NeedsReportScheme, "co_financing_amount"), _kroner),
        ("co_financing_form", field_label(NeedsReportScheme, "co_financing_form"), _co_financing_form),
    ]
    for before, after in _matched(old, new, lambda s: s.get("code")):
        row = after or before or {}
        where = f"{_('Scheme')} {row.get('short_name', '')}"
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("short_name", "")))
            continue
        changes += _fields(where, before, after, fields)
    return changes


def _diff_measures(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        (name, field_label(Measure, name), MEASURE_FORMATS.get(name, _plain)) for name in Measure.ANSWER_FIELDS
    ]
    fields += [
        ("second_partner", field_label(Measure, "second_partner"), _organisation),
        ("second_partner_amount", field_label(Measure, "second_partner_amount"), _kroner),
    ]
    for before, after in _matched(old, new, lambda m: m.get("id")):
        row = after or before or {}
        where = _("Measure %(n)s: %(name)s") % {"n": row.get("position", ""), "name": row.get("name", "")}
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("name", "")))
            continue
        if before.get("position") != after.get("position"):
            changes.append(
                Change(where, field_label(Measure, "position"), _plain(before["position"]), _plain(after["position"]))
            )
        old_scheme, new_scheme = before.get("scheme", {}), after.get("scheme", {})
        if old_scheme.get("code") != new_scheme.get("code"):
            changes.append(
                Change(
                    where,
                    field_label(Measure, "scheme"),
                    _plain(old_scheme.get("short_name")),
                    _plain(new_scheme.get("short_name")),
                )
            )
        changes += _fields(where, before, after, fields)
        changes += [Change(where, *change) for change in link_changes(before, after)]  # goals, plan areas
        changes += _diff_continuations(where, before.get("continuations", []), after.get("continuations", []))
    return changes


def _diff_continuations(where: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    for before, after in _matched(old, new, lambda c: c.get("period")):
        row = after or before or {}
        place = f"{where}, {semester(row.get('period', ''))}"
        fields = [
            (name, field_label(Continuation, name), CONTINUATION_FORMATS.get(name, _plain))
            for name in Continuation.ESTIMATE_FIELDS
        ]
        changes += _fields(place, before or {}, after or {}, fields)
    return changes


def _diff_declared(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields = [(name, field_label(DeclaredTotal, name), _kroner) for name in DeclaredTotal.AMOUNT_FIELDS]
    for before, after in _matched(old, new, lambda d: (d.get("scheme") or {}).get("code", "sum")):
        row = after or before or {}
        scheme = (row.get("scheme") or {}).get("short_name") or _("Sum")
        where = f"{_('The totals table as the form states it')}: {scheme}"
        changes += _fields(where, before or {}, after or {}, fields)
    return changes
