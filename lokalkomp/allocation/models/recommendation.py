"""The forum's recommendation (innstilling): an amount for the owner and the UH of every measure of the round.

There is one main recommendation per round. It goes from draft to preliminary (foreløpig
innstilling) to final (endelig innstilling); each step is taken at a meeting (`RecommendationStep`:
the date, those present, how it was decided) and leaves a version (`RecommendationVersion`), a
record of every line as it stood. The final one is locked: decisions are made from its version.

A what-if (`Kind.WHAT_IF`) is a named copy of the main recommendation's lines. It is edited like
the main one, compared with it, then adopted (its amounts become the main's, each change an event
with the copy's name as its reason) or discarded.

Every change of an amount is a `RecommendationEvent` (who, when, old, new, why). Two people
editing one line take turns: a change names the line's `version` it was made on, and a change made
on an older version is refused with the current line (`StaleLine`), so the second person sees the
first's change and decides.

The rules that say whether a recommendation may be final (frames, caps, co-financing, forbidden
uses, reasons, undecided lines) are in `allocation/recommendation_checks.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compilation import clean_text
from .records import AppendOnly

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round

# A recommended amount: far above any measure's, far inside the 64-bit column.
MAX_AMOUNT = 10**10
NAME_MAX = 200
REASON_MAX = 2000
NOTE_MAX = 5000


class Locked(Exception):
    """The recommendation cannot be changed now (final, adopted or discarded); the message says why."""


class StaleLine(Exception):
    """The line was changed by someone else since the person's page was made; `line` is the line as it is now."""

    def __init__(self, line: RecommendationLine) -> None:
        super().__init__(gettext("Someone else changed this line. Their amounts are shown; decide and save again."))
        self.line = line


