"""TOTP helpers on top of allauth.mfa: set up an authenticator with a known secret, compute a code.

The demo and the tests need people who already have an authenticator app; a real
person sets one up at /konto/2fa/totp/activate/.
"""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from .models import User

# The documented secret of the demo's Statsforvalter and forum users (base32, 32 characters).
# Enter it in an authenticator app, or run `manage.py demo_totp EMAIL` for the current code.
DEMO_TOTP_SECRET = "LOKALKOMPDEMOTOTPSECRETNORDLAND2"  # noqa: S105


def activate_totp(user: User, secret: str) -> Authenticator:
    """Give the user a TOTP authenticator with this secret (or keep the one they have)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return existing
    return TOTP.activate(user, secret).instance


def totp_secret_of(user: User) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at a given Unix time)."""
    counter = int(at if at is not None else time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
