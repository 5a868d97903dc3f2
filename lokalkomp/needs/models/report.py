"""A partnership's needs report (behovsmelding) in a round: its workflow, totals and the rows that hang on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .partnership import Partnership

if TYPE_CHECKING:
    import datetime as dt

    from lokalkomp.schemes.models import Round, Scheme

    from .events import NeedsReportEvent, NeedsReportVersion


class TransitionError(Exception):
    """A workflow step that is not allowed now; the message says why, in the user's language."""


# The longest text a person may write in one field of a needs report (the form states it; autosave checks
# it; a TextField's max_length is not checked by the database). About four pages of the Word form.
LONG_TEXT = 10_000
SHORT_TEXT = 3_000
# What an import keeps of the text it could not place (the rest is cut, with a notice): two long texts. A
# longer one made the PDF slow beyond the worker's limit (480 000 characters in one paragraph: 109 s).
UNPLACED_TEXT = 20_000


@dataclass(frozen=True)
class Totals:
    """Owner, UH and total amounts in whole kroner. The total is derived, never stored."""

    owner: int = 0
    partner: int = 0

    @property
    def total(self) -> int:
        return self.owner + self.partner

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.owner + other.owner, self.partner + other.partner)


class SplitAmounts:
    """A grant split between the owner and UH (a measure, or a measure as a version recorded it)."""

    owner_amount: int
    partner_amount: int

    @property
    def totals(self) -> Totals:
        return Totals(self.owner_amount, self.partner_amount)

    @property
    def total_amount(self) -> int:
        return self.owner_amount + self.partner_amount


class NeedsReportQuerySet(models.QuerySet["NeedsReport"]):
    def in_round(self, round: Round) -> NeedsReportQuerySet:
        return self.filter(round=round)

    def submitted(self) -> NeedsReportQuerySet:
        return self.filter(status=NeedsReport.Status.SUBMITTED)

    def sent_back(self) -> NeedsReportQuerySet:
        """The reports sent back for changes (`sent_back_q`)."""
        return self.filter(sent_back_q())

    def with_reopening(self) -> NeedsReportQuerySet:
        """Annotate lk_sent_back (`sent_back_q`) and lk_reopening_id: while a report is open again, the event that
        opened it (`NeedsReportEventQuerySet.reopenings`: who, when and why), as `NeedsReport.reopening()` gives it."""
        from .events import NeedsReportEvent

        latest = NeedsReportEvent.objects.filter(report=OuterRef("pk")).reopenings().values("pk")[:1]
        return self.annotate(
            lk_sent_back=ExpressionWrapper(sent_back_q(), output_field=models.BooleanField()),
            lk_reopening_id=Case(
                When(status=NeedsReport.Status.DRAFT, reopened=True, then=Subquery(latest)),
                default=None,
                output_field=models.BigIntegerField(),
            ),
        )

    def with_totals(self, schemes: Iterable[int] = ()) -> NeedsReportQuerySet:
        """Annotate owner_total and partner_total, and owner_<id> and partner_<id> for each scheme id given.

        A submitted report's totals are what it said: its latest version's (`NeedsReportVersionTotal`); a
        draft's are its measures' now. Summed in the database, so that a list sorts and pages by them.
        """
        from .events import NeedsReportVersion, NeedsReportVersionTotal
        from .measure import Measure

        latest = NeedsReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values("pk")[:1]
        reports = self.annotate(
            lk_record=Case(
                When(status=NeedsReport.Status.SUBMITTED, then=Subquery(latest)),
                default=None,
                output_field=models.BigIntegerField(),
            )
        )

        def total(side: str, scheme: int | None = None) -> Case:
            field = f"{side}_amount"
            live = Measure.objects.filter(report=OuterRef("pk")).values("report")
            recorded = NeedsReportVersionTotal.objects.filter(version=OuterRef("lk_record")).values("version")
            if scheme is not None:
                live, recorded = live.filter(scheme_id=scheme), recorded.filter(scheme_id=scheme)
            return Case(
                When(lk_record__isnull=False, then=Coalesce(_summed(recorded, field), 0)),
                default=Coalesce(_summed(live, field), 0),
                output_field=models.BigIntegerField(),
            )

        per_scheme = {f"{side}_{pk}": total(side, pk) for pk in schemes for side in ("owner", "partner")}
        return reports.annotate(owner_total=total("owner"), partner_total=total("partner"), **per_scheme)


