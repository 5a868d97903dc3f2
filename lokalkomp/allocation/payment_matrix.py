"""The payments' columns of the role matrix (docs/roles.md)."""

from __future__ import annotations

from typing import Any

from lokalkomp.accounts.matrix import Action, RoleWorld, Section


def place(world: RoleWorld) -> dict[str, Any]:
    """The round of the world's submitted report (needs placed it)."""
    return {"payments_round": world.samples["submitted_report"].round}


SECTION = Section(
    actions=(
        Action("See the payments and their reconciliation", "allocation.view_payments", "payments_round"),
        Action(
            "Mark payments paid; decide from the pool and the extra allocation",
            "allocation.manage_payments",
            "payments_round",
        ),
    ),
    place=place,
)
