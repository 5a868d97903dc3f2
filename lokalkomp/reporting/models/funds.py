"""Reports on the use of funds (rapportering): one per partnership and round that has decisions.

The report's lines are the partnership's decided measures, with the granted amounts copied from the
allocation's decision lines (the records, never the live needs report). A line says what was used, by
owner and UH; what is unused is derived (granted − used, never stored). The status changes only through
the transition methods, each writing a `FundsReportEvent`; a submission writes a `FundsReportVersion`,
the record of what was submitted, so a later edit after a return makes a new version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lokalkomp.allocation.models import Decision, DecisionLine
from lokalkomp.allocation.models.records import AppendOnly
from lokalkomp.needs.models import as_text  # the change records' one text form of a value

if TYPE_CHECKING:
    from lokalkomp.needs.models import Partnership
    from lokalkomp.schemes.models import Round

# The longest text in one field (the database does not check a TextField's length; the form does).
FUNDS_TEXT = 10_000
# The largest amount the form takes: far above any grant, far below PostgreSQL's bigint.
MAX_AMOUNT = 1_000_000_000_000
# Schemes whose reports also tell the results (utbytte) for children, pupils and staff (from 2026).
RESULT_FAMILIES = ("kollektiv",)


class FundsTransitionError(Exception):
    """A step of the report that is not allowed now; the message says why, in the user's language."""


@dataclass(frozen=True)
class Problem:
    """One failed check: where (line pk or None for the whole report, field) and what is wrong."""

    line: int | None
    field: str
    message: str


_MISSING = object()


class FundsReportQuerySet(models.QuerySet["FundsReport"]):
    def with_deadlines(self) -> FundsReportQuerySet:
        """Each report's reporting deadline as `due_on_annotated` (read through `FundsReport.due_on`)."""
        from lokalkomp.schemes.models import Milestone, Transition

        due = Milestone.objects.filter(governs=Transition.REPORTS_DUE).order_by("starts_on").values("starts_on")
        next_year = due.filter(round__office=OuterRef("round__office"), round__year=OuterRef("round__year") + 1)[:1]
        own = due.filter(round=OuterRef("round"))[:1]
        return self.annotate(due_on_annotated=Coalesce(Subquery(next_year), Subquery(own)))

    def for_user(self, user: Any) -> FundsReportQuerySet:
        """The reports of partnerships where the user is a contact (owner or UH side): the ones they write."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(partnership__participants__contacts__user=user).distinct()

    def in_round(self, round: Round) -> FundsReportQuerySet:
        return self.filter(round=round)

    def awaiting(self) -> FundsReportQuerySet:
        """Submitted and not yet accepted or returned: the Statsforvalter's to follow up."""
        return self.filter(status=FundsReport.Status.SUBMITTED)


class FundsReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for more")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE: ClassVar[tuple[str, ...]] = (Status.DRAFT, Status.RETURNED)

    partnership = models.ForeignKey(
        "needs.Partnership", on_delete=models.PROTECT, related_name="funds_reports", verbose_name=_("partnership")
    )
    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="funds_reports", verbose_name=_("round")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Goes up by one with every saved change: the autosave's compare-and-set (a stale version is a conflict).
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = FundsReportQuerySet.as_manager()

    class Meta:
        ordering = ["-round__year", "partnership__name"]
        verbose_name = _("report on the use of funds")
        verbose_name_plural = _("reports on the use of funds")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "round"], name="one_funds_report_per_partnership_round"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.round.year}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:funds_report", args=[self.pk])

    # --- creation -------------------------------------------------------------------------------------

    @classmethod
    def open_for(cls, *, partnership: Partnership, round: Round) -> FundsReport:
        """The partnership's report for the round, created with a line per decided measure if missing.

        The granted amounts come from the round's decision lines (owner, UH, and the measure's partner 2); a measure
        without a decision line has no line. Raises FundsTransitionError when nothing was decided.
        """
        existing = cls.objects.filter(partnership=partnership, round=round).first()
        if existing is not None:
            return existing
        granted = decided_amounts(partnership=partnership, round=round)
        if not granted:
            raise FundsTransitionError(gettext("The partnership has no decided measures in this round."))
        with transaction.atomic():
            report = cls.objects.create(partnership=partnership, round=round)
            FundsReportLine.objects.bulk_create(
                FundsReportLine(
                    report=report,
                    measure_id=d.measure,
                    scheme_id=d.scheme,
                    position=position,
                    name=d.name,
                    granted_owner=d.owner,
                    granted_uh=d.uh,
                    partner2_name=d.partner2_name[:300],
                    granted_partner2=d.partner2,
                )
                for position, d in enumerate(granted, start=1)
            )
        return report

    # --- reading --------------------------------------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def due_on(self) -> dt.date | None:
        """The reporting deadline: the next year's «reports due» milestone in the office (seed 004: the 2024
        cycle's 17 June is the deadline for the funds granted in 2023), else the round's own (as the decisions
        take it when the next year has no cycle yet)."""
        annotated: Any = getattr(self, "due_on_annotated", _MISSING)
        if annotated is not _MISSING:
            return annotated  # type: ignore[no-any-return]
        found: Any = FundsReport.objects.with_deadlines().filter(pk=self.pk).first()
        return found.due_on_annotated if found is not None else None  # type: ignore[no-any-return]

    def is_late(self, today: dt.date | None = None) -> bool:
        """Past the reporting deadline and not submitted (a returned report counts as not submitted)."""
        due = self.due_on
        return self.is_editable and due is not None and (today or timezone.localdate()) > due

    def line_list(self) -> list[FundsReportLine]:
        """The lines, from the prefetch where the page has one."""
        return list(self.lines.all())

    @property
    def totals(self) -> dict[str, int]:
        lines = self.line_list()
        return {
            "granted": sum(line.granted for line in lines),
            "used": sum(line.used for line in lines),
            "unused": sum(line.unused for line in lines),
            "cofinancing": sum(line.cofinancing_amount for line in lines),
        }

    def problems(self) -> list[Problem]:
        """Every check that fails; submit is refused while this list is not empty."""
        return self.problems_from(list(self.lines.select_related("scheme").order_by("position", "pk")))

    def problems_from(self, lines: list[FundsReportLine]) -> list[Problem]:
        """The checks over lines already loaded (with their schemes): no query."""
        from lokalkomp.reporting.funds_checks import report_problems

        return report_problems(lines)

    # --- answers --------------------------------------------------------------------------------------

    def save_answer(self, line: FundsReportLine, field: str, value: Any, *, version: int, by: Any) -> int | None:
        """Set one field of a line (a cleaned value) if the report is still at `version` and editable.

        A compare-and-set: returns the report's new version, or None when someone saved since or the
        report was submitted (nothing changes then). A change writes a `FundsFieldEdit`: who (`by`, None
        only for a script with no person behind it), when, old → new, the old value read with the report's
        row locked by the version's update, so saves of the report take turns and each reads the one before.
        """
        if field not in FundsReportLine.EDITABLE_FIELDS or line.report_id != self.pk:
            raise ValueError(f"{field} of line {line.pk} is not an answer of report {self.pk}.")
        with transaction.atomic():
            moved = FundsReport.objects.filter(pk=self.pk, version=version, status__in=self.EDITABLE).update(
                version=F("version") + 1
            )
            if not moved:
                return None
            lines = FundsReportLine.objects.filter(pk=line.pk)
            old = lines.values_list(field, flat=True).get()
            lines.update(**{field: value})
            if value != old:
                FundsFieldEdit.objects.create(
                    report=self, line=line, field=field, old_value=as_text(old), value=as_text(value), by=by
                )
        setattr(line, field, value)
        self.version = version + 1
        return self.version

    def answer(self, line: FundsReportLine, *, by: Any, **values: Any) -> None:
        """Set several fields of a line, one compare-and-set each from the version now (the demo, scripts)."""
        for field, value in values.items():
            self.refresh_from_db(fields=["version", "status"])
            if self.save_answer(line, field, value, version=self.version, by=by) is None:
                raise FundsTransitionError(gettext("The report is submitted and can no longer be changed."))

    # --- transitions ----------------------------------------------------------------------------------

    def _move(
        self,
        to: str,
        *,
        by: Any,
        comment: str = "",
        version: FundsReportVersion | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        at = at or timezone.now()
        before = self.status
        self.status = to
        fields = ["status"]
        if to == self.Status.SUBMITTED:
            self.submitted_at = at
            fields.append("submitted_at")
        self.save(update_fields=fields)
        FundsReportEvent.objects.create(
            report=self, at=at, actor=by, from_status=before, to_status=to, comment=comment, version=version
        )

    def submit(self, *, by: Any, at: dt.datetime | None = None) -> FundsReportVersion:
        """Submit a draft or returned report whose checks pass; keeps what was submitted as a new version."""
        with transaction.atomic():
            locked = FundsReport.objects.select_for_update().get(pk=self.pk)
            if locked.status not in self.EDITABLE:
                raise FundsTransitionError(gettext("Only a draft or a returned report can be submitted."))
            self.refresh_from_db()
            problems = self.problems()
            if problems:
                raise FundsTransitionError(
                    gettext("The report cannot be submitted yet: %(problems)s")
                    % {"problems": "; ".join(p.message for p in problems)}
                )
            number = self.versions.count() + 1
            version = FundsReportVersion.objects.create(
                report=self, number=number, submitted_by=by, submitted_at=at or timezone.now(), data=self.snapshot()
            )
            self._move(self.Status.SUBMITTED, by=by, version=version, at=at)
        return version

    def return_for_more(self, *, by: Any, comment: str, at: dt.datetime | None = None) -> None:
        """The Statsforvalter asks for more: a submitted report goes back to the partnership, with why."""
        comment = (comment or "").strip()
        if not comment:
            raise FundsTransitionError(gettext("Say what more the partnership must report."))
        with transaction.atomic():
            locked = FundsReport.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.SUBMITTED:
                raise FundsTransitionError(gettext("Only a submitted report can be returned."))
            self._move(self.Status.RETURNED, by=by, comment=comment, at=at)

    def accept(self, *, by: Any, comment: str = "", at: dt.datetime | None = None) -> None:
        """The Statsforvalter accepts a submitted report."""
        with transaction.atomic():
            locked = FundsReport.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.SUBMITTED:
                raise FundsTransitionError(gettext("Only a submitted report can be accepted."))
            self._move(self.Status.ACCEPTED, by=by, comment=comment, at=at)

    def snapshot(self) -> dict[str, Any]:
        """What the report says now, as the record of a submission keeps it."""
        return {
            "partnership": self.partnership.name,
            "round": self.round.year,
            "lines": [line.snapshot() for line in self.lines.select_related("scheme").order_by("position", "pk")],
        }

    @property
    def latest_version(self) -> FundsReportVersion | None:
        return self.versions.order_by("-number").first()


class FundsReportLine(models.Model):
    """One decided measure in the report: the money used, the co-financing, the status and the evaluation."""

    class CoFinancingForm(models.TextChoices):
        MONEY = "money", _("Money")
        SALARY = "salary", _("Salary / time off (frikjøp)")

    class UnusedProposal(models.TextChoices):
        RETURN = "return", _("Pay back")
        TRANSFER = "transfer", _("Transfer to next year (with the Statsforvalter's consent)")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        CONTINUED = "continued", _("Continued")
        STOPPED = "stopped", _("Stopped")

    EVALUATION_FIELDS: ClassVar[tuple[str, ...]] = ("anchoring", "fragmentation", "school_based", "pupil_voice")
    """The four central questions, every scheme."""
    RESULT_FIELDS: ClassVar[tuple[str, ...]] = ("results_children", "results_pupils", "results_staff")
    """The results (utbytte), under the 2026 scheme."""
    AMOUNT_FIELDS: ClassVar[tuple[str, ...]] = ("used_owner", "used_uh", "used_partner2", "cofinancing_amount")
    CHOICE_FIELDS: ClassVar[tuple[str, ...]] = ("cofinancing_form", "unused_proposal", "outcome")
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("stop_reason", *EVALUATION_FIELDS, *RESULT_FIELDS)
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (*AMOUNT_FIELDS, *CHOICE_FIELDS, *TEXT_FIELDS)

    report = models.ForeignKey(FundsReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report"))
    measure = models.ForeignKey(
        "needs.Measure", on_delete=models.PROTECT, related_name="funds_lines", verbose_name=_("measure")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="funds_lines", verbose_name=_("scheme")
    )
    position = models.PositiveIntegerField(_("number"), default=0)
    name = models.CharField(_("name of measure"), max_length=500)
    # Copied from the decision lines when the report is opened (the record of what was granted).
    granted_owner = models.PositiveBigIntegerField(_("granted to the owner (kr)"), default=0)
    granted_uh = models.PositiveBigIntegerField(_("granted to UH (kr)"), default=0)
    used_owner = models.PositiveBigIntegerField(_("used by the owner (kr)"), default=0)
    used_uh = models.PositiveBigIntegerField(_("used by UH (kr)"), default=0)
    # A measure's «partner 2» (outside the partnership) is a recipient of its own: its decision line is kept
    # apart from the UH's, so used + unused = granted holds per recipient (zero and not shown without one).
    partner2_name = models.CharField(_("partner 2"), max_length=300, blank=True)
    granted_partner2 = models.PositiveBigIntegerField(_("granted to partner 2 (kr)"), default=0)
    used_partner2 = models.PositiveBigIntegerField(_("used by partner 2 (kr)"), default=0)
    cofinancing_amount = models.PositiveBigIntegerField(_("co-financing (kr)"), default=0)
    cofinancing_form = models.CharField(
        _("form of co-financing"), max_length=20, choices=CoFinancingForm.choices, blank=True
    )
    unused_proposal = models.CharField(
        _("proposal for unused funds"), max_length=20, choices=UnusedProposal.choices, blank=True
    )
    outcome = models.CharField(_("status of the measure"), max_length=20, choices=Outcome.choices, blank=True)
    stop_reason = models.TextField(_("why the measure was stopped"), blank=True)
    anchoring = models.TextField(
        _("local anchoring"), blank=True, help_text=_("How do you ensure local anchoring of the measures?")
    )
    fragmentation = models.TextField(
        _("fragmentation"), blank=True, help_text=_("How do you prevent fragmentation of the measures?")
    )
    school_based = models.TextField(
        _("school-based approach"), blank=True, help_text=_("Do the measures have a school-based approach?")
    )
    pupil_voice = models.TextField(
        _("the pupils' voice"),
        blank=True,
        help_text=_("How is the pupils' voice heard in planning and evaluating the measures?"),
    )
    results_children = models.TextField(
        _("results for the children"), blank=True, help_text=_("What did the measure give the children?")
    )
    results_pupils = models.TextField(
        _("results for the pupils"), blank=True, help_text=_("What did the measure give the pupils?")
    )
    results_staff = models.TextField(
        _("results for the staff"), blank=True, help_text=_("What did the measure give the staff?")
    )

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure", "scheme"], name="funds_line_once_per_measure"),
            models.CheckConstraint(
                condition=Q(used_owner__lte=MAX_AMOUNT)
                & Q(used_uh__lte=MAX_AMOUNT)
                & Q(used_partner2__lte=MAX_AMOUNT)
                & Q(cofinancing_amount__lte=MAX_AMOUNT),
                name="funds_line_amounts_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def granted(self) -> int:
        return self.granted_owner + self.granted_uh + self.granted_partner2

    @property
    def used(self) -> int:
        return self.used_owner + self.used_uh + self.used_partner2

    @property
    def unused_owner(self) -> int:
        return self.granted_owner - self.used_owner

    @property
    def unused_uh(self) -> int:
        return self.granted_uh - self.used_uh

    @property
    def unused_partner2(self) -> int:
        return self.granted_partner2 - self.used_partner2

    @property
    def has_partner2(self) -> bool:
        return self.granted_partner2 > 0 or self.used_partner2 > 0

    @property
    def unused(self) -> int:
        """Derived: granted − used (used + unused = granted by construction, per measure and per recipient)."""
        return self.unused_owner + self.unused_uh + self.unused_partner2

    @property
    def asks_results(self) -> bool:
        return self.scheme.family in RESULT_FAMILIES

    def required_fields(self) -> tuple[str, ...]:
        return (*self.EVALUATION_FIELDS, *(self.RESULT_FIELDS if self.asks_results else ()))

    def snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "measure": self.measure_id,
            "scheme": self.scheme.code,
            "name": self.name,
            "granted_owner": self.granted_owner,
            "granted_uh": self.granted_uh,
            "partner2_name": self.partner2_name,
            "granted_partner2": self.granted_partner2,
        }
        data.update({f: getattr(self, f) for f in self.EDITABLE_FIELDS})
        return data


class Decided(NamedTuple):
    """A decided measure's granted amounts per recipient, as the round's decision lines have them."""

    measure: int
    scheme: int
    name: str
    owner: int
    uh: int
    partner2: int
    partner2_name: str


def decided_amounts(*, partnership: Partnership, round: Round) -> list[Decided]:
    """The granted amounts per decided measure of the partnership in the round: to the owner, to the UH, and to
    the measure's partner 2 (the decision line whose recipient is the measure's `second_partner`)."""
    rows = (
        DecisionLine.objects.filter(decision__round=round, measure__report__partnership=partnership)
        .values_list(
            "measure_id",
            "scheme_id",
            "measure__name",
            "decision__side",
            "decision__recipient_id",
            "decision__recipient_name",
            "measure__second_partner_id",
            "amount",
        )
        .order_by("measure__position", "measure_id", "pk")
    )
    merged: dict[tuple[int, int], dict[str, Any]] = {}
    for measure_id, scheme_id, name, side, recipient, recipient_name, second, amount in rows:
        entry = merged.setdefault(
            (measure_id, scheme_id),
            {"measure": measure_id, "scheme": scheme_id, "name": name, "owner": 0, "uh": 0, "partner2": 0},
        )
        if side != Decision.Side.PARTNER:
            entry["owner"] += amount
        elif second is not None and recipient == second:
            entry["partner2"] += amount
            entry["partner2_name"] = recipient_name
        else:
            entry["uh"] += amount
    return [Decided(**{"partner2_name": "", **entry}) for entry in merged.values()]


class FundsReportVersion(AppendOnly):
    """What a report said when it was submitted (the record); one per submission."""

    record_name: ClassVar[str] = "funds report version"

    report = models.ForeignKey(FundsReport, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report"))
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    data = models.JSONField(_("what was submitted"), default=dict)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="funds_version_number_once")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class FundsFieldEdit(AppendOnly):
    """One change to an answer of an open report on the use of funds: who, when, which field, old → new.

    Written by `FundsReport.save_answer`, the one way an answer changes (the form's autosave, the demo,
    scripts). The form's conflict answer names the last person who changed the field, and when.
    """

    record_name: ClassVar[str] = "funds field edit"

    report = models.ForeignKey(FundsReport, on_delete=models.PROTECT, related_name="edits", verbose_name=_("report"))
    line = models.ForeignKey(FundsReportLine, on_delete=models.PROTECT, related_name="edits", verbose_name=_("line"))
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    value = models.TextField(_("value"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("change to an answer")
        verbose_name_plural = _("changes to answers")
        indexes = [models.Index(fields=["line", "field"], name="funds_edit_line_field")]

    def __str__(self) -> str:
        return f"{self.report} {self.line_id}:{self.field}: {self.old_value} → {self.value}"


class FundsReportEvent(AppendOnly):
    """A step of a report: who, when, from which status to which, and why."""

    record_name: ClassVar[str] = "funds report event"

    report = models.ForeignKey(FundsReport, on_delete=models.PROTECT, related_name="events", verbose_name=_("report"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=FundsReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=FundsReport.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    version = models.ForeignKey(
        FundsReportVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("version"),
    )

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"
