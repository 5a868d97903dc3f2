"""Changes made in the Django admin go on record: who, when, old → new, from where (source "admin").

`RecordedAdmin` is mixed into the model admins of every app. It records each changed field of
the object and of its inlines, and each row added or removed, through `record_admin_change`.
By default that writes to the audit record, through the registry below (the accounts app, which
comes after this one, registers its writer); the needs app's admin writes a report's changes
to the report's own change record instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

ADMIN = "admin"
Recorder = Callable[..., object]
recorders: list[Recorder] = []  # accounts.apps registers AuditEvent.record_change's writer here


def record(key: str, *, object_repr: Any, old: Any, new: Any, by: Any, source: str, office_id: int | None) -> None:
    for recorder in recorders:
        recorder(key, object_repr=object_repr, old=old, new=new, by=by, source=source, office_id=office_id)


def kind_of(obj: models.Model) -> str:
    return obj._meta.model_name or "row"


def value_of(obj: models.Model, name: str) -> Any:
    """A field's value as text for the record; a relation by its name (str), a list as it is."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
    value = getattr(obj, name)
    return str(value) if isinstance(value, models.Model) else value


class RecordedAdmin(admin.ModelAdmin):
    """A model admin whose every save and delete writes a change event with source "admin"."""

    def office_id_of(self, obj: models.Model) -> int | None:
        return getattr(obj, "office_id", None)

    def key_kind(self, obj: models.Model) -> str:
        """The first part of the change's key (`measure` in `measure:12:name`)."""
        return kind_of(obj)

    def record_admin_change(
        self, request: HttpRequest, obj: models.Model, key: str, *, old: Any = "", new: Any = ""
    ) -> None:
        record(
            key,
            object_repr=obj,
            old=old,
            new=new,
            by=request.user,
            source=ADMIN,
            office_id=self.office_id_of(obj),
        )

    def _record_form(
        self, request: HttpRequest, form: Any, obj: models.Model, *, added: bool, many: bool = False
    ) -> None:
        """Record a form's changes: the row if added, else each changed field (`many`: the many-to-many ones)."""
        kind = self.key_kind(obj)
        if added:
            self.record_admin_change(request, obj, f"{kind}:{obj.pk}:added", new=str(obj))
            return
        fields = {f.name: f for f in obj._meta.get_fields() if f.concrete}
        for name in form.changed_data:
            if name not in fields or bool(fields[name].many_to_many) != many:
                continue
            old = form.initial.get(name)
            if isinstance(old, list):  # many-to-many: the related objects as they were
                old = sorted(str(o) for o in old)
            elif isinstance(fields[name], models.ForeignKey) and old is not None:
                old = str(fields[name].related_model._default_manager.filter(pk=old).first() or old)  # type: ignore[union-attr]
            self.record_admin_change(request, obj, f"{kind}:{obj.pk}:{name}", old=old, new=value_of(obj, name))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # the admin's change view runs in one transaction
        self._record_form(request, form, obj, added=not change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # many-to-many values are set here
        if change:
            self._record_form(request, form, form.instance, added=False, many=True)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
        removed = [(obj, str(obj), obj.pk) for obj in deleted]
        changed = [f for f in formset.forms if f.instance.pk and f.has_changed() and f not in formset.deleted_forms]
        new = [f for f in formset.forms if not f.instance.pk and f.has_changed()]
        super().save_formset(request, form, formset, change)
        for obj, text, pk in removed:
            self.record_admin_change(request, obj, f"{self.key_kind(obj)}:{pk}:removed", old=text)
        for inline_form in changed:
            self._record_form(request, inline_form, inline_form.instance, added=False)
        for inline_form in new:
            if inline_form.instance.pk:
                self._record_form(request, inline_form, inline_form.instance, added=True)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.record_admin_change(request, obj, f"{self.key_kind(obj)}:{obj.pk}:removed", old=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.record_admin_change(request, obj, f"{self.key_kind(obj)}:{obj.pk}:removed", old=str(obj))
            super().delete_queryset(request, queryset)


class ReadOnlyInline(admin.TabularInline):
    """An inline shown for reading only: no add, no change, no delete (money, accounts, events)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
