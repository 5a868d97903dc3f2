from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation; the public sign-up form is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on links to an existing (invited) person by e-mail; it never creates strangers."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
