"""Schemes, rounds and their annual cycle in the Django admin.

A scheme that a round uses is shown read-only: its rules are a record, and a change of rules is a
new version (`Scheme.new_version`). Every change the admin may still make (an unused scheme, a
round's reminder setting, its milestones) is recorded with source "admin". Budget frames, their
distribution keys and the keys' counts are money and are read-only here: the frames page
(`schemes:frames`) changes them, each change an event.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from lokalkomp.directory.changes import ReadOnlyInline, RecordedAdmin

from .models import DistributionKey, KeyInput, Milestone, Round, RoundScheme, Scheme, SchemeCap


def _used(obj: Any) -> bool:
    return isinstance(obj, Scheme) and obj.is_in_use()


class SchemeCapInline(admin.TabularInline):
    model = SchemeCap
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)


@admin.register(Scheme)
class SchemeAdmin(RecordedAdmin):
    list_display = ["name", "code", "valid_from", "valid_to", "co_financing_percent"]
    search_fields = ["name", "code"]
    inlines = [SchemeCapInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)


class RoundSchemeInline(ReadOnlyInline):
    model = RoundScheme
    fields = readonly_fields = ("scheme", "budget")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    exclude = ["updated_by"]


@admin.register(Round)
class RoundAdmin(RecordedAdmin):
    list_display = ["__str__", "office", "year"]
    list_select_related = ["office"]
    list_filter = ["office", "year"]
    readonly_fields = ["office", "year"]
    inlines = [RoundSchemeInline, MilestoneInline]

    def office_id_of(self, obj: models.Model) -> int | None:
        if isinstance(obj, Milestone):
            return obj.round.office_id
        return super().office_id_of(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a round's milestones and schemes are its record


class KeyInputInline(ReadOnlyInline):
    model = KeyInput
    fields = readonly_fields = ("network", "count")


@admin.register(DistributionKey)
class DistributionKeyAdmin(admin.ModelAdmin):
    """A frame's key and its counts, for reading only (they are changed on the frames page, with an event)."""

    list_display = ["round_scheme", "basis", "base_amount"]
    list_select_related = ["round_scheme__round__office", "round_scheme__scheme"]
    fields = readonly_fields = ("round_scheme", "basis", "base_amount")
    inlines = [KeyInputInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
