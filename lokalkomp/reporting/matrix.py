"""reporting's columns of the role matrix (docs/roles.md): the follow-up, the Udir export, the archive package and
the history import. The report on the use of funds itself is written by the partnership's contacts (its access
module), like the needs report, and has no permission of its own."""

from __future__ import annotations

from typing import Any

from lokalkomp.accounts.matrix import Action, RoleWorld, Section


def place(world: RoleWorld) -> dict[str, Any]:
    """The round of the world's submitted report (needs placed it), and the world's office."""
    round = world.samples["submitted_report"].round
    return {"reporting_round": round}


SECTION = Section(
    actions=(
        Action(
            "Follow up the reports on the use of funds; claim unused funds back",
            "reporting.follow_up",
            "reporting_round",
        ),
        Action("Export the round to Udir", "reporting.export_to_udir", "reporting_round"),
        Action("Export the round's archive package (Noark 5)", "reporting.export_archive", "reporting_round"),
        Action("Import earlier years' allocations (statistics)", "reporting.import_history", "office"),
    ),
    place=place,
)


def register() -> None:
    from lokalkomp.accounts import matrix

    matrix.sections["reporting"] = SECTION
