"""The needs app in the Django admin.

Money, account and org. numbers, status and `reopened` are read-only here: they change only through
the form and the workflow, which write their events. What the admin may still change (texts, unit
counts, union participants, contact persons) is recorded with source "admin": on the report's own
change record where the row belongs to a report, else on the audit record.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from lokalkomp.directory.changes import ReadOnlyInline, RecordedAdmin
from lokalkomp.paging import EstimatedCountPaginator

from .models import (
    Contact,
    Continuation,
    DeclaredTotal,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    NeedsReportVersion,
    Participant,
    Partnership,
    UnionParticipant,
    describe_row,
)

# The first part of a change's key, by model (FieldEdit.KINDS, as the form's field keys use it).
KINDS: dict[type[models.Model], str] = {model: kind for kind, model in FieldEdit.KINDS.items()}


def report_of(obj: models.Model) -> NeedsReport | None:
    if isinstance(obj, NeedsReport):
        return obj
    if isinstance(obj, Continuation):
        return obj.measure.report
    if isinstance(obj, Measure | NeedsReportScheme | DeclaredTotal | UnionParticipant):
        return obj.report
    return None


class NeedsRecordedAdmin(RecordedAdmin):
    """Writes a report's changes to its FieldEdit record (the history on the report page)."""

    def key_kind(self, obj: models.Model) -> str:
        return KINDS.get(type(obj), super().key_kind(obj))

    def office_id_of(self, obj: models.Model) -> int | None:
        partnership = obj if isinstance(obj, Partnership) else getattr(obj, "partnership", None)
        if isinstance(obj, Contact):
            partnership = obj.participant.partnership
        return partnership.office_id if partnership else super().office_id_of(obj)

    def record_admin_change(
        self, request: HttpRequest, obj: models.Model, key: str, *, old: Any = "", new: Any = ""
    ) -> None:
        if key.endswith(":removed"):
            old = describe_row(obj)  # as the form records a removal: a measure with its amounts
        report = report_of(obj)
        if report is None:
            super().record_admin_change(request, obj, key, old=old, new=new)
            return
        FieldEdit.record(report, key, old=old, new=new, by=request.user, source=FieldEdit.Source.ADMIN)


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = readonly_fields = ("organisation", "side", "is_lead", "account_number", "payment_reference")


@admin.register(Partnership)
class PartnershipAdmin(NeedsRecordedAdmin):
    list_display = ["name", "office", "network"]
    list_select_related = ["office", "network"]
    list_filter = ["office"]
    search_fields = ["name"]
    readonly_fields = ["office"]
    inlines = [ParticipantInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its reports and their history hang on it


@admin.register(Contact)
class ContactAdmin(NeedsRecordedAdmin):
    list_display = ["name", "participant", "email", "user"]
    list_select_related = ["participant__organisation", "participant__partnership", "user"]
    search_fields = ["name", "email"]
    raw_id_fields = ["participant", "user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["participant"] if obj else []  # a contact does not move to another partnership


class NeedsReportSchemeInline(ReadOnlyInline):
    model = NeedsReportScheme
    fields = readonly_fields = ("scheme", "co_financing_amount", "co_financing_form")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("scheme")  # each row's __str__ is its scheme


class DeclaredTotalInline(ReadOnlyInline):
    model = DeclaredTotal
    fields = readonly_fields = ("scheme", *DeclaredTotal.AMOUNT_FIELDS)

    def get_queryset(self, request: HttpRequest) -> Any:  # __str__ names the report: not a query per row
        return super().get_queryset(request).select_related("scheme", "report__partnership", "report__round")


class UnionParticipantInline(admin.TabularInline):
    model = UnionParticipant
    extra = 0
    raw_id_fields = ["user"]


class NeedsReportEventInline(ReadOnlyInline):
    model = NeedsReportEvent
    fields = readonly_fields = ("at", "actor", "from_status", "to_status", "comment")

    def get_queryset(self, request: HttpRequest) -> Any:  # __str__ names the report: not a query per row
        return super().get_queryset(request).select_related("actor", "report__partnership", "report__round")


@admin.register(NeedsReport)
class NeedsReportAdmin(NeedsRecordedAdmin):
    list_display = ["__str__", "round", "status"]
    list_select_related = ["partnership", "round__office"]
    list_filter = ["status", "round__year", "round__office"]
    search_fields = ["partnership__name"]
    readonly_fields = ["partnership", "round", "status", "version", "reopened", "pending"]
    # The change record (FieldEdit) is not an inline: a report has thousands; it is on the report page and
    # the audit page.
    inlines = [NeedsReportSchemeInline, DeclaredTotalInline, UnionParticipantInline, NeedsReportEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a report is started in its round, or imported

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting it would delete its history


class ContinuationInline(admin.TabularInline):
    model = Continuation
    extra = 0
    can_delete = False
    fields = ["period", *Continuation.ESTIMATE_FIELDS]
    readonly_fields = ["period", "owner_amount", "partner_amount"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Measure)
class MeasureAdmin(NeedsRecordedAdmin):
    list_display = ["name", "report", "scheme", "owner_amount", "partner_amount"]
    list_select_related = ["report__partnership", "report__round__office", "scheme"]
    list_filter = ["scheme", "report__round__year"]
    search_fields = ["name"]
    # The goals are chosen on the measure's page (needs/goals.py: the draft lock, the offered goals, the record).
    readonly_fields = [
        "report",
        "scheme",
        "position",
        "owner_amount",
        "partner_amount",
        "second_partner",
        "second_partner_amount",
        "continued_from",
        "goals",
    ]
    show_full_result_count = False  # counting every measure of every year twice per page is the slow part
    ordering = ["-id"]  # the primary key's index; the model's order (by report) sorted all 150 000 rows
    paginator = EstimatedCountPaginator  # no COUNT(*) of every measure for the unfiltered list
    inlines = [ContinuationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a measure is added in its report's form


@admin.register(NeedsReportVersion)
class NeedsReportVersionAdmin(admin.ModelAdmin):
    """A submitted version is a record: it can be read here, never added, changed or deleted."""

    list_display = ["report", "number", "submitted_at", "submitted_by"]
    list_select_related = ["report__partnership", "report__round__office", "submitted_by"]
    readonly_fields = ["report", "number", "submitted_at", "submitted_by", "event", "data"]
    raw_id_fields = ["report", "submitted_by", "event"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
