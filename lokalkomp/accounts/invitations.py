"""Invitations: the link, the e-mail, and what accepting one creates.

A link carries a random token (secrets.token_urlsafe); the database keeps only its SHA-256 hash.
Nothing about the link follows from SECRET_KEY or the invitation's number, and a copy of the
database does not give the links away.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .models import AuditEvent, Invitation, Membership, User
from .rules import can_invite, invitation_kinds

TOKEN_BYTES = 32


class InvitationUnusable(Exception):
    """The link cannot be used (any more); the message says why, in the user's language."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_token(invitation: Invitation) -> str:
    """Give the invitation a new random link token and return it; only its hash is stored (an older link stops)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = token_hash(token)
    if invitation.pk:
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation.token_hash)
    return token


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:accept", args=[token])


def read_token(token: str) -> Invitation:
    """The invitation a link points to, or InvitationUnusable saying why not."""
    try:
        invitation = Invitation.objects.select_related(
            "office", "network", "organisation", "partnership", "invited_by"
        ).get(token_hash=token_hash(token))
    except Invitation.DoesNotExist as error:
        raise InvitationUnusable(
            _("This invitation link is not valid. Check that the whole link was copied.")
        ) from error
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise InvitationUnusable(_("This invitation has already been used. Sign in with the account that accepted it."))
    if invitation.is_expired():
        raise InvitationUnusable(
            _("This invitation expired on %(date)s. Ask %(by)s to send you a new one.")
            % {
                "date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
                "by": invitation.invited_by or _("the person who invited you"),
            }
        )


def send_invitation(invitation: Invitation, token: str) -> None:
    """E-mail the link. (The notifications queue takes this over later; keep it one call.)"""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "url": invitation_url(token), "site_url": settings.SITE_URL}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def create_invitation(invitation: Invitation, *, by: User, request: Any = None) -> Invitation:
    """Save, record and send an invitation the caller has checked with `can_invite`."""
    invitation.invited_by = by
    invitation.email = invitation.email.strip().lower()
    token = make_token(invitation)
    with transaction.atomic():
        invitation.save()
        audit.record(
            AuditEvent.Kind.INVITATION_SENT,
            request=request,
            user=by,
            office=invitation.office,
            email=invitation.email,
            role=invitation.role,
            place=invitation.place_label,
            invitation=invitation.pk,
        )
        transaction.on_commit(lambda: send_invitation(invitation, token))
    return invitation


def accept(invitation: Invitation, *, user: User, request: Any = None) -> Membership:
    """Use the invitation once: the membership for the user, and what the role's app adds (`invitation_kinds`)."""
    if invitation.invited_by is None or not can_invite(invitation.invited_by, invitation):
        # The rule is asked again: the inviter may have lost the role since, or it was never theirs to give.
        raise InvitationUnusable(
            _("The person who invited you may no longer give this role. Ask the Statsforvalter for a new invitation.")
        )
    with transaction.atomic():
        now = timezone.now()
        taken = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now).update(
            accepted_at=now, accepted_by=user
        )
        if not taken:
            invitation.refresh_from_db()
            check_usable(invitation)
            raise InvitationUnusable(_("This invitation can no longer be used."))
        membership, _created = Membership.objects.update_or_create(
            user=user, role=invitation.role, **invitation.membership_place(), defaults={"active": True}
        )
        kind = invitation_kinds.get(invitation.role)
        if kind is not None:
            kind.accept(invitation, user)  # a later app's role: e.g. the contact person in the partnership
        _verify_address(user, invitation.email)
        audit.record(
            AuditEvent.Kind.INVITATION_ACCEPTED,
            request=request,
            user=user,
            actor=invitation.invited_by,
            office=invitation.office,
            role=invitation.role,
            place=invitation.place_label,
            invitation=invitation.pk,
        )
    invitation.refresh_from_db()
    return membership


def _verify_address(user: User, email: str) -> None:
    """The link reached this address: mark it verified, so that single sign-on may match it."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        primary = not EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def create_account(invitation: Invitation, *, first_name: str, last_name: str, password: str) -> User:
    """The account of an invited person who has none (accepting verifies the address)."""
    return User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
