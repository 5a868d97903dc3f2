"""The compilation's columns of the role matrix (accounts.matrix, docs/roles.md), and what they are asked about.

A draft compilation of the world's network for 2027, and a delivered one (with its version) for 2026,
the year of the world's submitted report (needs placed both rounds).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lokalkomp.accounts.matrix import Action, RoleWorld, Section

from .models import Compilation, CompilationVersion


def place(world: RoleWorld) -> dict[str, Any]:
    submitted = world.samples["submitted_report"]
    draft = world.samples["report"]
    delivered = Compilation.objects.create(
        round=submitted.round, network=world.network, status=Compilation.Status.DELIVERED
    )
    CompilationVersion.objects.create(compilation=delivered, number=1, delivered_at=timezone.now(), data={})
    return {
        "compilation": Compilation.objects.create(round=draft.round, network=world.network),
        "delivered_compilation": delivered,
        "compilation_round": draft.round,
    }


SECTION = Section(
    actions=(
        Action("Read the network's draft compilation", "allocation.view_compilation", "compilation"),
        Action("Read the delivered compilation", "allocation.view_delivered_compilation", "delivered_compilation"),
        Action("Order, mark and deliver the compilation", "allocation.change_compilation", "compilation"),
        Action("Reopen the delivered compilation", "allocation.reopen_compilation", "delivered_compilation"),
        Action("List the round's compilations", "allocation.view_round_compilations", "compilation_round"),
    ),
    place=place,
)
