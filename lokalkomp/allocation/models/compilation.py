"""The network's compilation (sammenstilt behovsmelding): its measures in priority order, per scheme.

A compilation is a draft until the coordinator delivers it to the forum; a delivery is a record
(`CompilationVersion`) that never changes. After the deadline that governs `network_compilation` a
draft is locked, and a delivered compilation is locked at once, unless the Statsforvalter reopens it;
delivering again makes a new version.

The list holds the measures of the network's partnerships' *submitted* reports of the round. It is
brought up to date lazily (`sync`, when the page is opened): a new submission joins at the end of its
scheme; a report sent back keeps its place in the list but is not delivered until it is submitted again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lokalkomp.directory.models import Network
    from lokalkomp.needs.models import MeasureQuerySet
    from lokalkomp.schemes.models import Round

COMMENT_MAX = 5000
REASON_MAX = 2000
NOTE_MAX = 2000  # the Statsforvalter's comment on a reopening


class Locked(Exception):
    """The compilation cannot be changed now (delivered, or past its deadline); the message says why."""


class Conflict(Exception):
    """Someone else changed the compilation since the person's page was made (compare-and-set failed)."""

    def __init__(self, message: str, *, theirs: str = "") -> None:
        super().__init__(message)
        self.theirs = theirs


def clean_text(value: str, *, limit: int, required: bool = False, label: str = "") -> str:
    """A text as stored: no NUL bytes (PostgreSQL stores none), Windows line breaks made plain, at most `limit`."""
    if "\x00" in value:
        raise ValidationError(gettext("The text contains a character that cannot be stored (NUL). Remove it."))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise ValidationError(gettext("Write %(what)s.") % {"what": label})
    if len(text) > limit:
        raise ValidationError(
            gettext("At most %(limit)s characters (this is %(n)s).") % {"limit": limit, "n": len(text)}
        )
    return text


class CompilationQuerySet(models.QuerySet["Compilation"]):
    def in_round(self, round: Round) -> CompilationQuerySet:
        return self.filter(round=round)

    def delivered(self) -> CompilationQuerySet:
        """Compilations with at least one delivered version (a reopened one keeps its versions)."""
        return self.filter(Exists(CompilationVersion.objects.filter(compilation=OuterRef("pk"))))

    def with_latest(self) -> CompilationQuerySet:
        """Annotate `last_number` and `last_delivered_at` of the latest delivered version (None if none)."""
        return self.annotate(last_number=Max("versions__number"), last_delivered_at=Max("versions__delivered_at"))


