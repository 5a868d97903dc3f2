"""Payments (utbetaling): one per decision, for the accounting system, with its status «to pay» or «paid».

A payment is opened when its decision is made (`Payment.open_for`, idempotent): its amount is the
decision's total, its reference the decision's payment reference (KID or text) or else its number.
The accounts are read from the decision (the record of the submitted report), never from the live
partnership. The Statsforvalter marks a payment paid on a date (`mark_paid`), or the whole list at
once (`PaymentQuerySet.mark_paid`), and may take a mark back with a reason (`mark_unpaid`). Every
change is a `PaymentEvent`: who, when, old, new, why.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compilation import clean_text
from .records import AppendOnly

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round

    from .decision import Decision

REFERENCE_MAX = 200
REASON_MAX = 2000
# Paid on: a date of the grant's years; a date further ahead than this is a typing error.
FUTURE_DAYS = 366


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def check_paid_on(on: Any) -> dt.date:
    """The payment date, or ValidationError in the user's language (not a date, before 2000, far ahead)."""
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValidationError(gettext("Write the date it was paid, as dd.mm.yyyy."))
    if on.year < 2000 or on > timezone.localdate() + dt.timedelta(days=FUTURE_DAYS):
        raise ValidationError(gettext("Write a date from the year 2000 until a year from today."))
    return on


class PaymentQuerySet(models.QuerySet["Payment"]):
    def in_round(self, round: Round) -> PaymentQuerySet:
        return self.filter(decision__round=round)

    def to_pay(self) -> PaymentQuerySet:
        return self.filter(status=Payment.Status.TO_PAY)

    def paid(self) -> PaymentQuerySet:
        return self.filter(status=Payment.Status.PAID)

    def total(self) -> int:
        return int(self.aggregate(s=Sum("amount"))["s"] or 0)

    def mark_paid(self, *, on: dt.date, by: Any) -> int:
        """Mark every payment of the list that is still to pay as paid on `on`, an event each; returns how many."""
        on = check_paid_on(on)
        now, actor = timezone.now(), _actor(by)
        with transaction.atomic():
            payments = list(self.to_pay().select_for_update().order_by("pk"))
            for payment in payments:
                payment.status, payment.paid_on = Payment.Status.PAID, on
            Payment.objects.bulk_update(payments, ["status", "paid_on"], batch_size=500)
            PaymentEvent.objects.bulk_create(
                [
                    PaymentEvent(
                        payment=payment,
                        kind=PaymentEvent.Kind.PAID,
                        old=Payment.Status.TO_PAY,
                        new=f"{Payment.Status.PAID} {on.isoformat()}",
                        actor=actor,
                        at=now,
                    )
                    for payment in payments
                ],
                batch_size=500,
            )
        return len(payments)


class Payment(models.Model):
    class Status(models.TextChoices):
        TO_PAY = "to_pay", _("To pay")
        PAID = "paid", _("Paid")

    decision = models.OneToOneField(
        "allocation.Decision", on_delete=models.PROTECT, related_name="payment", verbose_name=_("decision")
    )
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.TO_PAY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("reference (KID or text)"), max_length=REFERENCE_MAX, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["decision__number", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="to_pay", paid_on__isnull=True) | Q(status="paid", paid_on__isnull=False),
                name="paid_payment_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.amount}"

    @classmethod
    def open_for(cls, decision: Decision, *, by: Any) -> Payment:
        """The decision's payment, opened (with its event) the first time: the amount is the decision's total."""
        from .decision import DecisionLine

        with transaction.atomic():
            existing = cls.objects.filter(decision=decision).first()
            if existing is not None:
                return existing
            total = DecisionLine.objects.filter(decision=decision).aggregate(s=Sum("amount"))["s"] or 0
            reference = (decision.payment_reference or "").strip() or decision.number
            payment = cls.objects.create(decision=decision, amount=total, reference=reference[:REFERENCE_MAX])
            payment.events.create(kind=PaymentEvent.Kind.OPENED, new=str(total), actor=_actor(by))
        return payment

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    def _locked(self) -> Payment:
        current = Payment.objects.select_for_update().get(pk=self.pk)
        self.status, self.paid_on = current.status, current.paid_on
        return self

    def mark_paid(self, *, on: dt.date, by: Any) -> bool:
        """Paid on `on` (or the date of a paid one corrected), with its event; False if it was so already."""
        on = check_paid_on(on)
        with transaction.atomic():
            self._locked()
            if self.is_paid and self.paid_on == on:
                return False
            old = self.status if not self.is_paid else f"{self.status} {self.paid_on.isoformat()}"  # type: ignore[union-attr]
            self.status, self.paid_on = self.Status.PAID, on
            self.save(update_fields=["status", "paid_on"])
            self.events.create(
                kind=PaymentEvent.Kind.PAID, old=old, new=f"{self.status} {on.isoformat()}", actor=_actor(by)
            )
        return True

    def mark_unpaid(self, *, by: Any, reason: str) -> bool:
        """Back to «to pay», with why (required); False if it was not paid."""
        reason = clean_text(reason, limit=REASON_MAX, required=True, label=gettext("why the mark is taken back"))
        with transaction.atomic():
            self._locked()
            if not self.is_paid:
                return False
            old = f"{self.status} {self.paid_on.isoformat()}"  # type: ignore[union-attr]
            self.status, self.paid_on = self.Status.TO_PAY, None
            self.save(update_fields=["status", "paid_on"])
            self.events.create(kind=PaymentEvent.Kind.UNPAID, old=old, new=self.status, reason=reason, actor=_actor(by))
        return True


class PaymentEvent(AppendOnly):
    """Every change to a payment: opened, paid (with the date), taken back (with why)."""

    record_name = "payment event"

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        PAID = "paid", _("Marked paid")
        UNPAID = "unpaid", _("Mark taken back")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events", verbose_name=_("payment"))
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    old = models.CharField(_("old value"), max_length=100, blank=True)
    new = models.CharField(_("new value"), max_length=100, blank=True)
    reason = models.TextField(_("why"), max_length=REASON_MAX, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["payment", "at", "pk"]
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.kind}"
