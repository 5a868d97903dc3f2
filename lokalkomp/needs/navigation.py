"""The header's «My needs reports», for those who write them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.models import Role
from lokalkomp.accounts.navigation import Place
from lokalkomp.accounts.rules import holds_any_role

WRITER_ROLES = (Role.OWNER_CONTACT, Role.PARTNER_CONTACT, Role.UNION_REP)


def my_reports(user: Any) -> list[Place]:
    if not (holds_any_role(user, WRITER_ROLES) or getattr(user, "is_superuser", False)):
        return []
    return [Place(gettext("My needs reports"), reverse("needs:mine"), 10, "needs")]
