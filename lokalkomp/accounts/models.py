"""People and the roles they hold through memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with the e-mail address; there is no user name."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        blank=True,
        choices=[("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    GOVERNOR_ADMIN = "governor_admin", _("Statsforvalter administrator")
    CASE_OFFICER = "case_officer", _("Statsforvalter case officer")
    FORUM_MEMBER = "forum_member", _("Forum member")
    FORUM_DEPUTY = "forum_deputy", _("Forum deputy")
    FORUM_SECRETARY = "forum_secretary", _("Forum secretary")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    OWNER_CONTACT = "owner_contact", _("Owner contact")
    PARTNER_CONTACT = "partner_contact", _("University/college contact")
    UNION_REP = "union_rep", _("Union representative")
    READER = "reader", _("Reader")
    FAGUTVALG_MEMBER = "fagutvalg_member", _("Fagutvalg member")


GOVERNOR_ROLES = (Role.GOVERNOR_ADMIN, Role.CASE_OFFICER)
FORUM_ROLES = (Role.FORUM_MEMBER, Role.FORUM_DEPUTY, Role.FORUM_SECRETARY)
# Office roles that read the office's submitted needs reports (not its drafts). A reading role is a
# choice in Role and a name here: the rules, the membership page and the role matrix read this tuple.
# A fagutvalg member (a professional committee some offices have) reads them and, as one of
# allocation's ASSESSOR_ROLES, assesses their measures next to or instead of the forum.
REPORT_READER_ROLES = (Role.READER, Role.FAGUTVALG_MEMBER)
# Who must sign in with a TOTP code: the Statsforvalter, the forum and the fagutvalg (they assess).
TWO_FACTOR_ROLES = (*GOVERNOR_ROLES, *FORUM_ROLES, Role.FAGUTVALG_MEMBER)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(active=True)

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)

    def coordinating(self, networks: Any) -> MembershipQuerySet:
        """The current memberships of the networks' coordinators: the one record of who coordinates a network."""
        return self.current().filter(role=Role.NETWORK_COORDINATOR, network__in=networks)


class Membership(models.Model):
    """A role a person holds in one place: an office, a network or an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("office"),
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("network"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "office", "network", "organisation"], name="unique_membership"
            ),
            # A role is held somewhere: every membership names at least one place.
            models.CheckConstraint(
                condition=Q(office__isnull=False) | Q(network__isnull=False) | Q(organisation__isnull=False),
                name="membership_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        place = self.network or self.organisation or self.office
        return f"{self.user} – {self.get_role_display()} – {place}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


INVITATION_VALID_FOR = dt.timedelta(days=14)


def in_two_weeks() -> dt.datetime:
    return timezone.now() + INVITATION_VALID_FOR


class Invitation(models.Model):
    """An e-mailed, single-use, expiring offer of a role; accepting it creates or links the account."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        "directory.Office", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("office")
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("network"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        "needs.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("partnership"),
        help_text=_("For a contact person: the partnership the person joins."),
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=in_two_weeks)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    # SHA-256 of the link's random token (invitations.make_token); the token itself is only in the e-mail.
    token_hash = models.CharField(_("link token (hashed)"), max_length=64, unique=True, null=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=True) | Q(organisation__isnull=False),
                name="invitation_to_a_partnership_names_the_organisation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="an_accepted_invitation_names_who_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}"

    @property
    def place(self) -> Any:
        """Where the role is held: the partnership's organisation, the network or the office."""
        return self.organisation or self.network or self.office

    @property
    def place_label(self) -> str:
        if self.partnership_id:
            return f"{self.organisation}, {self.partnership}"
        return str(self.place)

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def status(self) -> str:
        if self.accepted_at:
            return str(_("Accepted"))
        return str(_("Expired")) if self.is_expired() else str(_("Waiting"))

    def membership_place(self) -> dict[str, Any]:
        """The place of the membership the invitation grants (office roles at the office, and so on)."""
        if self.organisation_id:
            return {"organisation_id": self.organisation_id}
        if self.network_id:
            return {"network_id": self.network_id}
        return {"office_id": self.office_id}


class ChangeSource(models.TextChoices):
    """Where a recorded change came from."""

    FORM = "form", _("the form")
    IMPORT = "import", _("an import")
    ADMIN = "admin", _("the admin")
    SCRIPT = "script", _("a script")


class AuditEvent(models.Model):
    """Who did what to an account, when and from where. Append-only.

    Changes to the rules and the annual cycle (schemes, rounds, milestones, organisations) are
    recorded here too, as kind `changed` with what changed (`key`), old → new and the source. A
    needs report's changes are recorded by the needs app (`needs.FieldEdit`); the audit page
    shows both.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        MFA_FAILED = "mfa_failed", _("Wrong two-factor code")
        REAUTHENTICATED = "reauthenticated", _("Confirmed identity again")
        MFA_ENABLED = "mfa_enabled", _("Two-factor authentication turned on")
        MFA_DISABLED = "mfa_disabled", _("Two-factor authentication turned off")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
        ROLE_CHANGED = "role_changed", _("Role changed")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        CHANGED = "changed", _("Changed")

    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("person"),
        help_text=_("Whose account the event concerns."),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_actions",
        verbose_name=_("done by"),
        help_text=_("Who did it, where that is someone else (a role given by the Statsforvalter)."),
    )
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("office"),
    )
    email = models.CharField(_("e-mail address tried"), max_length=320, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    key = models.CharField(_("what changed"), max_length=100, blank=True, help_text=_("E.g. “milestone:5:starts_on”."))
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    source = models.CharField(_("from"), max_length=10, choices=ChangeSource.choices, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.user or self.email}"

    @classmethod
    def record_change(
        cls,
        key: str,
        *,
        object_repr: Any,
        old: Any = "",
        new: Any = "",
        by: Any,
        source: str,
        office_id: int | None = None,
        **details: Any,
    ) -> AuditEvent:
        """Record one change (a field, or a row added or removed): who, when, old → new, from where."""
        actor = by if getattr(by, "pk", None) else None
        return cls.objects.create(
            kind=cls.Kind.CHANGED,
            actor=actor,
            office_id=office_id,
            email=getattr(actor, "email", ""),
            key=key,
            object_repr=str(object_repr)[:300],
            old_value=change_text(old),
            new_value=change_text(new),
            source=source,
            details=details,
        )


def change_text(value: Any) -> str:
    """A value as the change record writes it: dates dd.mm.yyyy, lists comma-separated, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list | tuple):
        return ", ".join(change_text(v) for v in value)
    return str(value)
