"""The round whose archive package a user may download, or 404 (no such round) / 403 (may not).

The round is public (its page is), so someone who may not export its archive is told no (403), as the
payments do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..rules.archive import can_export_archive

__all__ = ["get_archive_round_for"]


def get_archive_round_for(user: Any, office: str, year: int) -> Round:
    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office", "office__forum").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    if not can_export_archive(user, found):
        raise PermissionDenied(_("Only the Statsforvalter exports the round's archive."))
    return found
