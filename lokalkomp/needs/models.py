"""Partnerships, their needs reports (behovsmeldinger) and the measures (tiltak) in them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lokalkomp.accounts.models import ChangeSource
from lokalkomp.directory.validators import format_account_number, validate_account_number
from lokalkomp.schemes.models import Use

if TYPE_CHECKING:
    import datetime as dt

    from lokalkomp.schemes.models import Round, Scheme


class TransitionError(Exception):
    """A workflow step that is not allowed now; the message says why, in the user's language."""


# The longest text a person may write in one field of a needs report (the form states it; autosave checks
# it; a TextField's max_length is not checked by the database). About four pages of the Word form.
LONG_TEXT = 10_000
SHORT_TEXT = 3_000


def semester_codes(year: int) -> list[str]:
    """The semesters a measure of a round can run: spring and autumn of the year, spring of the next."""
    return [f"{year}-spring", f"{year}-autumn", f"{year + 1}-spring"]


def continuation_periods(year: int) -> list[str]:
    """The periods a measure of a round may continue into (videreføring): next autumn, then two whole years."""
    return [f"{year + 1}-autumn", str(year + 2), str(year + 3)]


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


class NeedsReportQuerySet(models.QuerySet["NeedsReport"]):
    def in_round(self, round: Round) -> NeedsReportQuerySet:
        return self.filter(round=round)

    def submitted(self) -> NeedsReportQuerySet:
        return self.filter(status=NeedsReport.Status.SUBMITTED)

    def with_totals(self) -> NeedsReportQuerySet:
        """Annotate owner_total and partner_total, summed in the database."""
        return self.annotate(
            owner_total=Sum("measures__owner_amount", default=0),
            partner_total=Sum("measures__partner_amount", default=0),
        )


class NeedsReport(models.Model):
    """One partnership's needs report (behovsmelding) in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

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
        _("imported text not placed"), blank=True, help_text=_("What an import found but could not place in a field.")
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
        from .checks import problems

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
        """Keep what the report says now as its next version (1, 2 …): the record of a submission."""
        from django.utils import timezone

        from .records import load, serialise

        with transaction.atomic():
            NeedsReport.objects.select_for_update().filter(pk=self.pk).first()  # one numbering at a time
            number = (self.versions.aggregate(top=models.Max("number"))["top"] or 0) + 1
            return NeedsReportVersion.objects.create(
                report=self,
                number=number,
                submitted_by=by,
                submitted_at=event.at if event else timezone.now(),
                event=event,
                data=serialise(load(self.pk)),
            )

    def assert_editable(self) -> None:
        """Refuse to change a submitted report: it is a record (an import, a script, the admin)."""
        if self.status != self.Status.DRAFT:
            raise TransitionError(gettext("The report has been submitted and cannot be changed."))

    @property
    def last_submission(self) -> NeedsReportEvent | None:
        """The event of the latest submission (uses prefetched events when present); its receipt."""
        submitted = [e for e in self.events.all() if e.to_status == self.Status.SUBMITTED]
        return max(submitted, key=lambda e: (e.at, e.pk)) if submitted else None

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
            event = NeedsReportEvent.objects.create(
                report=self, actor=by, from_status=self.status, to_status=to, note=note, code=code, params=params or {}
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

    @property
    def unit_count(self) -> int:
        counts = (
            self.municipal_kindergartens,
            self.private_kindergartens,
            self.public_schools,
            self.private_schools,
            self.pp_services,
        )
        return sum(c or 0 for c in counts)


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


class MeasureQuerySet(models.QuerySet["Measure"]):
    def in_round(self, round: Round) -> MeasureQuerySet:
        return self.filter(report__round=round)

    def totals(self) -> Totals:
        sums = self.aggregate(owner=Sum("owner_amount", default=0), partner=Sum("partner_amount", default=0))
        return Totals(sums["owner"], sums["partner"])


class Measure(models.Model):
    """A measure (tiltak) with its money split between owner and UH."""

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="measures", verbose_name=_("needs report")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="measures", verbose_name=_("scheme")
    )
    position = models.PositiveIntegerField(_("number"), default=0)
    name = models.CharField(_("name of measure"), max_length=300)
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), default=0)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), default=0)
    purpose = models.CharField(_("what the grant is for"), max_length=30, choices=Use.choices, blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    anchoring = models.TextField(
        _(
            "how the measure is anchored in each kindergarten and school, with staff and leaders and in dialogue with UH"
        ),
        max_length=LONG_TEXT,
        blank=True,
    )
    collective = models.TextField(
        _("how the measure promotes collective processes of professional development"),
        max_length=LONG_TEXT,
        blank=True,
    )
    teacher_education = models.TextField(
        _("how the collaboration strengthens teacher education"), max_length=LONG_TEXT, blank=True
    )
    long_term_plan = models.TextField(
        _("how the measure is anchored in the long-term plan"), max_length=LONG_TEXT, blank=True
    )
    owner_share_use = models.TextField(_("how the owner's share is used"), max_length=LONG_TEXT, blank=True)
    partner_share_use = models.TextField(_("how the UH share is used"), max_length=LONG_TEXT, blank=True)
    needs_coordinator = models.BooleanField(_("needs coordinator funds"), null=True, blank=True)
    coordinator_reason = models.TextField(_("why coordinator funds are needed"), max_length=SHORT_TEXT, blank=True)
    semesters = models.JSONField(_("duration (semesters)"), default=list, blank=True)
    target_group = models.TextField(_("target group"), max_length=SHORT_TEXT, blank=True)
    continued_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations_in_later_reports",
        verbose_name=_("continued from"),
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["report", "position", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name

    @property
    def totals(self) -> Totals:
        return Totals(self.owner_amount, self.partner_amount)

    @property
    def total_amount(self) -> int:
        return self.owner_amount + self.partner_amount

    NARRATIVE_FIELDS = (
        "description",
        "anchoring",
        "collective",
        "teacher_education",
        "long_term_plan",
        "owner_share_use",
        "partner_share_use",
        "coordinator_reason",
        "target_group",
    )

    def narratives(self) -> list[tuple[str, str]]:
        """The measure's texts in the order of the form, with their labels."""
        fields = [self._meta.get_field(name) for name in self.NARRATIVE_FIELDS]
        return [(capfirst(str(f.verbose_name)), getattr(self, f.name)) for f in fields]  # type: ignore[union-attr]


