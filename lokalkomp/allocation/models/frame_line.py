"""Money of a round beside the forum's frames: the pool's own frame line, and new money for an extra allocation.

Trøndelag's pool (seed 002) is funded by the Statsforvalter directly, outside any needs report and
outside the frame the forum recommends within: its decisions are made from the pool's own line
(`Kind.POOL`) per scheme. An extra allocation later in the year (seed 004: 29 September) spends
what the ordinary decisions left of a frame, plus new money given to the office since
(`Kind.EXTRA`). Each change of a line is a `FrameLineEvent` (who, when, old, new, why).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compilation import clean_text
from .records import AppendOnly

# A line: far above any office's money for a scheme, far inside the 64-bit column.
MAX_LINE = 10**12
REASON_MAX = 2000


class FrameLine(models.Model):
    class Kind(models.TextChoices):
        POOL = "pool", _("Pool (long-term development partners)")
        EXTRA = "extra", _("New money for an extra allocation")

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="frame_lines", verbose_name=_("round")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="frame_lines", verbose_name=_("scheme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount (kr)"), default=0)

    class Meta:
        ordering = ["round", "kind", "scheme__code"]
        verbose_name = _("frame line")
        verbose_name_plural = _("frame lines")
        constraints = [
            models.UniqueConstraint(fields=["round", "scheme", "kind"], name="frame_line_once"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_LINE), name="frame_line_capped"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind} {self.scheme_id}: {self.amount}"

    @classmethod
    def put(cls, *, round: Any, scheme: Any, kind: str, amount: int, by: Any, reason: str = "") -> FrameLine:
        """The round's line of this kind for the scheme set to `amount`, with its event (none if unchanged)."""
        if kind not in cls.Kind.values:
            raise ValidationError(gettext("Unknown choice."))
        if not isinstance(amount, int) or not 0 <= amount <= MAX_LINE:
            raise ValidationError(
                gettext("An amount is whole kroner from 0 to %(max)s.") % {"max": "1 000 000 000 000"}
            )
        reason = clean_text(reason, limit=REASON_MAX)
        with transaction.atomic():
            line, created = cls.objects.select_for_update().get_or_create(round=round, scheme=scheme, kind=kind)
            old = None if created else line.amount
            if old == amount:
                return line
            line.amount = amount
            line.save(update_fields=["amount"])
            FrameLineEvent.objects.create(
                line=line, old=old, new=amount, reason=reason, actor=by if getattr(by, "pk", None) else None
            )
        return line


class FrameLineEvent(AppendOnly):
    """A change of a frame line: its amount before (None: new) and after."""

    record_name = "frame line event"

    line = models.ForeignKey(FrameLine, on_delete=models.PROTECT, related_name="events", verbose_name=_("frame line"))
    old = models.PositiveBigIntegerField(_("old amount"), null=True, blank=True)
    new = models.PositiveBigIntegerField(_("new amount"))
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
        ordering = ["line", "at", "pk"]
        verbose_name = _("frame line event")
        verbose_name_plural = _("frame line events")

    def __str__(self) -> str:
        return f"{self.line_id}: {self.old} → {self.new}"
