"""Forms for an office's long-term plans and their goals (the changes themselves are model methods)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .long_term_plans import FIRST_YEAR, GOAL_LENGTH, LAST_YEAR, LongTermPlan, PlanGoal

YEAR_ERRORS = {
    "invalid": _("Write a year, e.g. 2026."),
    "min_value": _("Write a year from %(limit_value)s."),
    "max_value": _("Write a year up to %(limit_value)s."),
    "required": _("Write the year."),
}


class LongTermPlanForm(forms.Form):
    """A plan's period and title; `office` and the plan being changed (if any) check the period."""

    first_year = forms.IntegerField(
        label=_("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=YEAR_ERRORS
    )
    last_year = forms.IntegerField(
        label=_("To year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=YEAR_ERRORS
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=LongTermPlan._meta.get_field("title").help_text,
    )

    def __init__(self, *args: Any, office: Any, plan: LongTermPlan | None = None, **kwargs: Any) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial", {"first_year": plan.first_year, "last_year": plan.last_year, "title": plan.title}
            )
        super().__init__(*args, **kwargs)
        self.office, self.plan = office, plan

    def clean_title(self) -> str:
        return str(self.cleaned_data["title"]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            try:
                LongTermPlan.check_period(self.office.pk, first, last, exclude=self.plan.pk if self.plan else None)
            except ValidationError as error:
                self.add_error("last_year" if last < first else "first_year", error)
        return data


class PlanGoalForm(forms.Form):
    """A goal's wording; `plan` (and the goal being changed) check that the plan has it only once."""

    text = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the goal.")},
    )

    def __init__(self, *args: Any, plan: LongTermPlan, goal: PlanGoal | None = None, **kwargs: Any) -> None:
        if goal is not None:
            kwargs.setdefault("initial", {"text": goal.text})
        super().__init__(*args, **kwargs)
        self.plan, self.goal = plan, goal

    def clean_text(self) -> str:
        text = " ".join(str(self.cleaned_data["text"]).split())  # one line: it is a choice in a list
        if not text:
            raise ValidationError(_("Write the goal."))
        twins = PlanGoal.objects.filter(plan=self.plan, text__iexact=text)
        if self.goal is not None:
            twins = twins.exclude(pk=self.goal.pk)
        if twins.exists():
            raise ValidationError(_("The plan has this goal already."))
        return text
