"""Re-authentication before sensitive changes (roles, bank account numbers).

allauth keeps, in the session, when the person last confirmed their password or TOTP
code; a change is allowed within ACCOUNT_REAUTHENTICATION_TIMEOUT seconds of that.
"""

from __future__ import annotations

import time

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode


def needs_reauthentication(request: HttpRequest) -> bool:
    """Whether the person must confirm who they are before a sensitive change (always, when signed out).

    A password sign-in within the timeout counts as well as an explicit confirmation,
    so nobody is asked for the password twice in a row.
    """
    if not request.user.is_authenticated:
        return True
    if did_recently_reauthenticate(request):
        return False
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest >= app_settings.REAUTHENTICATION_TIMEOUT


def reauthenticate_url(next_url: str) -> str:
    """Where to confirm; afterwards allauth sends the person on to `next_url`."""
    return f"{reverse('account_reauthenticate')}?{urlencode({'next': next_url})}"


def require_reauthentication(request: HttpRequest) -> None:
    """Stop here until the person has confirmed who they are.

    allauth's middleware answers the exception: it sends the person to confirm, and
    afterwards replays the interrupted request (a POST too), so nothing typed is lost.
    Call it after the access check, so that strangers get their 403/404 first.
    """
    if needs_reauthentication(request):
        raise ReauthenticationRequired()
