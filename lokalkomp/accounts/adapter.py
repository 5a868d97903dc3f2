from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.forms import AddEmailForm
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation; the public sign-up form is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on links to an existing (invited) person by e-mail; it never creates strangers."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False


def verified_addresses(user: Any) -> set[str]:
    """The addresses that count for signing in and for invitations (lower case).

    The account's own address (set by an invitation, which verifies it, by an administrator, or by
    making a confirmed address the main one: an unconfirmed one cannot be, see views.EmailView),
    and every added address once the link sent to it has been followed.
    """
    if not getattr(user, "pk", None):
        return set()
    verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).values_list("email", flat=True)
    return {email.lower() for email in verified} | ({user.email.lower()} if user.email else set())


class VerifiedEmailBackend(AuthenticationBackend):
    """allauth's sign-in by e-mail, with verified addresses only (see `verified_addresses`)."""

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        """The signed-in user of a request, with its two-factor state in the same query (see middleware.py)."""
        from django.contrib.auth import get_user_model

        from .middleware import with_two_factor_state

        users = get_user_model()._default_manager.all()
        try:
            user = with_two_factor_state(users).get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        if not email or app_settings.LoginMethod.EMAIL not in app_settings.LOGIN_METHODS:
            return None
        for user in filter_users_by_email(email, prefer_verified=True, for_login=True):
            if email.lower() in verified_addresses(user) and self._check_password(user, password):
                return user
        return None


class OwnAddressForm(AddEmailForm):
    """Adding an e-mail address: never one that belongs to another account (it gets a link to confirm it)."""

    def clean_email(self) -> str:
        value = super().clean_email()
        assert self.user  # nosec  (the e-mail page is behind login)
        others = EmailAddress.objects.filter(email__iexact=value).exclude(user_id=self.user.pk)
        from .models import User

        taken = User.objects.filter(Q(email__iexact=value) & ~Q(pk=self.user.pk)).exists()
        if taken or others.exists():
            raise forms.ValidationError(_("This address belongs to another account."))
        return value
