"""The header's «My reports» (on the use of funds), for those who write them: the same people as the needs reports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.navigation import Place
from lokalkomp.accounts.rules import _roles, holds_any_role
from lokalkomp.needs.navigation import WRITER_ROLES


def my_funds_reports(user: Any) -> list[Place]:
    """Shown where «My needs reports» is (no query: the roles are cached on the user)."""
    writes = holds_any_role(user, WRITER_ROLES) or getattr(user, "is_superuser", False)
    if not (writes or not _roles(user)):
        return []
    return [Place(gettext("My reports on the use of funds"), reverse("reporting:funds_mine"), 11, "funds")]