def _summed(rows: models.QuerySet[Any], field: str) -> Subquery:
    """The sum of a field over the rows (grouped by their one parent) as a subquery."""
    return Subquery(rows.order_by().annotate(lk_sum=Sum(field)).values("lk_sum")[:1])


def sent_back_q() -> Q:
    """A report sent back for changes («Sent back»): a draft opened again (`reopened`) that has a submitted version.

    A late draft that the network or the Statsforvalter opens after the deadline is reopened too, but it
    was never submitted: it is a draft. The work list and the network's overview read it (`with_reopening`);
    the banner above the form tells the two apart by the event `reopening()` gives (its from-status).
    """
    from .events import NeedsReportVersion

    submitted_once = Exists(NeedsReportVersion.objects.filter(report=OuterRef("pk")))
    return Q(status=NeedsReport.Status.DRAFT, reopened=True) & Q(submitted_once)


class NeedsReport(models.Model):
    """One partnership's needs report (behovsmelding) in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    UNIT_FIELDS = (
        "municipal_kindergartens",
        "private_kindergartens",
        "public_schools",
        "private_schools",
        "pp_services",
    )
    """How many units (kindergartens, schools, PP services) the report includes, in the form's order."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="reports", verbose_name=_("partnership")
    )
    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="needs_reports", verbose_name=_("round")
    )
    schemes: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "schemes.Scheme", through="NeedsReportScheme", related_name="needs_reports", verbose_name=_("schemes")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised by every save."))
    union_discussed = models.BooleanField(_("discussed with the unions (medbestemmelse)"), null=True, blank=True)
    municipal_kindergartens = models.PositiveIntegerField(_("municipal kindergartens"), null=True, blank=True)
    private_kindergartens = models.PositiveIntegerField(_("private kindergartens"), null=True, blank=True)
    public_schools = models.PositiveIntegerField(_("public schools"), null=True, blank=True)
    private_schools = models.PositiveIntegerField(_("private schools"), null=True, blank=True)
    pp_services = models.PositiveIntegerField(_("PP services"), null=True, blank=True)
    reopened = models.BooleanField(
        _("reopened after the deadline"), default=False, help_text=_("Set by the network or the Statsforvalter.")
    )
    pending = models.JSONField(
        _("typed values not yet valid"),
        default=dict,
        blank=True,
        help_text=_("What a person typed that did not pass the checks, kept so that nothing is lost."),
    )
    unplaced_text = models.TextField(
        _("imported text not placed"),
        blank=True,
        max_length=UNPLACED_TEXT,
        validators=[MaxLengthValidator(UNPLACED_TEXT)],
        help_text=_("What an import found but could not place in a field."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NeedsReportQuerySet.as_manager()

    class Meta:
        ordering = ["-round__year", "partnership__name"]
        verbose_name = _("needs report")
        verbose_name_plural = _("needs reports")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "round"], name="one_report_per_partnership_and_round"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.round.year}"

    def get_absolute_url(self) -> str:
        return reverse("needs:report", args=[self.pk])

    def is_editable(self, now: dt.datetime | None = None) -> bool:
        """A draft can be changed until the deadline, or after it when it has been reopened."""
        from lokalkomp.schemes.models import Transition

        if self.status != self.Status.DRAFT:
            return False
        return self.reopened or self.round.is_open_for(Transition.NEEDS_REPORTS, now)

    @property
    def recipient(self) -> str:
        """Who receives the report on submission: the network, or the Statsforvalter where there is none."""
        return str(self.partnership.network or self.round.office)

    def submit(self, *, by: Any, now: dt.datetime | None = None) -> NeedsReportEvent:
        from ..checks import problems

        if self.status != self.Status.DRAFT:
            raise TransitionError(gettext("Only a draft can be submitted."))
        found = problems(self, now)
        if found:
            raise TransitionError(
                gettext("The report cannot be submitted yet: %(n)s problem(s) in the checklist.") % {"n": len(found)}
            )
        with transaction.atomic():  # the record is written with the status change, or neither is
            event = self._transition(self.Status.SUBMITTED, by=by, code="submitted", params={"to": self.recipient})
            self.record_version(by=by, event=event)
        return event

    def record_version(self, *, by: Any, event: NeedsReportEvent | None = None) -> NeedsReportVersion:
        """Keep what the report says now as its next version (1, 2 …): the record of a submission.

        With it, in the same transaction, its totals per scheme (`NeedsReportVersionTotal`), from the
        same rows its data is made of: what the lists sum; and the parties it names
        (`NeedsReportVersionParty`): what the conflicts of interest join on.
        """
        from django.utils import timezone

        from ..records import load, serialise
        from .events import NeedsReportVersionParty, NeedsReportVersionTotal

        with transaction.atomic():
            NeedsReport.objects.select_for_update().filter(pk=self.pk).first()  # one numbering at a time
            number = (self.versions.aggregate(top=models.Max("number"))["top"] or 0) + 1
            report = load(self.pk)
            version = self.versions.create(
                number=number,
                submitted_by=by,
                submitted_at=event.at if event else timezone.now(),
                event=event,
                data=serialise(report),
            )
            NeedsReportVersionTotal.objects.bulk_create(NeedsReportVersionTotal.rows_for(version, report))
            NeedsReportVersionParty.objects.bulk_create(
                NeedsReportVersionParty.rows_for(version, round_id=self.round_id, partnership_id=self.partnership_id)
            )
            return version

    def assert_editable(self) -> None:
        """Refuse to change a submitted report: it is a record (an import, a script, the admin)."""
        if self.status != self.Status.DRAFT:
            raise TransitionError(gettext("The report has been submitted and cannot be changed."))

    @property
    def last_submission(self) -> NeedsReportEvent | None:
        """The event of the latest submission (uses prefetched events when present); its receipt."""
        submitted = [e for e in self.events.all() if e.to_status == self.Status.SUBMITTED]
        return max(submitted, key=lambda e: (e.at, e.pk)) if submitted else None

    def reopening(self) -> NeedsReportEvent | None:
        """While the report is open again, the event that opened it: who sent it back, when and why.

        The latest of `NeedsReportEventQuerySet.reopenings`: a submitted report sent back (`sent_back_q`),
        or a late draft opened after the deadline. None once it is submitted again (or was never
        reopened). Uses prefetched events when present; else one query, and none at all for a report
        that was never reopened. A list reads the same from `NeedsReportQuerySet.with_reopening`.
        """
        if self.status != self.Status.DRAFT or not self.reopened:
            return None
        if "events" in getattr(self, "_prefetched_objects_cache", {}):
            reopenings = [e for e in self.events.all() if e.is_reopening]
            return max(reopenings, key=lambda e: (e.at, e.pk)) if reopenings else None
        return self.events.reopenings().select_related("actor").first()  # type: ignore[attr-defined, no-any-return]

    def reopen(self, *, by: Any, comment: str = "") -> NeedsReportEvent:
        """Let the partnership change the report again, also after the deadline."""
        if self.status == self.Status.DRAFT and self.reopened:
            raise TransitionError(gettext("The report is already open for changes."))
        self.reopened = True
        return self._transition(self.Status.DRAFT, by=by, note=comment, code="" if comment else "reopened")

    def _transition(
        self, to: str, *, by: Any, note: str = "", code: str = "", params: dict[str, Any] | None = None
    ) -> NeedsReportEvent:
        """Change status with an event row, refusing if someone else changed the status meanwhile."""
        with transaction.atomic():
            updated = NeedsReport.objects.filter(pk=self.pk, status=self.status).update(
                status=to, reopened=self.reopened, version=F("version") + 1
            )
            if not updated:
                raise TransitionError(gettext("The report's status was changed by someone else. Reload the page."))
            event = self.events.create(
                actor=by, from_status=self.status, to_status=to, note=note, code=code, params=params or {}
            )
        self.refresh_from_db(fields=["status", "reopened", "version"])
        return event

    def totals_by_scheme(self) -> dict[Scheme, Totals]:
        """Owner/UH totals per scheme, from the measures (uses prefetched measures when present)."""
        result: dict[Any, Totals] = {rs.scheme: Totals() for rs in self.report_schemes.all()}
        for measure in self.measures.all():
            result[measure.scheme] = result.get(measure.scheme, Totals()) + measure.totals
        return result

    def grand_total(self) -> Totals:
        return sum(self.totals_by_scheme().values(), Totals())

    def unit_counts(self) -> dict[str, int | None]:
        """The units the report includes, by field (None where the form leaves a count empty)."""
        return {name: getattr(self, name) for name in self.UNIT_FIELDS}


