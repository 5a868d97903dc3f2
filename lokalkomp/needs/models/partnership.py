"""Partnerships: the owners and partner institutions (UH) behind a needs report, and their contact persons."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.validators import format_account_number, validate_account_number


class Partnership(models.Model):
    """Owners and partner institutions that plan and carry out measures together."""

    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("office")
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("network"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisations: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "directory.Organisation", through="Participant", related_name="partnerships", verbose_name=_("organisations")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """An organisation in a partnership, with where its share of a grant is paid."""

    class Side(models.TextChoices):
        OWNER = "owner", _("Owner")
        PARTNER = "partner", _("University/college")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participants", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    side = models.CharField(_("owner or UH"), max_length=10, choices=Side.choices)
    is_lead = models.BooleanField(
        _("receives the payment"), default=False, help_text=_("The grant to this side is paid to this organisation.")
    )
    account_number = models.CharField(
        _("account number"), max_length=11, blank=True, validators=[validate_account_number]
    )
    payment_reference = models.CharField(_("payment reference (“Ev. merkes”)"), max_length=200, blank=True)

    class Meta:
        ordering = ["-is_lead", "side", "organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="organisation_once_per_partnership"),
            models.UniqueConstraint(
                fields=["partnership", "side"], condition=Q(is_lead=True), name="one_paid_organisation_per_side"
            ),
            models.CheckConstraint(
                condition=Q(account_number="") | Q(account_number__regex=r"^[0-9]{11}$"),
                name="participant_account_number_eleven_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_side_display()})"

    @property
    def account_number_display(self) -> str:
        return format_account_number(self.account_number)


class Contact(models.Model):
    """A contact person of a participant. A contact with an account may edit the partnership's reports."""

    DETAIL_FIELDS = ("name", "function", "phone", "email")
    """What the report says about a contact person, in the form's order (the record, the form, the diff)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("participant")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["participant", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name
