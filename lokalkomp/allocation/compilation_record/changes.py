"""What changed between two delivered versions of a compilation, in words people read.

In the style of `lokalkomp.needs.records.changes`: `diff(a, b)` compares two versions' data and gives
`Change(where, label, old, new)` rows — the comment, then per scheme each measure moved, added or
removed, marked or unmarked, or with other amounts — in the order of the newer version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from lokalkomp.needs.records import Change
from lokalkomp.templatetags.nor import format_kroner


def _plain(value: Any) -> str:
    return "–" if value in (None, "", []) else str(value)


def _mark(entry: dict[str, Any]) -> str:
    return _("Recommended") if entry.get("recommended", True) else _("Not recommended")


def _matched(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> Iterable[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Pairs of (old, new) entries of the same measure, in the new order, then the removed ones."""
    before = {row.get("measure"): row for row in old}
    seen = set()
    for row in new:
        seen.add(row.get("measure"))
        yield before.get(row.get("measure")), row
    for row in old:
        if row.get("measure") not in seen:
            yield row, None


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Every difference from version data `a` to version data `b`."""
    changes: list[Change] = []
    if (a.get("comment") or "") != (b.get("comment") or ""):
        changes.append(
            Change(_("The network's comment"), _("Comment"), _plain(a.get("comment")), _plain(b.get("comment")))
        )
    old_schemes = {s.get("code"): s for s in a.get("schemes", [])}
    new_codes = [s.get("code") for s in b.get("schemes", [])]
    for scheme in b.get("schemes", []):
        before = old_schemes.get(scheme.get("code"), {})
        changes += _diff_scheme(scheme, before.get("entries", []), scheme.get("entries", []))
    for code, scheme in old_schemes.items():
        if code not in new_codes:
            changes += _diff_scheme(scheme, scheme.get("entries", []), [])
    return changes


def _diff_scheme(scheme: dict[str, Any], old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    name = scheme.get("short_name") or scheme.get("name", "")
    for before, after in _matched(old, new):
        row = after or before or {}
        where = f"{name}: {row.get('name', '')} ({row.get('partnership', '')})"
        if before is None:
            changes.append(Change(where, _("Added"), "–", _("priority %(n)s") % {"n": row.get("priority")}))
            continue
        if after is None:
            changes.append(Change(where, _("Removed"), _("priority %(n)s") % {"n": row.get("priority")}, "–"))
            continue
        if before.get("priority") != after.get("priority"):
            changes.append(Change(where, _("Moved"), _plain(before.get("priority")), _plain(after.get("priority"))))
        if bool(before.get("recommended", True)) != bool(after.get("recommended", True)):
            changes.append(Change(where, _("Recommended by the network"), _mark(before), _mark(after)))
        if (before.get("reason") or "") != (after.get("reason") or ""):
            changes.append(
                Change(where, _("Why not recommended"), _plain(before.get("reason")), _plain(after.get("reason")))
            )
        for key, label in (("owner_amount", _("Owner amount")), ("partner_amount", _("UH amount"))):
            if before.get(key) != after.get(key):
                changes.append(Change(where, label, format_kroner(before.get(key)), format_kroner(after.get(key))))
        if before.get("name") != after.get("name"):
            changes.append(Change(where, _("Name of measure"), _plain(before.get("name")), _plain(after.get("name"))))
    return changes
