"""The audit record: every sign-in, failed sign-in, role change, invitation and re-authentication.

Sign-ins and the steps of allauth's flows are recorded from signals (Django's and
allauth's); role changes and invitations call `record` where they happen.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.signals import authentication_step_completed, password_changed, password_reset
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import AuditEvent, User

Kind = AuditEvent.Kind


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as allauth's rate limits see it (honouring the trusted proxy settings)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    actor: Any = None,
    office: Any = None,
    email: str = "",
    **details: Any,
) -> AuditEvent:
    user = user if getattr(user, "pk", None) else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor if getattr(actor, "pk", None) else None,
        office=office,
        email=email or getattr(user, "email", ""),
        ip=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        details=details,
    )


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    methods = [r["method"] for r in get_authentication_records(request, user)] if request is not None else []
    record(Kind.LOGIN, request=request, user=user, methods=methods)


def _on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    tried = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    known = User.objects.filter(email__iexact=tried).first() if tried else None
    record(Kind.LOGIN_FAILED, request=request, user=known, email=tried)


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def _on_step(sender: Any, request: HttpRequest, user: Any, method: str, **kwargs: Any) -> None:
    if kwargs.get("reauthenticated"):
        record(Kind.REAUTHENTICATED, request=request, user=user, method=method)


def _on_mfa_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.MFA_FAILED, request=request, user=user)


def _on_authenticator_added(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == "totp":
        record(Kind.MFA_ENABLED, request=request, user=user)


def _on_authenticator_removed(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == "totp":
        record(Kind.MFA_DISABLED, request=request, user=user)


def _on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.PASSWORD_CHANGED, request=request, user=user)


def _on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.PASSWORD_RESET, request=request, user=user)


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    uid = "lokalkomp.accounts.audit"
    user_logged_in.connect(_on_login, dispatch_uid=f"{uid}.login")
    user_login_failed.connect(_on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid=f"{uid}.logout")
    authentication_step_completed.connect(_on_step, dispatch_uid=f"{uid}.step")
    authentication_failed.connect(_on_mfa_failed, dispatch_uid=f"{uid}.mfa_failed")
    authenticator_added.connect(_on_authenticator_added, dispatch_uid=f"{uid}.mfa_added")
    authenticator_removed.connect(_on_authenticator_removed, dispatch_uid=f"{uid}.mfa_removed")
    password_changed.connect(_on_password_changed, dispatch_uid=f"{uid}.password_changed")
    password_reset.connect(_on_password_reset, dispatch_uid=f"{uid}.password_reset")
