"""What happened to a report, kept as it happened: its change record, its status events and its submitted versions."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lokalkomp.accounts.models import ChangeSource

from .measure import Continuation, Measure
from .partnership import Contact, Participant, Partnership
from .report import DeclaredTotal, NeedsReport, NeedsReportScheme, UnionParticipant


class FieldEdit(models.Model):
    """An append-only record of one change to a report or its partnership: who, when, old → new, from where.

    The needs app's one change record. `key` names what changed: a field (`measure:12:owner_amount`),
    or a row added or removed (`contact:7:added`, `measure:12:removed`, `report:schemes`). Written by
    the form's saves, the imports, the admin and scripts, each with its `source`.
    """

    Source = ChangeSource

    KINDS: dict[str, type[models.Model]] = {
        "report": NeedsReport,
        "measure": Measure,
        "scheme": NeedsReportScheme,
        "continuation": Continuation,
        "participant": Participant,
        "contact": Contact,
        "union": UnionParticipant,
        "declared": DeclaredTotal,
        "partnership": Partnership,
    }
    """The first part of a key: the kind of row a change is to (the form's field keys use the same)."""

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
            old_value=as_text(old),
            value=as_text(new),
            by=by if getattr(by, "pk", None) else None,
            source=source,
        )

    @classmethod
    def record_row(cls, report: NeedsReport, kind: str, row: Any, *, added: bool, by: Any, source: str) -> FieldEdit:
        """A participant, contact, union participant or measure added to or removed from the report."""
        summary = describe_row(row)
        key = f"{kind}:{row.pk}:{'added' if added else 'removed'}"
        return cls.record(report, key, old="" if added else summary, new=summary if added else "", by=by, source=source)


def as_text(value: Any) -> str:
    """A stored value as comparable text: the change record's old and new values, and autosave's base."""
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


class NeedsReportEventQuerySet(models.QuerySet["NeedsReportEvent"]):
    def reopenings(self) -> NeedsReportEventQuerySet:
        """The events that opened a report again (`NeedsReport.reopen`), the latest first.

        A submitted report sent back (from «submitted»), or a late draft opened after the deadline (from
        «draft»); a report's first event (from nothing) is not one. `NeedsReportEvent.is_reopening` is its twin.
        """
        return self.filter(to_status=NeedsReport.Status.DRAFT).exclude(from_status="").order_by("-at", "-pk")


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

    objects = NeedsReportEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"

    @property
    def is_reopening(self) -> bool:
        """Whether this event opened the report again (the twin of `NeedsReportEventQuerySet.reopenings`)."""
        return bool(self.from_status) and self.to_status == NeedsReport.Status.DRAFT

    @property
    def comment(self) -> str:
        """The person's own comment, or the system's comment in the language of whoever reads it now."""
        if self.note or not self.code:
            return self.note
        return gettext(SYSTEM_COMMENTS[self.code]) % self.params

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


