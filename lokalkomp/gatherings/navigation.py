"""The header's «Gatherings», for those who organise them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.navigation import Place

from .rules import can_add_gathering


def gatherings(user: Any) -> list[Place]:
    if not can_add_gathering(user):
        return []
    return [Place(gettext("Gatherings"), reverse("gatherings:list"), 60, "gatherings")]
