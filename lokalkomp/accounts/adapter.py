from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation; the public sign-up form is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
