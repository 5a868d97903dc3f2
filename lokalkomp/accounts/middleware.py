from __future__ import annotations

from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .rules import requires_two_factor

# Pages a person who must set up two-factor authentication can still reach.
OPEN_PREFIXES = ("/konto/", "/static/", "/i18n/", "/health/", "/media/")
ADMIN_PREFIX = "/admin/"


class RequireTwoFactorMiddleware:
    """Statsforvalter and forum roles must use TOTP: until it is set up, every page leads to its setup.

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
        if not requires_two_factor(user) and not (request.path.startswith(ADMIN_PREFIX) and _is_staff(user)):
            return False
        return not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()

    def _admin_without_code(self, request: HttpRequest) -> bool:
        """A staff member in the admin whose session has not confirmed a two-factor code."""
        user = request.user
        if not user.is_authenticated or not request.path.startswith(ADMIN_PREFIX) or not _is_staff(user):
            return False
        return not any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
