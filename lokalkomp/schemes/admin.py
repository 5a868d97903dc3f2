from django.contrib import admin

from .models import Milestone, Round, RoundScheme, Scheme, SchemeCap


class SchemeCapInline(admin.TabularInline):
    model = SchemeCap
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "valid_from", "valid_to", "co_financing_percent"]
    search_fields = ["name", "code"]
    inlines = [SchemeCapInline]


class RoundSchemeInline(admin.TabularInline):
    model = RoundScheme
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "office", "year"]
    list_select_related = ["office"]
    list_filter = ["office", "year"]
    inlines = [RoundSchemeInline, MilestoneInline]