class NotReady(Exception):
    """A step cannot be taken: `problems` says what blocks it, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_amount(value: int) -> int:
    if not isinstance(value, int) or value < 0 or value > MAX_AMOUNT:
        raise ValidationError(
            gettext("An amount is whole kroner from 0 to %(max)s.") % {"max": f"{MAX_AMOUNT:,}".replace(",", " ")}
        )
    return value


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def in_round(self, round: Round) -> RecommendationQuerySet:
        return self.filter(round=round)

    def main(self) -> RecommendationQuerySet:
        return self.filter(kind=Recommendation.Kind.MAIN)

    def what_ifs(self) -> RecommendationQuerySet:
        return self.filter(kind=Recommendation.Kind.WHAT_IF)

    def open_what_ifs(self) -> RecommendationQuerySet:
        return self.what_ifs().filter(status=Recommendation.Status.DRAFT)


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", _("Recommendation")
        WHAT_IF = "what_if", _("What-if")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PRELIMINARY = "preliminary", _("Preliminary recommendation")
        FINAL = "final", _("Final recommendation")
        ADOPTED = "adopted", _("Adopted")
        DISCARDED = "discarded", _("Discarded")

    # The steps of the main recommendation, in order; a what-if is a draft until adopted or discarded.
    STEPS: dict[str, str] = {Status.DRAFT: Status.PRELIMINARY, Status.PRELIMINARY: Status.FINAL}
    EDITABLE = (Status.DRAFT, Status.PRELIMINARY)

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAIN)
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="what_if_copies",
        verbose_name=_("copy of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "kind", "created_at", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["round"], condition=Q(kind="main"), name="one_main_recommendation"),
            models.CheckConstraint(
                condition=Q(kind="main") | (~Q(name="") & Q(based_on__isnull=False)), name="what_if_named_copy"
            ),
            models.CheckConstraint(
                condition=Q(kind="what_if", status__in=["draft", "adopted", "discarded"])
                | Q(kind="main", status__in=["draft", "preliminary", "final"]),
                name="recommendation_status_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.WHAT_IF:
            return f"{self.round} – {self.name}"
        return str(self.round)

    # ── Making one ──

    @classmethod
    def main_of(cls, round: Round, *, by: Any = None) -> Recommendation:
        """The round's main recommendation, started (with its first event) the first time it is asked for, in step
        with the round's submitted measures (`sync`)."""
        with transaction.atomic():
            recommendation, created = cls.objects.get_or_create(round=round, kind=cls.Kind.MAIN)
            if created:
                recommendation.events.create(kind=RecommendationEvent.Kind.CREATED, actor=_actor(by))
        recommendation.round = round
        if recommendation.is_editable:
            recommendation.sync()
        return recommendation

    def submitted_measures(self) -> Any:
        from lokalkomp.needs.models import Measure, NeedsReport

        return Measure.objects.filter(report__round_id=self.round_id, report__status=NeedsReport.Status.SUBMITTED)

    def sync(self) -> int:
        """A line for every measure of the round's submitted reports: new ones start undecided (no amounts).

        A line is never removed: a report sent back keeps its lines (the checks name them), so no amount
        that was typed is lost. Idempotent; returns the number of lines added.
        """
        have = set(self.lines.values_list("measure_id", flat=True))
        new = [
            RecommendationLine(recommendation=self, measure_id=pk)
            for pk in self.submitted_measures().values_list("pk", flat=True)
            if pk not in have
        ]
        RecommendationLine.objects.bulk_create(new, ignore_conflicts=True)
        return len(new)

    # ── State ──

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE if self.kind == self.Kind.MAIN else self.status == self.Status.DRAFT

    def why_locked(self) -> str:
        if self.status == self.Status.FINAL:
            return gettext("The recommendation is final and cannot be changed.")
        if self.status == self.Status.ADOPTED:
            return gettext("This what-if has been adopted and cannot be changed.")
        if self.status == self.Status.DISCARDED:
            return gettext("This what-if has been discarded and cannot be changed.")
        return ""

    def _lock(self) -> Recommendation:
        """Lock the row and refresh the status (in a transaction); Locked if it may not be changed."""
        self.status = Recommendation.objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        if not self.is_editable:
            raise Locked(self.why_locked())
        return self

    def ordered_lines(self) -> list[RecommendationLine]:
        return list(
            self.lines.select_related(
                "measure__scheme", "measure__report__partnership__network", "updated_by"
            ).order_by("measure__scheme__code", "measure__report__partnership__network__name", "measure_id")
        )

    def blocking_problems(self) -> list[str]:
        """What blocks the final step, in the user's language (empty: it may be final)."""
        from ..recommendation_checks import blocking_problems

        return blocking_problems(self)

    # ── Steps (each at a meeting, each a version) ──

    def advance(
        self,
        *,
        to: str,
        by: Any,
        meeting_date: dt.date,
        present: list[dict[str, Any]],
        decided_how: str,
        votes_for: int | None = None,
        votes_against: int | None = None,
        votes_blank: int | None = None,
        note: str = "",
        now: dt.datetime | None = None,
    ) -> RecommendationVersion:
        """Take the next step (`to`: preliminary or final) with its meeting record; returns the new version.

        `present` is the meeting's attendance as the record keeps it ({"seat", "organisation", "person",
        "role", "votes"} per seat, from the forum's seats). The final step is refused while any
        problem blocks it (`NotReady`).
        """
        if self.kind != self.Kind.MAIN:
            raise Locked(gettext("Only the recommendation itself is made preliminary or final."))
        note = clean_text(note, limit=NOTE_MAX)
        step = RecommendationStep.check_decision(decided_how, votes_for, votes_against, votes_blank)
        with transaction.atomic():
            self._lock()
            if self.STEPS.get(self.status) != to:
                raise Locked(
                    gettext("A recommendation that is «%(status)s» cannot be made «%(to)s».")
                    % {"status": self.get_status_display(), "to": self.Status(to).label}
                )
            if to == self.Status.FINAL:
                problems = self.blocking_problems()
                if problems:
                    raise NotReady(problems)
            old, self.status = self.status, to
            self.save(update_fields=["status"])
            at = now or timezone.now()
            number = self.versions.count() + 1
            made = RecommendationStep.objects.create(
                recommendation=self,
                number=number,
                from_status=old,
                to_status=to,
                meeting_date=meeting_date,
                present=present,
                actor=_actor(by),
                at=at,
                note=note,
                **step,
            )
            from ..recommendation_record import snapshot

            version = RecommendationVersion.objects.create(
                recommendation=self,
                number=number,
                step=made,
                status=to,
                made_at=at,
                made_by=_actor(by),
                data=snapshot(self, made),
            )
            self.events.create(kind=RecommendationEvent.Kind.STEP, actor=_actor(by), old=old, new=to, at=at)
        return version

    # ── What-ifs ──

    def copy(self, name: str, *, by: Any) -> Recommendation:
        """A named what-if with this recommendation's lines (amounts and reasons)."""
        name = clean_text(name, limit=NAME_MAX, required=True, label=gettext("a name"))
        with transaction.atomic():
            what_if = Recommendation.objects.create(
                round_id=self.round_id,
                kind=self.Kind.WHAT_IF,
                name=name,
                based_on=self.main if self.kind == self.Kind.WHAT_IF else self,
                created_by=_actor(by),
            )
            RecommendationLine.objects.bulk_create(
                [
                    RecommendationLine(
                        recommendation=what_if,
                        measure_id=line.measure_id,
                        owner_amount=line.owner_amount,
                        partner_amount=line.partner_amount,
                        reason=line.reason,
                        suggested=line.suggested,
                    )
                    for line in self.lines.all()
                ]
            )
            what_if.events.create(kind=RecommendationEvent.Kind.CREATED, actor=_actor(by), new=str(self.pk))
        return what_if

    @property
    def main(self) -> Recommendation:
        """The main recommendation this belongs to (itself, or the one a what-if was copied from)."""
        recommendation = self
        while recommendation.based_on_id is not None:
            recommendation = recommendation.based_on  # type: ignore[assignment]
        return recommendation

    def adopt(self, *, by: Any) -> int:
        """Make this what-if's amounts the main recommendation's: each changed line an event there, with this
        what-if's name as its reason. Returns the number of lines changed."""
        if self.kind != self.Kind.WHAT_IF:
            raise Locked(gettext("Only a what-if can be adopted."))
        main = self.main
        reason = gettext("Adopted from the what-if «%(name)s»") % {"name": self.name}
        changed = 0
        with transaction.atomic():
            self._lock()
            main._lock()
            main.sync()
            theirs = {line.measure_id: line for line in self.lines.all()}
            for line in main.lines.select_for_update():
                copy = theirs.get(line.measure_id)
                if copy is None:
                    continue
                if line._apply(copy.owner_amount, copy.partner_amount, copy.reason or line.reason, by=by, why=reason):
                    changed += 1
            self.status = self.Status.ADOPTED
            self.save(update_fields=["status"])
            self.events.create(kind=RecommendationEvent.Kind.ADOPTED, actor=_actor(by), new=str(changed))
        return changed

    def discard(self, *, by: Any) -> None:
        if self.kind != self.Kind.WHAT_IF:
            raise Locked(gettext("Only a what-if can be discarded."))
        with transaction.atomic():
            self._lock()
            self.status = self.Status.DISCARDED
            self.save(update_fields=["status"])
            self.events.create(kind=RecommendationEvent.Kind.DISCARDED, actor=_actor(by))


