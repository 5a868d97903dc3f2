"""`{% field %}`: one autosaving form field of a needs report, with its label, value and message."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lokalkomp.needs.autosave import REGISTRY, pending_error, shown, spaced

register = template.Library()

KIND_OF = {
    models.PositiveBigIntegerField: "amount",
    models.PositiveIntegerField: "count",
    models.TextField: "textarea",
    models.BooleanField: "yesno",
    models.EmailField: "email",
}


@register.inclusion_tag("needs/_field.html", takes_context=True)
def field(context: Any, kind: str, obj: models.Model, name: str, label: str = "", **options: Any) -> dict[str, Any]:
    report = context["report"]
    key = f"{kind}:{obj.pk}:{name}"
    model_field = REGISTRY[kind].model._meta.get_field(name)
    stored = shown(getattr(obj, model_field.attname), name)  # type: ignore[union-attr]
    pending = report.pending.get(key)
    widget = options.get("widget") or _widget(model_field)
    result = context.get("results", {}).get(key)
    conflict = result if result is not None and result.status == "conflict" else None
    if conflict:
        pending = conflict.typed  # keep what this person typed beside the other person's value
    elif result is not None and result.status in {"invalid", "held", "refused"}:
        pending = result.shown  # a form saved all or nothing: show what was typed, and why it was not saved
    # An account number is typed with dots (4516.27.94918): more characters than the 11 digits stored.
    max_length = (
        getattr(model_field, "max_length", None)
        if widget in {"text", "textarea", "email"} and name != "account_number"
        else None
    )
    return {
        "conflict": conflict,
        "key": key,
        "id": key.replace(":", "-"),
        "label": label or capfirst(str(model_field.verbose_name)),  # type: ignore[union-attr]  # «PP-tjenester», not «Pp-»
        "value": stored if pending is None else pending,
        "base": stored,
        "error": result.error if result is not None and not result.ok and not conflict else pending_error(report, key),
        "max_length": max_length,
        "length_hint": _("At most %(n)s characters.") % {"n": spaced(max_length)} if max_length else "",
        "widget": widget,
        "choices": options.get("choices") or getattr(model_field, "choices", None) or [],
        "help": options.get("help", ""),
        "editable": context.get("editable", False),
        "report": report,
        "required": options.get("required", False),
        "rows": options.get("rows", 4),
        "checked": set(stored.split(",")) if widget == "checkboxes" else set(),
    }


def _widget(model_field: Any) -> str:
    if getattr(model_field, "choices", None):
        return "select"
    if isinstance(model_field, models.JSONField):
        return "checkboxes"
    for cls, widget in KIND_OF.items():
        if isinstance(model_field, cls):
            return widget
    return "text"
