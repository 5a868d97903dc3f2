from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .rules import requires_two_factor

# Pages a person who must set up two-factor authentication can still reach.
OPEN_PREFIXES = ("/konto/", "/static/", "/i18n/", "/health/", "/media/")


class RequireTwoFactorMiddleware:
    """Statsforvalter and forum roles must use TOTP: until it is set up, every page leads to its setup.

    Someone who has set it up is asked for a code by allauth's login stage before the
    session is signed in; this middleware only catches those who have not set it up yet.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return False
        if not requires_two_factor(user):
            return False
        return not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