class Continuation(models.Model):
    """An estimate of what a measure needs in a later period, if it is continued."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="continuations", verbose_name=_("measure")
    )
    period = models.CharField(_("period"), max_length=20, help_text=_("“2025-autumn” or a year such as “2026”."))
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), null=True, blank=True)
    owner_reason = models.TextField(_("owner: reason"), max_length=SHORT_TEXT, blank=True)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), null=True, blank=True)
    partner_reason = models.TextField(_("UH: reason"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["measure", "period"]
        verbose_name = _("continuation estimate")
        verbose_name_plural = _("continuation estimates")
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="continuation_once_per_period")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period}"


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


class FieldEdit(models.Model):
    """An append-only record of one change to a report or its partnership: who, when, old → new, from where.

    The needs app's one change record. `key` names what changed: a field (`measure:12:owner_amount`),
    or a row added or removed (`contact:7:added`, `measure:12:removed`, `report:schemes`). Written by
    the form's saves, the imports, the admin and scripts, each with its `source`.
    """

    Source = ChangeSource

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="edits", verbose_name=_("needs report")
    )
    key = models.CharField(_("field"), max_length=100)
    old_value = models.TextField(_("old value"), blank=True)
    value = models.TextField(_("value"), blank=True)
    source = models.CharField(_("from"), max_length=10, choices=ChangeSource.choices, default=ChangeSource.FORM)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("field edit")
        verbose_name_plural = _("field edits")
        indexes = [models.Index(fields=["report", "key", "-at"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.at}"

    @classmethod
    def record(
        cls, report: NeedsReport, key: str, *, old: Any = "", new: Any = "", by: Any, source: str = ChangeSource.FORM
    ) -> FieldEdit:
        return cls.objects.create(
            report=report,
            key=key,
            old_value=_as_text(old),
            value=_as_text(new),
            by=by if getattr(by, "pk", None) else None,
            source=source,
        )

    @classmethod
    def record_row(cls, report: NeedsReport, kind: str, row: Any, *, added: bool, by: Any, source: str) -> FieldEdit:
        """A participant, contact, union participant or measure added to or removed from the report."""
        summary = describe_row(row)
        key = f"{kind}:{row.pk}:{'added' if added else 'removed'}"
        return cls.record(report, key, old="" if added else summary, new=summary if added else "", by=by, source=source)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def describe_row(row: Any) -> str:
    """A row as one line of text for the change record, with what money and payment depend on."""
    if isinstance(row, Participant):
        # Codes and numbers only, no words: history.shown() writes it out in the reader's language.
        values = {"name": str(row.organisation), "side": row.side, "org_number": row.organisation.org_number}
        if row.account_number:
            values["account_number"] = row.account_number_display
        return json.dumps(values, ensure_ascii=False)
    if isinstance(row, Contact):
        return ", ".join(p for p in (row.name, row.function, row.email, row.phone) if p)
    if isinstance(row, UnionParticipant):
        return f"{row.role}: {row.name}"
    if isinstance(row, Measure):
        return f"{row.name or '–'} ({row.owner_amount} + {row.partner_amount})"
    return str(row)


# System comments on a report's events, by code. Stored as code + values and translated when shown,
# so that an event reads the same whatever language the person who caused it had chosen.
SYSTEM_COMMENTS = {
    "submitted": gettext_noop("Submitted to %(to)s"),
    "reopened": gettext_noop("Reopened for changes"),
    "imported": gettext_noop("Imported"),
    "imported_file": gettext_noop("Imported from %(file)s"),
}


class NeedsReportEvent(models.Model):
    """An append-only record of a status change of a needs report."""

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("needs report")
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
    from_status = models.CharField(_("from"), max_length=20, blank=True, choices=NeedsReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=NeedsReport.Status.choices)
    note = models.TextField(_("comment"), blank=True, help_text=_("What the person wrote, as they wrote it."))
    code = models.CharField(
        _("system comment"),
        max_length=20,
        blank=True,
        choices=[(c, c) for c in SYSTEM_COMMENTS],
        help_text=_("A comment the system writes, stored as a code and shown in the reader's language."),
    )
    params = models.JSONField(_("system comment's values"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"

    @property
    def comment(self) -> str:
        """The person's own comment, or the system's comment in the language of whoever reads it now."""
        if self.note or not self.code:
            return self.note
        return gettext(SYSTEM_COMMENTS[self.code]) % self.params

    @comment.setter
    def comment(self, text: str) -> None:  # `NeedsReportEvent(comment=…)` stores what a person wrote
        self.note = text

    @property
    def reference(self) -> str:
        """The receipt's reference number for a submission: «BM-2027-NOR-0042-v1».

        Round year, office code, report id and the submission's number (v2 after it was sent back
        and submitted again), so that it is stable and read out over the phone; nothing is stored.
        """
        report = self.report
        return f"BM-{report.round.year}-{office_code(report.round.office.slug)}-{self.report_id:04d}-v{self.submission_number}"

    @property
    def submission_number(self) -> int:
        """Which submission of the report this event is: its version's number (1, 2 …)."""
        try:
            return self.version.number  # type: ignore[attr-defined]
        except ObjectDoesNotExist:  # submitted before versions were kept: count the submissions
            earlier = NeedsReportEvent.objects.filter(
                report_id=self.report_id, to_status=NeedsReport.Status.SUBMITTED, pk__lte=self.pk
            )
            return max(earlier.count(), 1)


def office_code(slug: str) -> str:
    """Three letters for an office: «nordland» → NOR, «troms-finnmark» → TF (its counties' initials)."""
    parts = [p for p in slug.split("-") if p]
    code = "".join(p[0] for p in parts) if len(parts) > 1 else slug[:3]
    return code.upper() or "SF"


class NeedsReportVersionQuerySet(models.QuerySet["NeedsReportVersion"]):
    """Versions are appended, never changed: no bulk update or delete either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("A needs report version is a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A needs report version is a record and cannot be deleted.")


class NeedsReportVersion(models.Model):
    """What a report said when it was submitted, kept as it was: participants, accounts, contacts, measures …

    One row per submission (sent back and submitted again is version 2). `data` is written by
    `records.serialise` and read through `records.ReportRecord`.
    """

    report = models.ForeignKey(
        NeedsReport, on_delete=models.PROTECT, related_name="versions", verbose_name=_("needs report")
    )
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    event = models.OneToOneField(
        NeedsReportEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="version",
        verbose_name=_("event"),
    )
    data = models.JSONField(_("the report as submitted"))

    objects = NeedsReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="version_number_once_per_report")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A needs report version is a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A needs report version is a record and cannot be deleted.")


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
        NeedsReportVersion,
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
