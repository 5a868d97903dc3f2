from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """A read-only record of what was sent to whom; only the worker writes it."""

    list_display = ["created_at", "kind", "email", "language", "status", "attempts", "sent_at", "subject"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["email", "dedupe_key", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
