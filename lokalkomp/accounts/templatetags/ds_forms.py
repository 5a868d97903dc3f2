"""Render a Django form field's widget with Designsystemet's classes and the ARIA links to its messages."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def ds_widget(field: BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return getattr(field.field.widget, "input_type", "") in {"checkbox", "radio"}
