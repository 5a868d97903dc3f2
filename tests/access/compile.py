"""Who may use each page of the network's compilation (issue 11: sammenstilt behovsmelding).

The own side is the cast's network in the cast's round, with a submitted report of a new partnership
of the network; the foreign side the other office's network and round. Drafts are read by the
network's coordinator and the office's Statsforvalter; what was delivered also by the office's forum
and readers and by the contact persons of the network's partnerships (the cast's owner and UH
contacts); everyone else is a stranger (404). Only the coordinator changes and delivers; only the
Statsforvalter reopens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rules import Rule, statuses
from .world import LOGIN, World, submit_on_record

DRAFT_READERS = {"own": {"coordinator", "governor", "governor_admin"}, "foreign": {"other_office_governor"}}
DELIVERED_READERS = {
    "own": DRAFT_READERS["own"] | {"forum_member", "reader", "owner_contact", "partner_contact"},
    "foreign": DRAFT_READERS["foreign"],
}
EDITORS = {"own": {"coordinator"}, "foreign": set()}
REOPENERS = {"own": {"governor", "governor_admin"}, "foreign": {"other_office_governor"}}
# The round's list: the office's Statsforvalter, forum and readers (every network), and those with a
# network of the office (its coordinators, its partnerships' contacts: their own rows). The round is
# public, so anyone else signed in is told no (403).
ROUND_LIST = {
    "own": {
        "governor",
        "governor_admin",
        "forum_member",
        "reader",
        "coordinator",
        "other_coordinator",
        "owner_contact",
        "partner_contact",
    },
    "foreign": {"other_office_governor"},
}


def _compilation(w: World, side: str, *, delivered: bool = False) -> Any:
    """The side's network's compilation, with one measure of a submitted report (delivered once if asked)."""
    from lokalkomp.allocation.models import Compilation
    from lokalkomp.testing import make_measure, make_partnership, make_report

    key = f"compilation:{side}"
    if key not in w.extra:
        round = w.cast.round if side == "own" else w.foreign_round
        network = w.cast.network if side == "own" else w.foreign_network
        report = make_report(round, make_partnership(round.office, network))
        make_measure(report, owner=100, partner=50, name="Sammenstilt tiltak")
        submit_on_record(report)
        compilation = Compilation.of(round, network)
        compilation.sync()
        compilation.refresh_from_db()
        w.extra[key] = compilation
    compilation = w.extra[key]
    if delivered and not compilation.versions.exists():
        compilation.deliver(by=None, expected_version=None)
        compilation.refresh_from_db()
    return compilation


def compilation_kw(
    *, delivered: bool = False, entry: bool = False, **more: Any
) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(w: World, side: str) -> dict[str, Any]:
        compilation = _compilation(w, side, delivered=delivered)
        network = compilation.network
        found = {"office": network.office.slug, "network": network.slug, "year": compilation.round.year}
        if entry:
            found["entry"] = compilation.entries.get().pk
        return found | more

    return kwargs


def version_data(**more: Any) -> Callable[[World, str], dict[str, Any]]:
    def data(w: World, side: str) -> dict[str, Any]:
        return {"version": str(_compilation(w, side).version), **more}

    return data


def on_compilation(ok: int, need: dict[str, set[str]], readers: dict[str, set[str]]) -> Callable[[str], dict[str, Any]]:
    """`need` may (`ok`); the other `readers` see it but may not (403); strangers 404; anonymous sign in."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(404, anonymous=LOGIN) | dict.fromkeys(readers[side], 403)
        return table | dict.fromkeys(need[side], ok)

    return expected


def round_list(side: str) -> dict[str, Any]:
    return statuses(403, anonymous=LOGIN) | dict.fromkeys(ROUND_LIST[side], 200)


def _round_kw(w: World, side: str) -> dict[str, Any]:
    round = w.cast.round if side == "own" else w.foreign_round
    return {"office": round.office.slug, "year": round.year}


READ = on_compilation(200, DELIVERED_READERS, DELIVERED_READERS)
EDIT = on_compilation(302, EDITORS, DELIVERED_READERS)

COMPILE_RULES: dict[str, Rule] = {
    "allocation:compilation": Rule("get", READ, kwargs=compilation_kw(delivered=True)),
    "allocation:compilation_versions": Rule("get", READ, kwargs=compilation_kw(delivered=True)),
    "allocation:compilation_pdf": Rule("get", READ, kwargs=compilation_kw(delivered=True, number=1)),
    "allocation:compilation_xlsx": Rule("get", READ, kwargs=compilation_kw(delivered=True, number=1)),
    "allocation:compilation_move": Rule(
        "post", EDIT, kwargs=compilation_kw(entry=True, direction="ned"), data=version_data()
    ),
    "allocation:compilation_place": Rule("post", EDIT, kwargs=compilation_kw(entry=True), data=version_data(place="1")),
    "allocation:compilation_mark": Rule(
        "post", EDIT, kwargs=compilation_kw(entry=True), data=version_data(recommended="no", reason="For dyrt")
    ),
    "allocation:compilation_comment": Rule(
        "post", EDIT, kwargs=compilation_kw(), data=lambda w, side: {"base": "", "comment": "Nettverkets kommentar"}
    ),
    "allocation:compilation_deliver": Rule("post", EDIT, kwargs=compilation_kw(), data=version_data()),
    "allocation:compilation_reopen": Rule(
        "post",
        on_compilation(302, REOPENERS, DELIVERED_READERS),
        kwargs=compilation_kw(delivered=True),
        data=lambda w, side: {"comment": "Må endres"},
    ),
    "allocation:round_compilations": Rule("get", round_list, kwargs=_round_kw),
}
