"""The overview's column of the role matrix (docs/roles.md)."""

from __future__ import annotations

from typing import Any

from lokalkomp.accounts.matrix import Action, RoleWorld, Section


def place(world: RoleWorld) -> dict[str, Any]:
    """The round of the world's submitted report (needs placed it)."""
    return {"overview_round": world.samples["submitted_report"].round}


SECTION = Section(
    actions=(
        Action("See the assessment overview and the overlap finder", "allocation.view_overview", "overview_round"),
    ),
    place=place,
)
