"""Forms for a round's annual cycle: its milestones and its reminder setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Milestone, Round, Transition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Dates are typed the Norwegian way, 15.12.2024; ISO (2024-12-15) is accepted too, whatever the language.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATE_HELP = _("dd.mm.yyyy, e.g. 15.12.2024.")
DETAILS_MAX_LENGTH = 2000


def _at_most(n: int) -> str:
    return gettext("At most %(n)s characters.") % {"n": n}


def date_field(label: StrOrPromise, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y"),
        help_text=DATE_HELP,
        error_messages={"invalid": _("Write the date as dd.mm.yyyy, e.g. 15.12.2024.")},
    )


class MilestoneForm(forms.ModelForm):
    """A milestone of one round; the round is given through the instance (`Milestone(round=round)`)."""

    starts_on = date_field(_("Date"), required=True)
    ends_on = date_field(_("Until (for a period)"), required=False)
    governs = forms.ChoiceField(
        label=_("Deadline for"),
        choices=[("", _("Not a deadline")), *Transition.choices],
        required=False,
        help_text=_("Choose a step only if this milestone is the deadline that closes it."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=lazy(_at_most, str)(DETAILS_MAX_LENGTH),
    )

    class Meta:
        model = Milestone
        fields = ["title", "starts_on", "ends_on", "when_text", "location", "audience", "governs", "details"]
        labels = {
            "title": _("What"),
            "when_text": _("When, as written"),
            "location": _("Where"),
            "audience": _("For whom"),
        }
        help_texts = {
            "when_text": _("Optional, e.g. “Week 43”. Shown instead of the dates."),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The last day cannot be before the first day."))
            elif ends_on == starts_on:
                data["ends_on"] = None  # one day is not a period
        return data

    def clean_governs(self) -> str:
        governs: str = self.cleaned_data["governs"]
        if not governs:
            return governs
        other = self.instance.round.milestones.filter(governs=governs).exclude(pk=self.instance.pk).first()
        if other:
            raise forms.ValidationError(
                _("This round already has the deadline “%(step)s”: “%(title)s” on %(date)s. Change that one instead."),
                params={
                    "step": other.get_governs_display(),
                    "title": other.title,
                    "date": other.last_day.strftime("%d.%m.%Y"),
                },
            )
        return governs

    def save_by(self, user: Any) -> Milestone:
        """Save with a record of what was added or changed (the form's `initial` holds the old values)."""
        before = {name: self.initial.get(name) for name in Milestone.RECORDED_FIELDS} if self.instance.pk else None
        self.instance.updated_by = user
        with transaction.atomic():
            milestone = self.save()
            milestone.record_saved(before, by=user)
        return milestone


class ReminderForm(forms.ModelForm):
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before each deadline"),
        min_value=1,
        max_value=90,
        help_text=_("Those who have not delivered are reminded this many days before a deadline."),
    )

    class Meta:
        model = Round
        fields = ["reminder_days"]
