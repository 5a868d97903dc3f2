"""Decisions and payments for the payments tests: UH with real register numbers, pool and extra decisions.

`pool_decision(round)` gives the round a pool frame line (or more of one) and a decision from it to a
new UH, through the model, with its payment.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from lokalkomp.directory.models import Organisation
from lokalkomp.testing import make_organisation

from ..models.decision import Decision
from ..models.frame_line import FrameLine
from ..pool import decide_pool

_seq = itertools.count(1)


def org_number(n: int) -> str:
    """A valid organisation number (MOD11) from a running number."""
    for base in itertools.count(80_000_000 + n * 10):
        digits = f"{base:08d}"
        rest = sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check < 10:
            return digits + str(check)
    raise AssertionError


def account_number(n: int) -> str:
    """A valid Norwegian account number (MOD11) from a running number."""
    for base in itertools.count(1503_00_00000 // 10 + n * 10):
        digits = f"{base:010d}"
        rest = sum(int(d) * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check < 10:
            return digits + str(check)
    raise AssertionError


def make_uh(name: str | None = None, kind: str = Organisation.Kind.UNIVERSITY) -> Organisation:
    n = next(_seq)
    return make_organisation(
        kind, name=name or f"Universitet {n}", org_number=org_number(n + 500), account_number=account_number(n + 500)
    )


def make_owner(name: str | None = None) -> Organisation:
    n = next(_seq)
    return make_organisation(
        Organisation.Kind.MUNICIPALITY,
        name=name or f"Kommune {n}",
        org_number=org_number(n + 700),
        account_number=account_number(n + 700),
    )


def pool_line(round: Any, amount: int, scheme: Any = None) -> FrameLine:
    scheme = scheme or round.schemes.order_by("pk").first()
    return FrameLine.put(round=round, scheme=scheme, kind=FrameLine.Kind.POOL, amount=amount, by=None)


def pool_decision(
    round: Any, *, amount: int = 50_000, recipient: Organisation | None = None, scheme: Any = None, by: Any = None
) -> Decision:
    """A pool decision through the model, the pool's line raised by its amount first."""
    scheme = scheme or round.schemes.order_by("pk").first()
    have = FrameLine.objects.filter(round=round, scheme=scheme, kind=FrameLine.Kind.POOL).first()
    pool_line(round, (have.amount if have else 0) + amount, scheme)
    return decide_pool(
        round=round,
        recipient=recipient or make_uh(),
        scheme=scheme,
        amount=amount,
        description="Langsiktig partnerskap (pool)",
        by=by,
    )


def url(name: str, round: Any, *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])


# ── A decided round: the steps' round made final, then decided ──


@dataclass
class Decided:
    cast: Any
    round: Any
    governor: Any
    secretary: Any
    steps: Any
    decisions: list[Decision]
    recommended: int


def decided_round(cast: Any, *, decide: bool = True) -> Decided:
    """The steps' round (two measures of one scheme, as asked) made final and decided by the cast's governor.

    Each measure's partnership has its own owner and UH, so there are four decisions and four payments.
    """
    from ..models.recommendation import Recommendation
    from .steps_helpers import make_step_round, take

    steps = make_step_round(cast)
    take(steps, Recommendation.Status.PRELIMINARY)
    version = take(steps, Recommendation.Status.FINAL)
    decisions = _decide(steps.round, cast.governor) if decide else []
    recommended = sum(d["owner_amount"] + d["partner_amount"] for d in version.data["lines"])
    return Decided(
        cast=cast,
        round=steps.round,
        governor=cast.governor,
        secretary=steps.secretary,
        steps=steps,
        decisions=decisions,
        recommended=recommended,
    )


def _decide(round: Any, by: Any) -> list[Decision]:
    from ..actions import decide_round

    decided = decide_round(round=round, by=by)
    return list(Decision.objects.filter(pk__in=[d.pk for d in decided]).order_by("number"))
