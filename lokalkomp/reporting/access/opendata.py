"""The round whose export to Udir a user may take, or 404 (no such round) / 403 (may not: the round is public)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..opendata.queries import find_round
from ..rules.opendata import can_export_to_udir

__all__ = ["get_public_round", "get_udir_round_for"]


def get_public_round(office: str, year: int) -> Round:
    """A round of the open data (anyone), or 404."""
    found = find_round(office, year)
    if found is None:
        raise Http404
    return found


def get_udir_round_for(user: Any, office: str, year: int) -> Round:
    found = get_public_round(office, year)
    if not can_export_to_udir(user, found):
        raise PermissionDenied(_("Only the Statsforvalter takes the export to Udir."))
    return found
