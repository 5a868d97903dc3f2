from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .actions import send_again
from .models import Notification, PartnershipReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """A read-only record of what was sent to whom; only the worker writes it, or sends a failed one again."""

    list_display = ["created_at", "kind", "email", "language", "status", "attempts", "sent_at", "subject"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["email", "dedupe_key", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["send_failed_again"]

    @admin.action(description=_("Send the failed ones again"))
    def send_failed_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        queued = send_again(queryset)
        message = ngettext("%(n)d notification queued again.", "%(n)d notifications queued again.", queued)
        self.message_user(request, message % {"n": queued}, messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PartnershipReminder)
class PartnershipReminderAdmin(admin.ModelAdmin):
    """The record of the reminders the Statsforvalter sent from the work list: read only."""

    list_display = ["at", "round", "partnership", "sent_by", "recipients"]
    list_select_related = ["round__office", "partnership", "sent_by"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
