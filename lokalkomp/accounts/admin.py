from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.changes import RecordedAdmin

from .models import AuditEvent, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["network", "organisation"]


@admin.register(User)
class UserAdmin(RecordedAdmin, BaseUserAdmin):
    """Accounts: every change (is_staff, is_superuser, groups, roles in the inline) goes on record."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]  # what happened, not settings
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(RecordedAdmin):
    list_display = ["user", "role", "office", "network", "organisation", "active"]
    list_select_related = ["user", "office", "network", "organisation"]
    list_filter = ["role", "office", "active"]
    search_fields = ["user__email", "user__last_name"]
    raw_id_fields = ["user", "network", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "office", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["office", "invited_by"]
    list_filter = ["role", "office"]
    search_fields = ["email"]
    raw_id_fields = ["network", "organisation", "partnership", "invited_by", "accepted_by"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]

    # Read only: an invitation grants a role, so it is made and used only through the evented flows.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the record is append-only."""

    list_display = ["at", "kind", "user", "email", "ip", "office"]
    list_select_related = ["user", "office"]
    list_filter = ["kind", "office"]
    search_fields = ["email", "user__email", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