class Compilation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being compiled")
        DELIVERED = "delivered", _("Delivered to the forum")

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="compilations", verbose_name=_("round")
    )
    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="compilations", verbose_name=_("network")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("the network's comment"), max_length=COMMENT_MAX, blank=True)
    reopened = models.BooleanField(
        _("reopened after the deadline"), default=False, help_text=_("Set by the Statsforvalter.")
    )
    # Compare-and-set token of the list: every change to it (order, marks, new measures, delivery,
    # reopening) bumps it, so two coordinators never overwrite each other. The comment is compared by
    # its own text instead, so that typing it never clashes with someone moving a measure.
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CompilationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "network__name"]
        verbose_name = _("compilation")
        verbose_name_plural = _("compilations")
        constraints = [
            models.UniqueConstraint(fields=["round", "network"], name="one_compilation_per_network_and_round"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.round.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        kwargs = {"office": self.network.office.slug, "network": self.network.slug, "year": self.round.year}
        return reverse("allocation:compilation", kwargs=kwargs)

    @classmethod
    def of(cls, round: Round, network: Network, *, by: Any = None) -> Compilation:
        """The network's compilation of the round, started (with its first event) the first time it is asked for."""
        with transaction.atomic():
            compilation, created = cls.objects.get_or_create(round=round, network=network)
            if created:
                compilation.events.create(kind=CompilationEvent.Kind.CREATED, actor=_actor(by))
        compilation.round, compilation.network = round, network
        return compilation

    # ── State ──

    def deadline_open(self, now: dt.datetime | None = None) -> bool:
        from lokalkomp.schemes.models import Transition

        return self.round.is_open_for(Transition.NETWORK_COMPILATION, now)

    def is_editable(self, now: dt.datetime | None = None) -> bool:
        """A draft can be changed until the deadline, or after it when the Statsforvalter has reopened it."""
        return self.status == self.Status.DRAFT and (self.reopened or self.deadline_open(now))

    def why_locked(self, now: dt.datetime | None = None) -> str:
        """Why the compilation cannot be changed, in the user's language; empty while it can."""
        from lokalkomp.schemes.models import Transition

        if self.is_editable(now):
            return ""
        if self.status == self.Status.DELIVERED:
            return gettext(
                "The compilation has been delivered to the forum and is locked. The Statsforvalter can reopen it."
            )
        return (
            self.round.why_closed(Transition.NETWORK_COMPILATION, now)
            + " "
            + gettext("The compilation is locked. The Statsforvalter can reopen it.")
        )

    def may_be_reopened(self, now: dt.datetime | None = None) -> bool:
        """Delivered, or a draft locked by the deadline: the Statsforvalter may open it again."""
        if self.status == self.Status.DELIVERED:
            return True
        return not self.reopened and not self.deadline_open(now)

    # ── The list ──

    def submitted_measures(self) -> MeasureQuerySet:
        """The measures of the network's partnerships' submitted reports of the round."""
        from lokalkomp.needs.models import Measure, NeedsReport

        return Measure.objects.filter(
            report__round_id=self.round_id,
            report__partnership__network_id=self.network_id,
            report__status=NeedsReport.Status.SUBMITTED,
        )

    def out_of_date(self, entries: list[CompilationEntry]) -> bool:
        """Whether `sync` would change anything, given the entries as loaded (with measure→report→partnership).

        One query: the ids of the submitted measures.
        """
        listed = {e.measure_id for e in entries}
        if set(self.submitted_measures().values_list("pk", flat=True)) - listed:
            return True
        return any(not self._belongs(e) for e in entries)

    def _belongs(self, entry: CompilationEntry) -> bool:
        report = entry.measure.report
        return report.round_id == self.round_id and report.partnership.network_id == self.network_id

    def sync(self) -> int:
        """Bring the list up to date: new submitted measures join at the end of their scheme (in the order their
        reports were submitted); measures no longer of the network's reports of the round leave it.
        Idempotent; returns the number of changes.

        A report sent back keeps its measures in the list (shown greyed, not delivered) until it is
        submitted again. In one transaction, with the compilation's row locked.
        """
        from lokalkomp.needs.models import Measure, NeedsReport

        with transaction.atomic():
            locked = Compilation.objects.select_for_update(of=("self",)).filter(pk=self.pk)
            self.version = locked.values_list("version", flat=True).get()
            listed = dict(self.entries.values_list("measure_id", "position"))
            # Every measure of the network's reports of the round, in one query: which belong, which are new.
            measures = (
                Measure.objects.filter(report__round_id=self.round_id, report__partnership__network_id=self.network_id)
                .annotate(lk_submitted=Max("report__versions__submitted_at"))
                .values_list("pk", "report__status", "lk_submitted", "report_id", "position")
            )
            belonging, new = set(), []
            for pk, status, submitted, report, position in measures:
                belonging.add(pk)
                if status == NeedsReport.Status.SUBMITTED and pk not in listed:
                    # in the order the reports were (last) submitted, each report's measures in its own order
                    new.append((submitted or timezone.now(), report, position, pk))
            stale = set(listed) - belonging
            top = max(listed.values(), default=0)
            rows = [
                CompilationEntry(compilation=self, measure_id=key[-1], position=top + n)
                for n, key in enumerate(sorted(new), start=1)
            ]
            if stale:
                self.entries.filter(measure_id__in=stale).delete()
            if rows:
                CompilationEntry.objects.bulk_create(rows, ignore_conflicts=True)
            changes = len(stale) + len(rows)
            if changes:
                self._bump()
        return changes

    def ordered_entries(self) -> list[CompilationEntry]:
        """The entries with what the list shows (measure, scheme, report, partnership and its participants)."""
        from django.db.models import Prefetch

        from lokalkomp.needs.models import Participant

        participants = Participant.objects.select_related("organisation")
        return list(
            self.entries.select_related("measure__scheme", "measure__report__partnership")
            .prefetch_related(Prefetch("measure__report__partnership__participants", queryset=participants))
            .order_by("position", "pk")
        )

    # ── Changes (each one an event; compare-and-set on `version`) ──

    def _lock_for_change(self, expected_version: int | None, now: dt.datetime | None = None) -> Compilation:
        """The row locked for this transaction; Locked if it cannot be changed, Conflict if it changed meanwhile.

        Only the compilation's own row is locked (never its round's); the deadline is read from the
        round this object was loaded with.
        """
        current = Compilation.objects.select_for_update(of=("self",)).get(pk=self.pk)
        current.round = self.round
        if not current.is_editable(now):
            raise Locked(current.why_locked(now))
        if expected_version is not None and current.version != expected_version:
            raise Conflict(
                gettext("Someone else changed the compilation while you had it open. Here is the list as it is now.")
            )
        self.status, self.reopened, self.version, self.comment = (
            current.status,
            current.reopened,
            current.version,
            current.comment,
        )
        return current

    def _bump(self, **fields: Any) -> None:
        """A new edit version (and `fields`), in the database and on this object (which `_lock_for_change` read)."""
        Compilation.objects.filter(pk=self.pk).update(version=F("version") + 1, **fields)
        self.version += 1
        for name, value in fields.items():
            setattr(self, name, value)

    def _scheme_group(self, entry: CompilationEntry) -> list[CompilationEntry]:
        return list(
            self.entries.filter(measure__scheme_id=entry.measure.scheme_id)
            .select_related("measure")
            .order_by("position", "pk")
        )

    def place(
        self,
        entry: CompilationEntry,
        place: int | None = None,
        *,
        step: int = 0,
        expected_version: int | None,
        by: Any,
        now: dt.datetime | None = None,
    ) -> tuple[int, int]:
        """Put a measure at `place` (1 is first) in its scheme's list, or `step` places further down (-1: up).
        Out-of-range places go to the end they are nearest. Returns its new place and the list's length."""
        with transaction.atomic():
            self._lock_for_change(expected_version, now)
            group = self._scheme_group(entry)
            ids = [e.pk for e in group]
            if entry.pk not in ids:
                raise Conflict(gettext("The measure is no longer in the list."))
            old = ids.index(entry.pk) + 1
            new = min(max(old + step if place is None else place, 1), len(group))
            if new == old:
                return new, len(group)
            moving = group.pop(old - 1)
            group.insert(new - 1, moving)
            positions = sorted(e.position for e in group)
            if len(set(positions)) < len(positions):  # never expected; make them distinct and keep the order
                positions = list(range(positions[0], positions[0] + len(positions)))
            for e, position in zip(group, positions, strict=True):
                e.position = position
            CompilationEntry.objects.bulk_update(group, ["position"])
            self.events.create(
                kind=CompilationEvent.Kind.ORDERED,
                actor=_actor(by),
                old_value=str(old),
                new_value=str(new),
                note=moving.measure.name,
            )
            self._bump()
        return new, len(group)

    def move(
        self,
        entry: CompilationEntry,
        *,
        up: bool,
        expected_version: int | None,
        by: Any,
        now: dt.datetime | None = None,
    ) -> tuple[int, int]:
        """One place up or down in its scheme's list (the keyboard's way); returns its new place and the list's length."""
        return self.place(entry, step=-1 if up else 1, expected_version=expected_version, by=by, now=now)

    def mark(
        self,
        entry: CompilationEntry,
        *,
        recommended: bool,
        reason: str = "",
        expected_version: int | None,
        by: Any,
        now: dt.datetime | None = None,
    ) -> None:
        """Recommend a measure, or mark it as not recommended by the network (a reason is required)."""
        reason = "" if recommended else clean_text(reason, limit=REASON_MAX, required=True, label=gettext("why"))
        with transaction.atomic():
            self._lock_for_change(expected_version, now)
            row = CompilationEntry.objects.select_for_update(of=("self",)).select_related("measure").get(pk=entry.pk)
            if (row.recommended, row.reason) == (recommended, reason):
                return
            self.events.create(
                kind=CompilationEvent.Kind.MARKED,
                actor=_actor(by),
                old_value=row.mark_text(),
                new_value=CompilationEntry(recommended=recommended, reason=reason).mark_text(),
                note=row.measure.name,
            )
            CompilationEntry.objects.filter(pk=row.pk).update(recommended=recommended, reason=reason)
            self._bump()
        entry.recommended, entry.reason = recommended, reason

    def set_comment(self, text: str, *, base: str, by: Any, now: dt.datetime | None = None) -> bool:
        """Save the network's comment if it still reads `base` (what the person started from); else Conflict
        with the text someone else saved. Returns whether it changed."""
        text = clean_text(text, limit=COMMENT_MAX)
        base = base.replace("\r\n", "\n").replace("\r", "\n").strip()
        with transaction.atomic():
            current = self._lock_for_change(None, now)
            if current.comment == text:
                return False
            if current.comment != base:
                raise Conflict(
                    gettext("Someone else changed the comment while you wrote. Their text is shown; yours is kept."),
                    theirs=current.comment,
                )
            Compilation.objects.filter(pk=self.pk).update(comment=text)  # the list's version stays: see `version`
            self.events.create(
                kind=CompilationEvent.Kind.COMMENTED, actor=_actor(by), old_value=current.comment, new_value=text
            )
        self.comment = text
        return True

    def deliver(self, *, by: Any, expected_version: int | None, now: dt.datetime | None = None) -> CompilationVersion:
        """Deliver the list as it is to the forum: a new version (the record), an event, and the announcement
        (the e-mail to the forum's secretariat), all in one transaction. Locks the compilation."""
        from .. import announce
        from ..compilation_record import record_data

        with transaction.atomic():
            self._lock_for_change(expected_version, now)
            if self.sync():
                raise Conflict(gettext("New measures arrived while you had the page open. Look at the list again."))
            entries = [e for e in self.ordered_entries() if e.is_included]
            if not entries:
                raise Locked(gettext("There is nothing to deliver: no submitted needs report of the network."))
            at = now or timezone.now()
            number = (self.versions.aggregate(top=Max("number"))["top"] or 0) + 1
            version = CompilationVersion.objects.create(
                compilation=self,
                number=number,
                delivered_at=at,
                delivered_by=_actor(by),
                data=record_data(self, entries, by=by, at=at, number=number),
            )
            event = self.events.create(
                kind=CompilationEvent.Kind.DELIVERED,
                actor=_actor(by),
                old_value=self.status,
                new_value=str(number),
            )
            self._bump(status=self.Status.DELIVERED, reopened=False)
            announce.announce(announce.COMPILATION_DELIVERED, compilation=self, version=version, event=event)
        return version

    def reopen(self, *, by: Any, comment: str, now: dt.datetime | None = None) -> CompilationEvent:
        """The Statsforvalter opens the compilation again (delivered, or a draft past its deadline), with why."""
        comment = clean_text(comment, limit=NOTE_MAX, required=True, label=gettext("why it is reopened"))
        with transaction.atomic():
            current = Compilation.objects.select_for_update(of=("self",)).get(pk=self.pk)
            current.round = self.round
            if not current.may_be_reopened(now):
                raise Locked(gettext("The compilation is open for changes already."))
            event = self.events.create(
                kind=CompilationEvent.Kind.REOPENED, actor=_actor(by), old_value=current.status, note=comment
            )
            self._bump(status=self.Status.DRAFT, reopened=True)
        return event


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


class CompilationEntry(models.Model):
    """One measure's place in the network's priority list of its scheme."""

    compilation = models.ForeignKey(
        Compilation, on_delete=models.CASCADE, related_name="entries", verbose_name=_("compilation")
    )
    measure = models.ForeignKey(
        "needs.Measure", on_delete=models.CASCADE, related_name="compilation_entries", verbose_name=_("measure")
    )
    position = models.PositiveIntegerField(_("priority"), default=0)
    recommended = models.BooleanField(_("recommended by the network"), default=True)
    reason = models.TextField(_("why not recommended"), max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["compilation", "position", "pk"]
        verbose_name = _("compiled measure")
        verbose_name_plural = _("compiled measures")
        constraints = [
            models.UniqueConstraint(fields=["compilation", "measure"], name="measure_once_per_compilation"),
            models.CheckConstraint(condition=Q(recommended=True) | ~Q(reason=""), name="not_recommended_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.compilation}: {self.position}"

    @property
    def is_included(self) -> bool:
        """Part of a delivery: its report is submitted (a report sent back is not, until it is submitted again)."""
        from lokalkomp.needs.models import NeedsReport

        return self.measure.report.status == NeedsReport.Status.SUBMITTED

    def mark_text(self) -> str:
        """The mark as the event record keeps it (codes, not words: the record is in no one language)."""
        return "recommended" if self.recommended else f"not_recommended: {self.reason}"


class CompilationEvent(models.Model):
    """Append-only: every change to a compilation (order, marks, comment, delivery, reopening)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Started")
        ORDERED = "ordered", _("Order changed")
        MARKED = "marked", _("Recommendation changed")
        COMMENTED = "commented", _("Comment changed")
        DELIVERED = "delivered", _("Delivered to the forum")
        REOPENED = "reopened", _("Reopened")

    compilation = models.ForeignKey(
        Compilation, on_delete=models.PROTECT, related_name="events", verbose_name=_("compilation")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    note = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["compilation", "at", "pk"]
        verbose_name = _("compilation event")
        verbose_name_plural = _("compilation events")

    def __str__(self) -> str:
        return f"{self.compilation_id}: {self.kind}"

    def summary(self) -> str:
        """What happened, in the reader's language: «“Magisk måned” from place 3 to 1»."""
        if self.kind == self.Kind.ORDERED:
            return gettext("“%(name)s” from place %(old)s to %(new)s") % {
                "name": self.note,
                "old": self.old_value,
                "new": self.new_value,
            }
        if self.kind == self.Kind.MARKED:
            recommended = self.new_value == "recommended"
            reason = self.new_value.partition(": ")[2]
            if recommended:
                return gettext("“%(name)s” recommended") % {"name": self.note}
            return gettext("“%(name)s” not recommended: %(reason)s") % {"name": self.note, "reason": reason}
        if self.kind == self.Kind.DELIVERED:
            return gettext("Version %(n)s") % {"n": self.new_value}
        if self.kind == self.Kind.COMMENTED:
            return gettext("The network's comment was changed")
        return self.note


class CompilationVersionQuerySet(models.QuerySet["CompilationVersion"]):
    """Versions are appended, never changed."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("A delivered compilation is a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A delivered compilation is a record and cannot be deleted.")


class CompilationVersion(models.Model):
    """What the network delivered to the forum, kept as it was: the list per scheme, amounts, reasons."""

    compilation = models.ForeignKey(
        Compilation, on_delete=models.PROTECT, related_name="versions", verbose_name=_("compilation")
    )
    number = models.PositiveIntegerField(_("version"))
    delivered_at = models.DateTimeField(_("delivered"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    data = models.JSONField(_("the compilation as delivered"))

    objects = CompilationVersionQuerySet.as_manager()

    class Meta:
        ordering = ["compilation", "number"]
        verbose_name = _("delivered version")
        verbose_name_plural = _("delivered versions")
        constraints = [
            models.UniqueConstraint(fields=["compilation", "number"], name="version_number_once_per_compilation")
        ]

    def __str__(self) -> str:
        return f"{self.compilation_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A delivered compilation is a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A delivered compilation is a record and cannot be deleted.")

    @property
    def record(self) -> Any:
        """What was delivered, in the shape pages, documents and e-mails read (`CompilationRecord`)."""
        from ..compilation_record import CompilationRecord

        return CompilationRecord.from_data(self.data)
