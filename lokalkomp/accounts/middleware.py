from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import TWO_FACTOR_ROLES, Membership
from .rules import requires_two_factor

# Pages a person who must set up two-factor authentication can still reach.
OPEN_PREFIXES = ("/konto/", "/static/", "/i18n/", "/health/", "/media/")
ADMIN_PREFIX = "/admin/"


def with_two_factor_state(users: QuerySet[Any]) -> QuerySet[Any]:
    """Users with what this middleware asks on every request, read in the query that loads the user.

    The authentication backend loads the signed-in user through this (accounts/adapter.py), so the
    check costs no query of its own, and it is never stale: a role granted a second ago, or a TOTP
    device removed, counts on the very next request. (Caching the answer in the session would save
    the same query but would let a newly granted Statsforvalter role reach its pages without 2FA
    until the cache expired.)
    """
    roles = Membership.objects.current().with_role(*TWO_FACTOR_ROLES).filter(user=OuterRef("pk"))
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return users.annotate(lk_needs_two_factor=Exists(roles), lk_has_totp=Exists(totp))


class RequireTwoFactorMiddleware:
    """Statsforvalter, forum and fagutvalg roles must use TOTP: until it is set up, every page leads to its setup.

    Someone who has set it up is asked for a code by allauth's login stage before the
    session is signed in; this middleware only catches those who have not set it up yet.

    Staff and superusers reach /admin/ only with two-factor authentication: set up, and used in
    this session (a sign-in or a confirmation with a code). Until then the admin leads to the setup
    or to the code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            return redirect("mfa_activate_totp")
        if self._admin_without_code(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return False
        needs = getattr(user, "lk_needs_two_factor", None)  # loaded with the user (with_two_factor_state)
        if needs is None:
            needs = requires_two_factor(user)
        if not needs and not (request.path.startswith(ADMIN_PREFIX) and _is_staff(user)):
            return False
        has_totp = getattr(user, "lk_has_totp", None)
        if has_totp is None:
            has_totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
        return not has_totp

    def _admin_without_code(self, request: HttpRequest) -> bool:
        """A staff member in the admin whose session has not confirmed a two-factor code."""
        user = request.user
        if not user.is_authenticated or not request.path.startswith(ADMIN_PREFIX) or not _is_staff(user):
            return False
        return not any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
