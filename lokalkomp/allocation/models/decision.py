"""Decisions (vedtak): one per recipient and round, made by the Statsforvalter from the final recommendation.

A decision is a record: written once (append-only), with what was true on the day — the recipient's
name, organisation number, account number and payment reference from the submitted report's record,
never the live partnership. Its lines are the measures and amounts per scheme; `total` is derived
(`DecisionQuerySet.with_totals()`). Every happening (decided, letter sent) is a `DecisionEvent`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .records import AppendOnly, AppendOnlyQuerySet

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round


class DecisionQuerySet(AppendOnlyQuerySet):
    def in_round(self, round: Round) -> DecisionQuerySet:
        return self.filter(round=round)

    def with_totals(self) -> DecisionQuerySet:
        return self.annotate(line_total=Coalesce(Sum("lines__amount"), 0))


class Decision(AppendOnly):
    record_name: ClassVar[str] = "decision"

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        POOL = "pool", _("Pool")
        EXTRA = "extra", _("Extra allocation")

    class Side(models.TextChoices):
        OWNER = "owner", _("Owner")
        PARTNER = "partner", _("University or college")

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("round")
    )
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    recipient = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("recipient")
    )
    recipient_name = models.CharField(_("recipient name"), max_length=300)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    account_number = models.CharField(_("account number"), max_length=20, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices, blank=True)
    # nb or nn: the recipient's municipality's language form (nynorsk gives nn), for the letter
    language_form = models.CharField(_("language form"), max_length=2, default="nb")
    reporting_deadline = models.DateField(_("reporting deadline"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    recommendation_version = models.ForeignKey(
        "allocation.RecommendationVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("recommendation version"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.TextField(_("note"), blank=True)

    objects = DecisionQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.number} {self.recipient_name}"

    @property
    def total(self) -> int:
        annotated: Any = getattr(self, "line_total", None)
        if annotated is not None:
            return int(annotated)
        return int(self.lines.aggregate(s=Coalesce(Sum("amount"), 0))["s"])

    @property
    def letters_sent(self) -> list[DecisionEvent]:
        """The «letter sent» events, oldest first (from the prefetched events where the page has them)."""
        return [e for e in self.events.all() if e.kind == DecisionEvent.Kind.LETTER_SENT]  # type: ignore[attr-defined]

    def record_letter_sent(self, *, to: list[str], at: dt.datetime | None = None) -> DecisionEvent:
        """The letter went out by e-mail (the worker, so no person) to these addresses: an event of its own."""
        if not to:
            raise ValueError("A letter is sent to at least one address.")
        return DecisionEvent.objects.create(
            decision=self, kind=DecisionEvent.Kind.LETTER_SENT, at=at or timezone.now(), actor=None, sent_to=list(to)
        )


class DecisionLine(AppendOnly):
    record_name: ClassVar[str] = "decision line"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="lines", verbose_name=_("decision"))
    measure = models.ForeignKey(
        "needs.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_lines",
        verbose_name=_("measure"),
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="decision_lines", verbose_name=_("scheme")
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    amount = models.PositiveBigIntegerField(_("amount"))

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("decision line")
        verbose_name_plural = _("decision lines")

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class DecisionEvent(AppendOnly):
    record_name: ClassVar[str] = "decision event"

    class Kind(models.TextChoices):
        DECIDED = "decided", _("Decided")
        LETTER_SENT = "letter_sent", _("Letter sent")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="events", verbose_name=_("decision"))
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    note = models.TextField(_("note"), blank=True)
    sent_to = models.JSONField(
        _("sent to"), default=list, blank=True, help_text=_("The letter's e-mail addresses, as sent.")
    )

    class Meta:
        ordering = ["decision", "at", "pk"]
        verbose_name = _("decision event")
        verbose_name_plural = _("decision events")

    def __str__(self) -> str:
        return f"{self.decision.number} {self.kind}"
