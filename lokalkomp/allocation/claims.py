"""Claims back (tilbakebetalingskrav) on the payment list: a registry that reporting fills.

The follow-up of the reports on the use of funds (reporting, after allocation in the year) may claim
unused funds back. The payment list and its reconciliation are allocation's, which may not import
reporting, so reporting appends a function to `claim_sources` in its AppConfig.ready()::

    from lokalkomp.allocation import claims
    claims.claim_sources.append(followup_claims.claims_for_payment_list)

A function is called with a round and returns its claims as `ClaimLine`s, in one or two queries
whatever their number. The payment list shows each as a row of negative amount (kind «claim»); the
reconciliation checks that each recipient's payments − claims equal its decisions − claimed, and
that no recipient is claimed more than it was granted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round


@dataclass(frozen=True)
class ClaimLine:
    """One claim back from one recipient, on one decision of the round."""

    pk: int
    decision: int  # the decision's pk
    recipient: int  # the organisation's pk
    amount: int  # kroner claimed back (positive; the payment list shows it negative)
    reference: str  # the claim's number
    status: str
    status_label: str
    claimed_on: dt.date | None = None


ClaimSource = Callable[["Round"], list[ClaimLine]]

claim_sources: list[ClaimSource] = []


def claims_in(round: Round) -> list[ClaimLine]:
    """Every registered source's claims of the round (none when nothing is registered)."""
    found: list[ClaimLine] = []
    for source in claim_sources:
        found += source(round)
    return found
