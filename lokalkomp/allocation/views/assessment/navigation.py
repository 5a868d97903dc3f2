"""The assessment's places in the other apps' registries: the header's «Assessment» and the role matrix."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.matrix import Action, RoleWorld, Section
from lokalkomp.accounts.navigation import Place
from lokalkomp.accounts.rules import office_ids_with

from ...rules.assessment import ASSESSOR_ROLES, SECRETARIAT_ROLES


def assessment_place(user: Any) -> list[Place]:
    """«Assessment» for the forum's members and deputies, the fagutvalg and the secretariat (no query: cached roles)."""
    if not office_ids_with(user, (*ASSESSOR_ROLES, *SECRETARIAT_ROLES)):
        return []
    return [Place(gettext("Assessment"), reverse("allocation:my_assessment"), 40, "assessment")]


def place(world: RoleWorld) -> dict[str, Any]:
    """A measure of the world's submitted report (needs placed it), and its round."""
    from lokalkomp.needs.models import Measure
    from lokalkomp.schemes.models import Scheme

    report = world.samples["submitted_report"]
    scheme = Scheme.objects.valid_in(report.round.year).order_by("pk").first() or Scheme.objects.order_by("pk").first()
    assert scheme is not None, "the schemes are seeded by their migration"
    measure = Measure.objects.create(report=report, scheme=scheme, name="Tiltaket", position=1)
    return {"assessment_round": report.round, "submitted_measure": measure}


SECTION = Section(
    actions=(
        Action("Open the round's assessment", "allocation.view_assessment_list", "assessment_round"),
        Action("Assess a submitted measure", "allocation.assess_measure", "submitted_measure"),
        Action("See every assessment, shared or not", "allocation.view_every_assessment", "assessment_round"),
        Action("Set up the round's criteria", "allocation.set_up_assessment", "assessment_round"),
        Action("Declare ties for the round", "allocation.declare_ties", "assessment_round"),
        Action("Read the declarations of ties", "allocation.view_declarations", "assessment_round"),
    ),
    place=place,
)
