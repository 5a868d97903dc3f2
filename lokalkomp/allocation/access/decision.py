"""The round's decisions (vedtak) for a user, or 404 (no such round or decision) / 403 (may not).

The round itself is public, so someone signed in who may not see its decisions is told no (403), as
the recommendation's pages do. A decision that is not one of the round's is 404; a recipient sees its
own decision (the round's list is the Statsforvalter's and the secretariat's).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..models.decision import Decision
from ..rules.decision import can_decide, can_view_decision, can_view_decisions

__all__ = ["decision_round_for", "get_decision_for"]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def _round(office: str, year: int) -> Round:
    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    return found


def decision_round_for(user: Any, office: str, year: int, *, write: bool = False) -> Round:
    """The round whose decisions the user may read (`write`: make)."""
    found = _round(office, year)
    if not can_view_decisions(user, found):
        raise PermissionDenied(_("Only the Statsforvalter and the forum's secretariat see the round's decisions."))
    if write and not can_decide(user, found):
        raise PermissionDenied(_("Only the Statsforvalter makes the decisions."))
    return found


def get_decision_for(user: Any, office: str, year: int, pk: int) -> Decision:
    """One decision of the round, for its readers and its recipient."""
    round = _round(office, year)
    if not 0 < pk <= ID_MAX:
        raise Http404
    found = Decision.objects.with_totals().select_related("decided_by").filter(pk=pk, round=round).first()
    if found is None:
        raise Http404
    found.round = round
    if not can_view_decision(user, found):
        raise PermissionDenied(_("You may not see this decision."))
    return found
