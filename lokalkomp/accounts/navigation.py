"""The header's «where I have work» links, one list per person, filled by every app.

Each app knows its own places (a partnership's reports, a network, the forum's work, the rounds);
accounts only keeps the list and renders it. An app appends a provider in its `AppConfig.ready()`:
a function of the user that returns the places it has for them, reading the memberships that
`accounts.rules` caches on the user (so most providers cost no query at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Place:
    """One link in the header: what it says, where it goes, and its place in the order (lower first)."""

    label: str
    url: str
    order: int = 50
    key: str = ""


providers: list[Callable[[Any], list[Place]]] = []


def places_for(user: Any) -> list[Place]:
    """Every provider's places for the user, in order, each URL once; cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = user.__dict__.get("_lokalkomp_places")
    if cached is None:
        seen: set[str] = set()
        cached = []
        for provider in providers:
            for place in provider(user):
                if place.url not in seen:
                    seen.add(place.url)
                    cached.append(place)
        cached.sort(key=lambda place: place.order)
        user.__dict__["_lokalkomp_places"] = cached
    return cached  # type: ignore[no-any-return]


def coordinated_networks(user: Any) -> list[Place]:
    """A coordinator's network: its page holds the round's reports and the compilation."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from .rules import coordinated_network_ids

    if not coordinated_network_ids(user):
        return []
    return [Place(gettext("My network"), reverse("accounts:my_networks"), 20, "network")]


providers.append(coordinated_networks)
