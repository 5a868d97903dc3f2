"""The directory in the Django admin. Org. and account numbers are read-only here (they are checked
and changed where the payments are); every other change is recorded with source "admin"."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .changes import ReadOnlyInline, RecordedAdmin
from .models import County, Forum, ForumMember, Municipality, Network, Office, Organisation, Unit


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Office)
class OfficeAdmin(RecordedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(RecordedAdmin):
    list_display = ["number", "name", "office"]
    list_select_related = ["office"]
    list_filter = ["office"]


@admin.register(Municipality)
class MunicipalityAdmin(RecordedAdmin):
    list_display = ["number", "name", "county", "language_form"]
    list_select_related = ["county"]
    list_filter = ["county", "language_form"]
    search_fields = ["number", "name"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(RecordedAdmin):
    list_display = ["name", "kind", "org_number", "municipality", "reviewed"]
    list_select_related = ["municipality"]
    list_filter = ["reviewed", "kind"]
    search_fields = ["name", "short_name", "org_number"]
    autocomplete_fields = ["municipality"]
    inlines = [UnitInline]
    actions = ["confirm_reviewed"]

    @admin.action(description=_("Confirm reviewed"))
    def confirm_reviewed(self, request: HttpRequest, queryset: Any) -> None:
        """The Statsforvalter vouches for organisations first typed into a report; each one goes on record."""
        with transaction.atomic():
            for organisation in queryset.filter(reviewed=False).select_for_update(of=("self",)):
                organisation.reviewed = True
                organisation.save(update_fields=["reviewed"])
                key = f"{self.key_kind(organisation)}:{organisation.pk}:reviewed"
                self.record_admin_change(request, organisation, key, old=False, new=True)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["org_number", "account_number"] if obj else []


@admin.register(Unit)
class UnitAdmin(RecordedAdmin):
    list_display = ["name", "kind", "owner"]
    list_select_related = ["owner"]
    list_filter = ["kind"]
    search_fields = ["name", "owner__name"]
    autocomplete_fields = ["owner"]


@admin.register(Network)
class NetworkAdmin(RecordedAdmin):
    list_display = ["name", "office"]  # its coordinators are memberships (the people's admin)
    list_select_related = ["office"]
    list_filter = ["office"]
    search_fields = ["name"]
    filter_horizontal = ["owners"]
    prepopulated_fields = {"slug": ["name"]}


class ForumMemberInline(ReadOnlyInline):
    """The seats, for reading: they change on the seats page, through ForumMember's methods, on the office's record."""

    model = ForumMember
    fields = readonly_fields = ("organisation", "role", "votes", "person")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("organisation", "person")


@admin.register(Forum)
class ForumAdmin(RecordedAdmin):
    list_display = ["name", "office"]
    list_select_related = ["office"]
    readonly_fields = ["seats_page"]
    inlines = [ForumMemberInline]

    @admin.display(description=_("The forum's seats"))
    def seats_page(self, obj: Forum) -> str:
        if obj.pk is None:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("forum:seats", args=[obj.office.slug]), _("Change the seats"))
