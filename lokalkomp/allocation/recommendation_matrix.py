"""The recommendation's and the decisions' columns of the role matrix (accounts.matrix, docs/roles.md).

The world's submitted report's round gets the main recommendation (with a line for the report's
measures, when it has any) and one decision to the world's owner, so that each permission is asked
about the object it guards.
"""

from __future__ import annotations

from typing import Any

from lokalkomp.accounts.matrix import Action, RoleWorld, Section

from .models import Decision, Recommendation


def place(world: RoleWorld) -> dict[str, Any]:
    round = world.samples["submitted_report"].round
    recommendation = Recommendation.main_of(round)
    decision = Decision.objects.create(
        round=round,
        number=f"matrix-{round.pk}-1",
        recipient=world.owner,
        recipient_name=world.owner.name,
        side="owner",
    )
    samples: dict[str, Any] = {
        "recommendation_round": round,
        "decision": decision,
    }
    line = recommendation.lines.select_related("measure__report").first()
    if line is not None:
        samples["recommendation_line"] = line
    return samples


ACTIONS = (
    Action("See the recommendation and its what-ifs", "allocation.view_recommendation", "recommendation_round"),
    Action("Change the recommendation's amounts", "allocation.change_recommendation", "recommendation_round"),
    Action(
        "Record a step of the recommendation (meeting)", "allocation.take_recommendation_step", "recommendation_round"
    ),
    Action("See a recommended measure", "allocation.view_recommendation_line", "recommendation_line"),
    Action("Change a recommended measure", "allocation.change_recommendation_line", "recommendation_line"),
    Action("Make the round's decisions", "allocation.decide", "recommendation_round"),
    Action("See the round's decisions", "allocation.view_decisions", "recommendation_round"),
    Action("See a decision and its letter", "allocation.view_decision", "decision"),
)

SECTION = Section(actions=ACTIONS, place=place)