class NeedsReportScheme(models.Model):
    """A scheme a report covers, with the co-financing (egenandel) it declares there."""

    class CoFinancingForm(models.TextChoices):
        MONEY = "money", _("Money")
        SALARY = "salary", _("Salary or release time (frikjøp)")
        BOTH = "both", _("Money and salary")

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="report_schemes", verbose_name=_("needs report")
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme"))
    co_financing_amount = models.PositiveBigIntegerField(_("co-financing (kr)"), null=True, blank=True)
    co_financing_form = models.CharField(
        _("co-financing as"), max_length=10, choices=CoFinancingForm.choices, blank=True
    )

    class Meta:
        ordering = ["scheme__valid_from", "scheme__code"]
        verbose_name = _("scheme of report")
        verbose_name_plural = _("schemes of report")
        constraints = [models.UniqueConstraint(fields=["report", "scheme"], name="scheme_once_per_report")]

    def __str__(self) -> str:
        return str(self.scheme)


class DeclaredTotal(models.Model):
    """A row of the totals table as an imported form states it, kept to compare with the computed totals."""

    AMOUNT_FIELDS = ("owner_amount", "partner_amount", "total_amount")

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="declared_totals", verbose_name=_("needs report")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheme"),
        help_text=_("Empty for the form's sum row."),
    )
    owner_amount = models.PositiveBigIntegerField(_("owner (kr)"))
    partner_amount = models.PositiveBigIntegerField(_("UH (kr)"))
    total_amount = models.PositiveBigIntegerField(_("total as stated (kr)"))

    class Meta:
        ordering = ["scheme__valid_from", "scheme__code"]
        verbose_name = _("declared total")
        verbose_name_plural = _("declared totals")
        constraints = [
            models.UniqueConstraint(fields=["report", "scheme"], name="declared_total_once_per_scheme"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(scheme__isnull=True), name="declared_sum_once_per_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.scheme or _('Sum')}"


class UnionParticipant(models.Model):
    """Someone who took part in the co-determination (medbestemmelse) discussion of a report."""

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="union_participants", verbose_name=_("needs report")
    )
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="union_roles",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("union participant")
        verbose_name_plural = _("union participants")

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class ReportPdf(models.Model):
    """A report's PDF, made once per version (or draft state) and language, by the worker or inline.

    The bytes are kept in the database rather than under MEDIA_ROOT so that the web processes and
    the worker share nothing but the database; `digest` names the data the PDF was made from.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="pdfs", verbose_name=_("needs report")
    )
    version = models.ForeignKey(
        "NeedsReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pdfs",
        verbose_name=_("version"),
        help_text=_("Empty for a draft."),
    )
    language = models.CharField(_("language"), max_length=10)
    digest = models.CharField(_("digest of the data"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(_("PDF"), blank=True, default=b"")
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["report", "-requested_at"]
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        constraints = [
            models.UniqueConstraint(fields=["report", "digest", "language"], name="one_pdf_per_report_state_language")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.digest[:8]} {self.language}"


class ReportPresence(models.Model):
    """Who has a report's form open: each open page says so every ~20 s (in the database, so every process sees it)."""

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="presences", verbose_name=_("needs report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("open report form")
        verbose_name_plural = _("open report forms")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="one_presence_per_report_user")]
        indexes = [models.Index(fields=["report", "last_seen"], name="presence_report_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.report_id}"
