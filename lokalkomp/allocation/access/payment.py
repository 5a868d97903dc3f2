"""The round's payments, pool and extra decisions for a user, or 404 (no such round or payment) / 403 (may not).

The round itself is public (its page is), so someone who may not see its payments is told no (403),
as the assessment's pages do. A payment that is not one of the round's is 404. The forum's secretary
reads (`write=False`); only the Statsforvalter changes (`write=True`): a secretary who tries is 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..models.payment import Payment
from ..rules.payment import can_manage_payments, can_view_payments

__all__ = ["get_payment_for", "get_payment_round_for"]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def get_payment_round_for(user: Any, office: str, year: int, *, write: bool = False) -> Round:
    """The round whose payments the user may see (`write`: mark paid, decide from the pool or extra money)."""
    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    if not can_view_payments(user, found):
        raise PermissionDenied(_("Only the Statsforvalter and the forum's secretary see the payments."))
    if write and not can_manage_payments(user, found):
        raise PermissionDenied(_("Only the Statsforvalter decides and marks payments."))
    return found


def get_payment_for(user: Any, round: Round, pk: int) -> Payment:
    """One payment of the round (the caller has asked `get_payment_round_for` with `write`), or 404."""
    if not 0 < pk <= ID_MAX:
        raise Http404
    payment = Payment.objects.select_related("decision").filter(pk=pk, decision__round=round).first()
    if payment is None:
        raise Http404
    payment.decision.round = round
    return payment