class RecommendationLine(models.Model):
    """One measure's recommended amounts. None: not yet decided (0 is a decision: nothing)."""

    class Preset(models.TextChoices):
        AS_ASKED = "as_asked", _("As asked")
        ZERO = "zero", _("0")
        MINUS_10 = "minus_10", _("−10 %")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="lines", verbose_name=_("recommendation")
    )
    measure = models.ForeignKey(
        "needs.Measure", on_delete=models.PROTECT, related_name="recommendation_lines", verbose_name=_("measure")
    )
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), null=True, blank=True)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), null=True, blank=True)
    reason = models.TextField(_("justification"), max_length=REASON_MAX, blank=True)
    # Set by «fill within the frames by priority», cleared when a person sets the amounts.
    suggested = models.BooleanField(_("suggested"), default=False)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "measure"]
        verbose_name = _("recommended measure")
        verbose_name_plural = _("recommended measures")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "measure"], name="measure_once_per_recommendation"),
            models.CheckConstraint(
                condition=(Q(owner_amount__isnull=True) | Q(owner_amount__lte=MAX_AMOUNT))
                & (Q(partner_amount__isnull=True) | Q(partner_amount__lte=MAX_AMOUNT)),
                name="recommended_amount_capped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.measure_id}"

    @property
    def is_decided(self) -> bool:
        return self.owner_amount is not None and self.partner_amount is not None

    @property
    def total(self) -> int:
        return (self.owner_amount or 0) + (self.partner_amount or 0)

    @property
    def asked_total(self) -> int:
        return self.measure.owner_amount + self.measure.partner_amount

    @property
    def differs_from_asked(self) -> bool:
        return self.is_decided and (self.owner_amount, self.partner_amount) != (
            self.measure.owner_amount,
            self.measure.partner_amount,
        )

    def preset_amounts(self, preset: str) -> tuple[int, int]:
        """The amounts a preset gives: as asked, nothing, or 10 % less than asked (rounded down to whole kroner)."""
        owner, partner = self.measure.owner_amount, self.measure.partner_amount
        if preset == self.Preset.AS_ASKED:
            return owner, partner
        if preset == self.Preset.ZERO:
            return 0, 0
        if preset == self.Preset.MINUS_10:
            return owner * 9 // 10, partner * 9 // 10
        raise ValidationError(gettext("Unknown choice."))

    def set(
        self,
        owner_amount: int | None,
        partner_amount: int | None,
        *,
        base: int,
        by: Any,
        reason: str | None = None,
        suggested: bool = False,
    ) -> bool:
        """Set the amounts (and the justification, when given), made on the line's version `base`.

        StaleLine if the line has changed since `base`; Locked if the recommendation may not be
        changed. Each changed field is an event. Returns whether anything changed.
        """
        for value in (owner_amount, partner_amount):
            if value is not None:
                check_amount(value)
        if reason is not None:
            reason = clean_text(reason, limit=REASON_MAX)
        with transaction.atomic():
            self.recommendation._lock()
            current = RecommendationLine.objects.select_for_update().select_related("measure").get(pk=self.pk)
            if current.version != base:
                raise StaleLine(current)
            current.recommendation = self.recommendation  # locked just now: its events need only its key
            changed = current._apply(
                owner_amount,
                partner_amount,
                current.reason if reason is None else reason,
                by=by,
                why=reason if reason is not None else current.reason,
                suggested=suggested,
            )
            self.__dict__.update({k: v for k, v in current.__dict__.items() if not k.startswith("_")})
            if changed:
                self.updated_by = current.updated_by  # the person already at hand, not read again
        return changed

    def _apply(
        self,
        owner_amount: int | None,
        partner_amount: int | None,
        reason: str,
        *,
        by: Any,
        why: str,
        suggested: bool = False,
    ) -> bool:
        """Write the new values on a locked line, an event per changed field; bump the version."""
        changes = [
            (name, getattr(self, name), value)
            for name, value in (("owner_amount", owner_amount), ("partner_amount", partner_amount), ("reason", reason))
            if getattr(self, name) != value
        ]
        if not changes and self.suggested == suggested:
            return False
        now = timezone.now()
        for name, old, new in changes:
            setattr(self, name, new)
            self.recommendation.events.create(
                line=self,
                kind=RecommendationEvent.Kind.SUGGESTED if suggested else RecommendationEvent.Kind.CHANGED,
                field=name,
                old="" if old is None else str(old),
                new="" if new is None else str(new),
                reason="" if name == "reason" else why,
                actor=_actor(by),
                at=now,
            )
        self.suggested = suggested
        self.version += 1
        self.updated_by, self.updated_at = _actor(by), now
        self.save(
            update_fields=[
                "owner_amount",
                "partner_amount",
                "reason",
                "suggested",
                "version",
                "updated_by",
                "updated_at",
            ]
        )
        return True

    @classmethod
    def apply_many(
        cls,
        changes: list[tuple[RecommendationLine, int, int]],
        *,
        by: Any,
        why: str,
        suggested: bool = True,
        reason: str | None = None,
    ) -> int:
        """`_apply` for many lines at once (the fill by priority): an event per changed amount, each changed
        line's version bumped, in a few queries. The caller holds the recommendation's and the lines' locks
        (in a transaction) and has checked the amounts. With `reason`, it becomes every line's justification
        too (an event where it changes). Returns the number of lines changed."""
        now, actor = timezone.now(), _actor(by)
        if reason is not None:
            reason = clean_text(reason, limit=REASON_MAX)
        events: list[RecommendationEvent] = []
        written: list[RecommendationLine] = []
        for line, owner_amount, partner_amount in changes:
            check_amount(owner_amount)
            check_amount(partner_amount)
            values: list[tuple[str, int | str]] = [("owner_amount", owner_amount), ("partner_amount", partner_amount)]
            if reason is not None:
                values.append(("reason", reason))
            fields = [(name, getattr(line, name), value) for name, value in values if getattr(line, name) != value]
            if not fields and line.suggested == suggested:
                continue
            for name, old, new in fields:
                setattr(line, name, new)
                events.append(
                    RecommendationEvent(
                        recommendation_id=line.recommendation_id,
                        line=line,
                        kind=RecommendationEvent.Kind.SUGGESTED if suggested else RecommendationEvent.Kind.CHANGED,
                        field=name,
                        old="" if old is None else str(old),
                        new=str(new),
                        reason="" if name == "reason" else why,
                        actor=actor,
                        at=now,
                    )
                )
            line.suggested = suggested
            line.version += 1
            line.updated_by, line.updated_at = actor, now
            written.append(line)
        # One UPDATE per pair of amounts (bulk_update's CASE grows with the square of the lines on SQLite).
        by_amounts: dict[tuple[int | None, int | None], list[int]] = {}
        for line in written:
            by_amounts.setdefault((line.owner_amount, line.partner_amount), []).append(line.pk)
        justified = {} if reason is None else {"reason": reason}
        for (owner_new, partner_new), pks in by_amounts.items():
            RecommendationLine.objects.filter(pk__in=pks).update(
                owner_amount=owner_new,
                partner_amount=partner_new,
                suggested=suggested,
                version=models.F("version") + 1,
                updated_by=actor,
                updated_at=now,
                **justified,
            )
        RecommendationEvent.objects.bulk_create(events, batch_size=500)
        return len(written)


class RecommendationEvent(models.Model):
    """Append-only: every change to a recommendation (an amount, a justification, a step, a what-if)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Started")
        CHANGED = "changed", _("Changed")
        SUGGESTED = "suggested", _("Suggested (fill by priority)")
        STEP = "step", _("Step taken")
        ADOPTED = "adopted", _("What-if adopted")
        DISCARDED = "discarded", _("What-if discarded")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="events", verbose_name=_("recommendation")
    )
    line = models.ForeignKey(
        RecommendationLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("line"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("field"), max_length=40, blank=True)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("why"), blank=True)
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
        ordering = ["recommendation", "at", "pk"]
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.kind}"


class RecommendationStep(AppendOnly):
    """A step of the recommendation taken at a meeting: when, who was there, and how it was decided."""

    record_name = "meeting record"

    class DecidedHow(models.TextChoices):
        CONSENSUS = "consensus", _("By consensus")
        VOTE = "vote", _("By vote")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="steps", verbose_name=_("recommendation")
    )
    number = models.PositiveIntegerField(_("number"))
    from_status = models.CharField(_("from"), max_length=20, choices=Recommendation.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Recommendation.Status.choices)
    meeting_date = models.DateField(_("meeting date"))
    # The seats present as they were on the day: [{"seat", "organisation", "person", "role", "votes"}].
    present = models.JSONField(_("present"), default=list)
    decided_how = models.CharField(_("decided"), max_length=20, choices=DecidedHow.choices)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_blank = models.PositiveSmallIntegerField(_("blank votes"), null=True, blank=True)
    note = models.TextField(_("minutes"), max_length=NOTE_MAX, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["recommendation", "number"]
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="step_number_once"),
            models.CheckConstraint(
                condition=Q(decided_how="consensus", votes_for__isnull=True, votes_against__isnull=True)
                | Q(decided_how="vote", votes_for__isnull=False, votes_against__isnull=False),
                name="vote_has_a_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.to_status} {self.meeting_date}"

    @staticmethod
    def check_decision(
        decided_how: str, votes_for: int | None, votes_against: int | None, votes_blank: int | None
    ) -> dict[str, Any]:
        """The decision's fields as stored; ValidationError in the user's language if they do not fit."""
        if decided_how == RecommendationStep.DecidedHow.CONSENSUS:
            return {"decided_how": decided_how, "votes_for": None, "votes_against": None, "votes_blank": None}
        if decided_how != RecommendationStep.DecidedHow.VOTE:
            raise ValidationError(gettext("Say whether it was decided by consensus or by vote."))
        if votes_for is None or votes_against is None:
            raise ValidationError(gettext("A vote needs the number of votes for and against (0 to 1000)."))
        if any(n < 0 or n > 1000 for n in (votes_for, votes_against, votes_blank or 0)):
            raise ValidationError(gettext("A vote needs the number of votes for and against (0 to 1000)."))
        return {
            "decided_how": decided_how,
            "votes_for": votes_for,
            "votes_against": votes_against,
            "votes_blank": votes_blank,
        }


class RecommendationVersion(AppendOnly):
    """The recommendation as it stood at a step: every line, the frames and the meeting, kept as they were.

    `data` is filled by `allocation/recommendation_record.py` (see `lines`), which reads it too.
    Decisions are made from the final version, never from the live lines.
    """

    record_name = "recommendation version"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="versions", verbose_name=_("recommendation")
    )
    number = models.PositiveIntegerField(_("version"))
    step = models.OneToOneField(
        RecommendationStep, on_delete=models.PROTECT, related_name="version", verbose_name=_("meeting record")
    )
    status = models.CharField(_("status"), max_length=20, choices=Recommendation.Status.choices)
    made_at = models.DateTimeField(_("made"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    data = models.JSONField(_("the recommendation as it stood"))

    class Meta:
        ordering = ["recommendation", "number"]
        verbose_name = _("recommendation version")
        verbose_name_plural = _("recommendation versions")
        constraints = [models.UniqueConstraint(fields=["recommendation", "number"], name="recommendation_version_once")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} v{self.number}"
