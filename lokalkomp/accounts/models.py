"""People and the roles they hold through memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
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


GOVERNOR_ROLES = (Role.GOVERNOR_ADMIN, Role.CASE_OFFICER)
FORUM_ROLES = (Role.FORUM_MEMBER, Role.FORUM_DEPUTY, Role.FORUM_SECRETARY)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(active=True)

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)


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
