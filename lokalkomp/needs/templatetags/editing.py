"""The one form-field renderer of the needs report's pages (needs/_field.html), with one id scheme.

A field's input has the id `id`; its message area (errors, «Lagret», a conflict) is `msg-<id>` and its
help text `help-<id>`; `aria-describedby` names both. Three tags fill it:

- `{% field kind obj name %}`: a field of a report that autosaves (its key `kind:pk:name`, id `kind-pk-name`);
- `{% form_field bound_field %}`: a field of a Django form that adds a row (id `prefix-name`);
- `{% new_field "name" %}`: a field of a measure not yet created (`new:name`, id `new-name`).
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lokalkomp.needs.autosave import REGISTRY, pending_error, shown
from lokalkomp.needs.cleaning import max_typed_length, spaced
from lokalkomp.needs.models import Measure

register = template.Library()

WIDGETS = {
    models.PositiveBigIntegerField: "amount",
    models.PositiveIntegerField: "count",
    models.TextField: "textarea",
    models.BooleanField: "yesno",
    models.EmailField: "email",
}


def rendered(
    *,
    key: str,
    label: Any,
    widget: str,
    value: str = "",
    help: Any = "",
    error: str = "",
    max_length: int | None = None,
    required: bool = False,
    choices: Any = (),
    **more: Any,
) -> dict[str, Any]:
    """What needs/_field.html shows: one field, whichever tag it came from."""
    dom_id = key.replace(":", "-")
    hint = _("At most %(n)s characters.") % {"n": spaced(max_length)} if max_length else ""
    return {
        "id": dom_id,
        "key": key,
        "label": label,
        "widget": widget,
        "value": value,
        "help": help,
        "length_hint": hint,
        "describedby": f"help-{dom_id} msg-{dom_id}" if help or hint else f"msg-{dom_id}",
        "error": error,
        "max_length": max_length,
        "required": required,
        "choices": [(str(code), text) for code, text in choices],
        "checked": set(value.split(",")) if widget == "checkboxes" else set(),
        "rows": 4,
        "blank_choice": False,
        "editable": True,
        "autosave": False,
        "base": None,
        "conflict": None,
        "autofocus": False,
    } | more


@register.inclusion_tag("needs/_field.html", takes_context=True)
def field(context: Any, kind: str, obj: models.Model, name: str, label: str = "", **options: Any) -> dict[str, Any]:
    """An autosaving field: the stored value, or what was typed and why it is not stored yet."""
    report = context["report"]
    key = f"{kind}:{obj.pk}:{name}"
    model = REGISTRY[kind].model
    model_field: Any = model._meta.get_field(name)
    stored = shown(getattr(obj, model_field.attname), name)
    pending = report.pending.get(key)
    result = context.get("results", {}).get(key)
    conflict = result if result is not None and result.status == "conflict" else None
    if conflict:
        pending = conflict.typed  # keep what this person typed beside the other person's value
    elif result is not None and result.status in {"invalid", "held", "refused"}:
        pending = result.shown  # a form saved all or nothing: show what was typed, and why it was not saved
    widget = options.get("widget") or _widget(model_field)
    editable = bool(context.get("editable", False))
    return rendered(
        key=key,
        label=label or question(model, model_field),
        widget=widget,
        value=stored if pending is None else pending,
        help=options.get("help", ""),
        error=result.error if result is not None and not result.ok and not conflict else pending_error(report, key),
        max_length=max_typed_length(model, name) if widget in {"text", "textarea", "email"} else None,
        required=isinstance(model_field, models.CharField | models.TextField) and not model_field.blank,
        choices=options.get("choices") or model_field.choices or (),
        rows=options.get("rows", 4),
        blank_choice=True,
        editable=editable,
        autosave=editable,
        base=stored,
        conflict=conflict,
        report=report,
    )


def question(model: type[models.Model], model_field: Any) -> str:
    """A field's label: for a measure, the form's question (`Measure.question`); else the field's name."""
    if model is Measure:
        return Measure.question(model_field.name)
    return capfirst(str(model_field.verbose_name))  # «PP-tjenester», not «Pp-»


def _widget(model_field: Any) -> str:
    if model_field.choices:
        return "select"
    if isinstance(model_field, models.JSONField):
        return "checkboxes"
    return next((widget for cls, widget in WIDGETS.items() if isinstance(model_field, cls)), "text")


@register.inclusion_tag("needs/_field.html")
def form_field(bound: forms.BoundField) -> dict[str, Any]:
    """A field of a Django form (posted as a whole, not autosaved), shown again with its errors."""
    form_field = bound.field
    if isinstance(form_field, forms.ChoiceField):
        widget = "select"
    else:
        widget = "email" if isinstance(form_field.widget, forms.EmailInput) else "text"
    value = bound.value()
    return rendered(
        key=bound.html_name,
        label=bound.label,
        widget=widget,
        value="" if value is None else str(value),
        help=form_field.help_text,
        error=" ".join(str(e) for e in bound.errors),
        max_length=getattr(form_field, "max_length", None),
        required=form_field.required,
        choices=getattr(form_field, "choices", ()),
    )


@register.inclusion_tag("needs/_field.html", takes_context=True)
def new_field(context: Any, name: str, label: str, **options: Any) -> dict[str, Any]:
    """A field of a measure that its first save creates: what was typed, and why it was refused."""
    model_field: Any = Measure._meta.get_field(name)
    widget = "select" if options.get("choices") else _widget(model_field)
    return rendered(
        key=f"new:{name}",
        label=label,
        widget=widget,
        value=context.get("new_values", {}).get(name, ""),
        error=context.get("new_errors", {}).get(name, ""),
        max_length=max_typed_length(Measure, name) if widget == "text" else None,
        required=isinstance(model_field, models.CharField) and not model_field.blank,
        choices=options.get("choices", ()),
        autofocus=options.get("autofocus", False),
    )
