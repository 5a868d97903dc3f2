"""The header's «My needs reports», for those who write them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.models import Role
from lokalkomp.accounts.navigation import Place
from lokalkomp.accounts.rules import _roles, holds_any_role

WRITER_ROLES = (Role.OWNER_CONTACT, Role.PARTNER_CONTACT, Role.UNION_REP)


def my_reports(user: Any) -> list[Place]:
    """Shown to those who write reports, and to anyone without another role: a partnership's contact
    person may have no membership at all (the contact row is enough), and the page says what to do."""
    writes = holds_any_role(user, WRITER_ROLES) or getattr(user, "is_superuser", False)
    if not (writes or not _roles(user)):
        return []
    return [Place(gettext("My needs reports"), reverse("needs:mine"), 10, "needs")]
