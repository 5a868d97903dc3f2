from django.contrib import admin

from .models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    Participant,
    Partnership,
    ReportEvent,
    ReportScheme,
    UnionParticipant,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "network"]
    list_select_related = ["office", "network"]
    list_filter = ["office"]
    search_fields = ["name"]
    inlines = [ParticipantInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "participant", "email", "user"]
    list_select_related = ["participant__organisation", "participant__partnership", "user"]
    search_fields = ["name", "email"]
    raw_id_fields = ["participant", "user"]


class ReportSchemeInline(admin.TabularInline):
    model = ReportScheme
    extra = 0


class DeclaredTotalInline(admin.TabularInline):
    model = DeclaredTotal
    extra = 0


class UnionParticipantInline(admin.TabularInline):
    model = UnionParticipant
    extra = 0
    raw_id_fields = ["user"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "comment"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # events are written by the workflow, never by hand


@admin.register(NeedsReport)
class NeedsReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "status"]
    list_select_related = ["partnership", "round__office"]
    list_filter = ["status", "round__year", "round__office"]
    search_fields = ["partnership__name"]
    readonly_fields = ["status", "version"]
    raw_id_fields = ["partnership", "round"]  # a dropdown of every round would load each round's office
    inlines = [ReportSchemeInline, DeclaredTotalInline, UnionParticipantInline, ReportEventInline]


class ContinuationInline(admin.TabularInline):
    model = Continuation
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "report", "scheme", "owner_amount", "partner_amount"]
    list_select_related = ["report__partnership", "report__round__office", "scheme"]
    list_filter = ["scheme", "report__round__year"]
    search_fields = ["name"]
    raw_id_fields = ["report", "continued_from"]
    show_full_result_count = False  # counting every measure of every year twice per page is the slow part
    inlines = [ContinuationInline]