class NeedsReportVersionTotalQuerySet(models.QuerySet["NeedsReportVersionTotal"]):
    """A version's totals are appended with it, never changed: no bulk update or delete either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("A submitted version's totals are a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A submitted version's totals are a record and cannot be deleted.")


class NeedsReportVersionTotal(models.Model):
    """A submitted version's owner and UH totals in one scheme, as its data says them: written with it, never changed.

    The lists that sum and sort many reports in the database (the work list, the round's and the
    network's reports) read a submitted report's totals here, from its latest version, and a draft's
    from its measures (`NeedsReportQuerySet.with_totals`). One row per scheme of the report (also
    one without measures, at 0) and per other scheme its measures name, as `totals_by_scheme()`.
    """

    version = models.ForeignKey(
        NeedsReportVersion, on_delete=models.PROTECT, related_name="totals", verbose_name=_("version")
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme"))
    owner_amount = models.PositiveBigIntegerField(_("owner (kr)"))
    partner_amount = models.PositiveBigIntegerField(_("UH (kr)"))

    objects = NeedsReportVersionTotalQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("total of a submitted version")
        verbose_name_plural = _("totals of submitted versions")
        constraints = [models.UniqueConstraint(fields=["version", "scheme"], name="version_total_once_per_scheme")]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.scheme_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A submitted version's totals are a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A submitted version's totals are a record and cannot be deleted.")

    @classmethod
    def rows_for(cls, version: NeedsReportVersion, report: NeedsReport) -> list[NeedsReportVersionTotal]:
        """The rows of a version made of `report` (unsaved): from the rows its data was serialised from."""
        return [
            cls(version=version, scheme=scheme, owner_amount=totals.owner, partner_amount=totals.partner)
            for scheme, totals in report.totals_by_scheme().items()
        ]


class NeedsReportVersionPartyQuerySet(models.QuerySet["NeedsReportVersionParty"]):
    """A version's parties are appended with it, never changed: no bulk update or delete either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("A submitted version's parties are a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A submitted version's parties are a record and cannot be deleted.")


class NeedsReportVersionParty(models.Model):
    """An organisation or a contact person a submitted version names, as its data says: written with it, never changed.

    The conflicts of interest (`allocation.conflicts`) ask which partnerships of a round ever named an
    organisation or a person in a submitted version. Read from the versions' JSON, that is every version's
    participants on every page of the forum; here it is a join on indexed columns. The organisation and the
    account are the ids the record names (no foreign key: the record stays what it said, whatever happens to
    the register). One row per participant (`ORGANISATION`), and one per contact (`CONTACT`, with the account
    and the e-mail address in lower case).
    """

    ORGANISATION = "organisation"
    CONTACT = "contact"
    KINDS = ((ORGANISATION, _("organisation")), (CONTACT, _("contact person")))

    version = models.ForeignKey(
        NeedsReportVersion, on_delete=models.PROTECT, related_name="parties", verbose_name=_("version")
    )
    round = models.ForeignKey("schemes.Round", on_delete=models.PROTECT, related_name="+", verbose_name=_("round"))
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="+", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    organisation_id = models.PositiveBigIntegerField(_("organisation (id)"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    user_id = models.PositiveBigIntegerField(_("account (id)"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)

    objects = NeedsReportVersionPartyQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("party of a submitted version")
        verbose_name_plural = _("parties of submitted versions")
        indexes = [
            models.Index(fields=["round", "organisation_id"], name="version_party_organisation"),
            models.Index(fields=["round", "user_id"], name="version_party_user"),
            models.Index(fields=["round", "email"], name="version_party_email"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.kind} {self.name or self.email or self.user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A submitted version's parties are a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A submitted version's parties are a record and cannot be deleted.")

    @classmethod
    def rows_for(
        cls, version: NeedsReportVersion, *, round_id: int, partnership_id: int
    ) -> list[NeedsReportVersionParty]:
        """The rows of a version (unsaved), from its data: what it names, as `party_rows` reads it."""
        return [
            cls(version=version, round_id=round_id, partnership_id=partnership_id, **row)
            for row in party_rows(version.data)
        ]


def party_rows(data: Any) -> list[dict[str, Any]]:
    """The organisations and contacts a version's data names (a malformed entry is passed over, never raised)."""
    rows: list[dict[str, Any]] = []
    participants = data.get("participants") if isinstance(data, dict) else None
    for participant in participants if isinstance(participants, list) else []:
        if not isinstance(participant, dict):
            continue
        organisation = participant.get("organisation_id")
        if isinstance(organisation, int) and not isinstance(organisation, bool) and organisation > 0:
            name = str(participant.get("organisation") or "")[:200]
            rows.append({"kind": NeedsReportVersionParty.ORGANISATION, "organisation_id": organisation, "name": name})
        for contact in participant.get("contacts") or []:
            if not isinstance(contact, dict):
                continue
            account = contact.get("user")
            user = account if isinstance(account, int) and not isinstance(account, bool) and account > 0 else None
            email = str(contact.get("email") or "").strip().lower()[:254]
            if user is not None or email:
                rows.append({"kind": NeedsReportVersionParty.CONTACT, "user_id": user, "email": email})
    return rows
