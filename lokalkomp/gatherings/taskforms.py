"""Forms of the group tasks and the municipality's plan (the live activities' forms are in forms.py)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_TABLE, GroupTask, MunicipalPlan, PlanArea, TaskGroup
from .models.plans import FIRST_YEAR, LONGEST_PERIOD, PLAN_ELEMENTS
from .models.tasks import MAX_ANSWER


class TaskForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Template"),
        choices=GroupTask.Level.choices,
        widget=forms.RadioSelect,
        help_text=_("County level: six questions. Municipal level: anchoring, and the plan's seven elements."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: the template's."))


class GroupForm(forms.ModelForm):
    """A group of a task; at municipal level it may name the owner whose plan its answers can start."""

    class Meta:
        model = TaskGroup
        fields = ["name", "table", "owner"]
        labels = {"name": _("Group"), "table": _("Table"), "owner": _("Municipality or owner")}
        help_texts = {"name": _("E.g. «Bord 3» or the municipality's name.")}
        widgets = {"table": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_TABLE})}

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners

    def clean_name(self) -> str:
        name = cast(str, self.cleaned_data["name"]).strip()
        task = self.instance.task
        if TaskGroup.objects.filter(task=task, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The task already has a group with this name."))
        return name


def group_answer_form(task: GroupTask, data: Any = None, *, initial: dict[str, Any] | None = None) -> forms.Form:
    """One text field per question of the task, and the revision the writer saw."""
    form = forms.Form(data, initial=initial)
    for question in task.question_list:
        form.fields[f"q_{question['key']}"] = forms.CharField(
            label=question["title"],
            required=False,
            max_length=MAX_ANSWER,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=" ".join(str(p) for p in question.get("prompts", [])),
        )
    form.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    return form


def answers_of(form: forms.Form) -> dict[str, str]:
    return {name[2:]: value for name, value in form.cleaned_data.items() if name.startswith("q_")}


class PlanForm(forms.ModelForm):
    """The plan's period and its seven content elements (the owner is chosen when it is made)."""

    first_year = forms.IntegerField(
        label=_("From year"),
        min_value=FIRST_YEAR,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    last_year = forms.IntegerField(
        label=_("To year"),
        min_value=FIRST_YEAR,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = MunicipalPlan
        fields = ["owner", "first_year", "last_year", *(name for name, _label in PLAN_ELEMENTS)]
        labels = {"owner": _("Owner"), "first_year": _("From year"), "last_year": _("To year")} | {
            name: label for name, label in PLAN_ELEMENTS
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name, _label in PLAN_ELEMENTS}

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:  # an existing plan keeps its owner
            del self.fields["owner"]
        else:
            cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The period ends in or after the year it begins."))
            elif last - first > LONGEST_PERIOD:
                self.add_error("last_year", _("A plan covers at most ten years."))
        owner = data.get("owner") or getattr(self.instance, "owner", None)
        if owner is not None and first is not None and last is not None:
            same = MunicipalPlan.objects.filter(owner=owner, first_year=first, last_year=last)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("first_year", _("The owner already has a plan for this period."))
        return data

    def validate_unique(self) -> None:
        """Checked in clean() with a message of our own (the owner may not be a field of the form)."""


class PlanAreaForm(forms.ModelForm):
    class Meta:
        model = PlanArea
        fields = ["title", "content"]
        labels = {"title": _("Development area"), "content": _("Content")}
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self) -> str:
        title = cast(str, self.cleaned_data["title"]).strip()
        if PlanArea.objects.filter(plan=self.instance.plan, title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The plan already has this development area."))
        return title
