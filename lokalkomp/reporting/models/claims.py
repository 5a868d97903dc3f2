"""Claims back (tilbakebetalingskrav) of unused funds, from the follow-up of the reports on the use of funds.

A `Claim` is made by the round's Statsforvalter (`Claim.make`): who made it, why, and a `ClaimLine`
per recipient (one of the round's decisions) with the amount claimed back from it, never more than
the decision granted less what is already claimed on it. Its letter (claim_letters.py) is written in
the language form of its first decision, as the decision letters are. On the round's payment list a
claim's line is a row of negative amount (allocation/claims.py's registry, filled in apps.ready).

A claim's lines are a record: they never change. Its status changes only through `mark_repaid` and
`withdraw` (with why), each a `ClaimEvent` (who, when, old, new, why), as the making is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lokalkomp.allocation.models.compilation import clean_text
from lokalkomp.allocation.models.payment import check_paid_on
from lokalkomp.allocation.models.records import AppendOnly

if TYPE_CHECKING:
    from lokalkomp.allocation.models.decision import Decision
    from lokalkomp.schemes.models import Round

    from .funds import FundsReport

REASON_MAX = 4000
# One claim line: at most a decision's total, and a decision is at most this (PositiveBigIntegerField fits it).
AMOUNT_MAX = 10**12


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def claimed_per_decision(decisions: Sequence[int]) -> dict[int, int]:
    """What is claimed back (not withdrawn) on each decision, one query."""
    rows = (
        ClaimLine.objects.filter(decision_id__in=decisions)
        .exclude(claim__status=Claim.Status.WITHDRAWN)
        .values_list("decision_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {decision: int(s or 0) for decision, s in rows}


class ClaimQuerySet(models.QuerySet["Claim"]):
    def in_round(self, round: Round) -> ClaimQuerySet:
        return self.filter(round=round)

    def standing(self) -> ClaimQuerySet:
        """Claims not withdrawn (they count on the payment list)."""
        return self.exclude(status=Claim.Status.WITHDRAWN)

    def with_total(self) -> ClaimQuerySet:
        return self.annotate(total_amount=Sum("lines__amount"))


class Claim(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed back")
        REPAID = "repaid", _("Repaid")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT, related_name="claims", verbose_name=_("round"))
    # The report on the use of funds it follows up (a claim may also be made on the decisions alone).
    report = models.ForeignKey(
        "reporting.FundsReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("report on the use of funds"),
    )
    number = models.CharField(_("claim number"), max_length=60, unique=True)
    reason = models.TextField(_("why"), max_length=REASON_MAX)
    language_form = models.CharField(_("language form"), max_length=2, default="nb")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CLAIMED)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("claim back")
        verbose_name_plural = _("claims back")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="repaid", repaid_on__isnull=False)
                | (~Q(status="repaid") & Q(repaid_on__isnull=True)),
                name="repaid_claim_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> int:
        found = getattr(self, "total_amount", None)
        if found is not None:
            return int(found)
        return int(self.lines.aggregate(s=Sum("amount"))["s"] or 0)

    @classmethod
    def next_number(cls, round: Round) -> str:
        prefix = f"{round.year}-{round.office.slug.upper()}-K-"  # «2023-NORDLAND-K-001»
        taken = cls.objects.filter(number__startswith=prefix).count()
        return f"{prefix}{taken + 1:03d}"

    @classmethod
    def make(
        cls,
        round: Round,
        *,
        lines: Sequence[tuple[Decision, int]],
        reason: str,
        by: Any,
        report: FundsReport | None = None,
    ) -> Claim:
        """A claim back of `lines` (decision, kroner) with why, and its event; ValidationError in the user's language.

        Each decision must be the round's, each amount a whole number of kroner above 0, and no more than
        the decision granted less what standing claims already take back from it.
        """
        reason = clean_text(
            reason or "", limit=REASON_MAX, required=True, label=gettext("why the funds are claimed back")
        )
        if not lines:
            raise ValidationError(gettext("Claim an amount back from at least one recipient."))
        from lokalkomp.allocation.models.decision import Decision

        with transaction.atomic():
            pks = [decision.pk for decision, _amount in lines]
            if len(set(pks)) != len(pks):
                raise ValidationError(gettext("Each recipient's decision can be named once in a claim."))
            from lokalkomp.schemes.models import Round

            # The round's row serialises its claims (their numbers, and what is left on each decision).
            Round.objects.select_for_update().filter(pk=round.pk).values_list("pk", flat=True).first()
            decisions = {d.pk: d for d in Decision.objects.with_totals().filter(pk__in=pks)}
            already = claimed_per_decision(pks)
            for decision, amount in lines:
                found = decisions.get(decision.pk)
                if found is None or found.round_id != round.pk:
                    raise ValidationError(gettext("A decision of another round cannot be claimed back here."))
                if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > AMOUNT_MAX:
                    raise ValidationError(gettext("Write the amount as whole kroner above 0."))
                left = found.total - already.get(found.pk, 0)
                if amount > left:
                    raise ValidationError(
                        gettext("%(name)s: at most %(left)s kr can be claimed back (decision %(number)s).")
                        % {"name": found.recipient_name, "left": left, "number": found.number}
                    )
            first = decisions[pks[0]]
            claim = cls.objects.create(
                round=round,
                report=report,
                number=cls.next_number(round),
                reason=reason,
                language_form=first.language_form if first.language_form in ("nb", "nn") else "nb",
                made_by=_actor(by),
            )
            ClaimLine.objects.bulk_create(
                [ClaimLine(claim=claim, decision_id=decision.pk, amount=amount) for decision, amount in lines]
            )
            total = sum(amount for _d, amount in lines)
            claim.events.create(
                kind=ClaimEvent.Kind.MADE, new=f"{claim.status} {total}", reason=reason, actor=_actor(by)
            )
        return claim

    def _locked(self) -> Claim:
        current = Claim.objects.select_for_update().get(pk=self.pk)
        self.status, self.repaid_on = current.status, current.repaid_on
        return self

    def mark_repaid(self, *, on: dt.date, by: Any) -> bool:
        """Repaid on `on`, with its event; False if it was so already on that day. A withdrawn claim cannot be."""
        on = check_paid_on(on)
        with transaction.atomic():
            self._locked()
            if self.status == self.Status.WITHDRAWN:
                raise ValidationError(gettext("A withdrawn claim cannot be marked repaid."))
            if self.status == self.Status.REPAID and self.repaid_on == on:
                return False
            old = self.status if self.repaid_on is None else f"{self.status} {self.repaid_on.isoformat()}"
            self.status, self.repaid_on = self.Status.REPAID, on
            self.save(update_fields=["status", "repaid_on"])
            self.events.create(
                kind=ClaimEvent.Kind.REPAID, old=old, new=f"{self.status} {on.isoformat()}", actor=_actor(by)
            )
        return True

    def withdraw(self, *, by: Any, reason: str) -> bool:
        """Withdrawn (it no longer counts on the payment list), with why (required); False if it was already."""
        reason = clean_text(reason or "", limit=REASON_MAX, required=True, label=gettext("why the claim is withdrawn"))
        with transaction.atomic():
            self._locked()
            if self.status == self.Status.WITHDRAWN:
                return False
            old = self.status if self.repaid_on is None else f"{self.status} {self.repaid_on.isoformat()}"
            self.status, self.repaid_on = self.Status.WITHDRAWN, None
            self.save(update_fields=["status", "repaid_on"])
            self.events.create(
                kind=ClaimEvent.Kind.WITHDRAWN, old=old, new=self.status, reason=reason, actor=_actor(by)
            )
        return True


class ClaimLine(AppendOnly):
    """What one recipient (by its decision) is claimed back."""

    record_name = "claim line"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines", verbose_name=_("claim"))
    decision = models.ForeignKey(
        "allocation.Decision", on_delete=models.PROTECT, related_name="claim_lines", verbose_name=_("decision")
    )
    amount = models.PositiveBigIntegerField(_("amount (kr)"))

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        constraints = [
            models.UniqueConstraint(fields=["claim", "decision"], name="one_claim_line_per_decision"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_line_above_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.decision_id}: {self.amount}"


class ClaimEvent(AppendOnly):
    """Every change to a claim: made, repaid (with the date), withdrawn (with why)."""

    record_name = "claim event"

    class Kind(models.TextChoices):
        MADE = "made", _("Claimed back")
        REPAID = "repaid", _("Marked repaid")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events", verbose_name=_("claim"))
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
        ordering = ["claim", "at", "pk"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.kind}"
