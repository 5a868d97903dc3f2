"""Dividing a budget frame between networks by a key: a base amount each, the rest by a count.

A pure function of whole kroner and counts (no database), so the rule is written once and tested
at its edges. Each network gets the base amount; what is left of the frame is shared in proportion
to each network's count (staff, units or children). The shares are whole kroner and sum exactly to
the frame: each network first gets the whole kroner of its exact share, and the kroner left over by
that rounding go one each to the networks with the largest remainders, ties to the network that
comes first in the order given (the callers give networks in name order, so the result is the same
every time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from lokalkomp.templatetags.nor import format_kroner

T = TypeVar("T")


@dataclass(frozen=True)
class Share(Generic[T]):
    """One network's part of a frame."""

    network: T
    count: int
    base: int
    by_count: int

    @property
    def total(self) -> int:
        return self.base + self.by_count


@dataclass(frozen=True)
class Division(Generic[T]):
    """A frame divided by a key; `problem` says why the key could not divide all of it."""

    frame: int
    shares: tuple[Share[T], ...]
    problem: str = ""

    @property
    def total(self) -> int:
        """The sum of the shares: the frame itself when the division is whole."""
        return sum(share.total for share in self.shares)

    @property
    def counted(self) -> int:
        return sum(share.count for share in self.shares)

    @property
    def is_whole(self) -> bool:
        return not self.problem

    def share_of(self, network: T) -> Share[T] | None:
        return next((share for share in self.shares if share.network == network), None)


def divide(frame: int, base_amount: int, counts: Sequence[tuple[T, int]]) -> Division[T]:
    """Divide `frame` kroner between the networks of `counts` ((network, count) pairs, in order).

    Never raises for a frame the key cannot divide: the Division says what is wrong instead (no
    networks in the key, base amounts above the frame, no counts to share the rest by).
    """
    if frame < 0 or base_amount < 0 or any(count < 0 for _network, count in counts):
        raise ValueError("A frame, a base amount and a count are never negative.")
    if not counts:
        return Division(
            frame, (), problem=_("No network is in the key yet. Write a count for each network that shares the frame.")
        )
    bases = base_amount * len(counts)
    if bases > frame:
        problem = _(
            "The base amounts (%(n)s × %(base)s = %(bases)s) are more than the frame (%(frame)s). "
            "Lower the base amount or raise the frame."
        ) % {
            "n": len(counts),
            "base": format_kroner(base_amount),
            "bases": format_kroner(bases),
            "frame": format_kroner(frame),
        }
        return Division(frame, (), problem=problem)
    rest = frame - bases
    counted = sum(count for _network, count in counts)
    if counted == 0:
        shares = tuple(Share(network, count, base_amount, 0) for network, count in counts)
        if rest == 0:
            return Division(frame, shares)
        problem = _("No network has a count yet, so %(rest)s of the frame is not divided. Enter the counts.") % {
            "rest": format_kroner(rest)
        }
        return Division(frame, shares, problem=problem)
    exact = [(rest * count // counted, rest * count % counted) for _network, count in counts]
    left_over = rest - sum(whole for whole, _remainder in exact)
    # The left-over kroner (fewer than the number of networks) go to the largest remainders, ties in order.
    by_remainder = sorted(range(len(counts)), key=lambda i: (-exact[i][1], i))
    extra = set(by_remainder[:left_over])
    shares = tuple(
        Share(network, count, base_amount, exact[i][0] + (1 if i in extra else 0))
        for i, (network, count) in enumerate(counts)
    )
    return Division(frame, shares)
