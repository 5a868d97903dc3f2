"""A decided round for the open data tests (four decisions: two measures, each with an owner and a UH), and
many more pool decisions for the tests that count queries on big data."""

from __future__ import annotations

from typing import Any

from lokalkomp.allocation.tests.payment_helpers import Decided, decided_round, make_uh, pool_decision

POOL = 50_000  # the pool decision's amount, to a UH with an organisation number and an account number


def decided(cast: Any) -> Decided:
    """The steps' round decided (420 000: owners 280 000, UH 140 000), and one pool decision of 50 000 to a UH."""
    d = decided_round(cast)
    d.decisions.append(pool_decision(d.round, amount=POOL, recipient=make_uh("Nord universitet")))
    return d


def many_pool_decisions(round: Any, n: int) -> None:
    for i in range(n):
        pool_decision(round, amount=10_000 + i, recipient=make_uh(f"Høgskole {i}"))


def personal_data(cast: Any, round: Any) -> list[str]:
    """What must never be published: every person's e-mail and name, and every account number of the round."""
    from django.contrib.auth import get_user_model

    from lokalkomp.allocation.models.decision import Decision

    found: list[str] = []
    for user in get_user_model().objects.all():
        found.append(user.email)
        found += [name for name in (user.first_name, user.last_name) if len(name) > 2]
    found += [n for n in Decision.objects.filter(round=round).values_list("account_number", flat=True) if n]
    return found
