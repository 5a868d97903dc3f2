"""The office of a statistics page (public: 404 only for no such office), and of the history import (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Network, Office

from ..rules.statistics import can_import_history

__all__ = ["get_history_office_for", "get_network", "get_office"]


def get_office(slug: str) -> Office:
    office = Office.objects.filter(slug=slug).first()
    if office is None:
        raise Http404
    return office


def get_network(office: Office, slug: str) -> Network:
    network = Network.objects.filter(office=office, slug=slug).first()
    if network is None:
        raise Http404
    network.office = office
    return network


def get_history_office_for(user: Any, slug: str) -> Office:
    """The office whose earlier years the user may import, or 404 (no such office) / 403 (not its Statsforvalter)."""
    office = get_office(slug)
    if not can_import_history(user, office):
        raise PermissionDenied(_("Only the office's Statsforvalter imports earlier years' allocations."))
    return office
