from django.contrib import admin

from .models import County, Forum, ForumMember, Municipality, Network, Office, Organisation, Unit


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "office"]
    list_select_related = ["office"]
    list_filter = ["office"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "language_form"]
    list_select_related = ["county"]
    list_filter = ["county", "language_form"]
    search_fields = ["number", "name"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "municipality"]
    list_select_related = ["municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "org_number"]
    autocomplete_fields = ["municipality"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner"]
    list_select_related = ["owner"]
    list_filter = ["kind"]
    search_fields = ["name", "owner__name"]
    autocomplete_fields = ["owner"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "coordinator"]
    list_select_related = ["office", "coordinator"]
    list_filter = ["office"]
    search_fields = ["name"]
    filter_horizontal = ["owners"]
    prepopulated_fields = {"slug": ["name"]}


class ForumMemberInline(admin.TabularInline):
    model = ForumMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "office"]
    list_select_related = ["office"]
    inlines = [ForumMemberInline]
