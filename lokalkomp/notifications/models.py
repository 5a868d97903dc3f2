"""E-mails to people, one row per message, sent by the task worker exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def queued(self) -> NotificationQuerySet:
        return self.filter(status=Notification.Status.QUEUED)


class Notification(models.Model):
    """One e-mail to one address. The dedupe key makes the same message impossible to create twice."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt on submission")
        REPORT_ARRIVED = "report_arrived", _("A needs report arrived")
        SENT_BACK = "sent_back", _("Sent back for changes")
        REMINDER = "reminder", _("Reminder of a deadline")
        PARTNERSHIP_REMINDER = "partnership_reminder", _("Reminder from the Statsforvalter")
        COMPILATION_DELIVERED = "compilation_delivered", _("A network delivered its compilation")
        DECISION_LETTER = "decision_letter", _("A decision letter")
        FUNDS_RETURNED = "funds_returned", _("A report on the use of funds asked to be completed")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, default="nb")
    dedupe_key = models.CharField(
        _("dedupe key"), max_length=200, help_text=_("Names the message, so that it is never created twice.")
    )
    context = models.JSONField(_("context"), default=dict, blank=True, help_text=_("Ids of what the message is about."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True, help_text=_("As sent."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("due"), default=timezone.now, help_text=_("When the next attempt is due."))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_once_per_dedupe_key"),
            models.CheckConstraint(condition=~Q(email=""), name="notification_has_an_address"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_notification_has_sent_at"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"

    @property
    def addresses(self) -> list[str]:
        """Whom the message goes to: its address, and the others a letter to an organisation names (`context["to"]`)."""
        others = [a for a in self.context.get("to", []) if isinstance(a, str) and a.lower() != self.email.lower()]
        return [self.email, *others]


class PartnershipReminder(models.Model):
    """The Statsforvalter reminded a partnership without a needs report (the round's work list). Append-only.

    Who sent it, when, and to which addresses; at most one a day per partnership, whatever the round
    (the constraint), so a second click the same day sends nothing.
    """

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="partnership_reminders", verbose_name=_("round")
    )
    partnership = models.ForeignKey(
        "needs.Partnership", on_delete=models.PROTECT, related_name="reminders", verbose_name=_("partnership")
    )
    day = models.DateField(_("day"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_reminders_sent",
        verbose_name=_("sent by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    recipients = models.JSONField(_("sent to"), default=list, help_text=_("The e-mail addresses, as sent."))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("reminder to a partnership")
        verbose_name_plural = _("reminders to partnerships")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "day"], name="one_reminder_a_day_per_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.day:%d.%m.%Y}"
