"""The form for a forum seat: its organisation, role, vote and representative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Forum, ForumMember, Office, Organisation
from .seats import candidates_q

# Organisations that sit in a forum whatever their place (UH, unions, KS, the Statsforvalter); owners
# only from the office's own counties and networks.
NOT_OWNERS = [kind for kind in Organisation.Kind.values if kind not in Organisation.OWNER_KINDS]


def seat_organisations(office: Office) -> QuerySet[Organisation]:
    """The organisations a seat in the office's forum may be for: confirmed ones, owners of the office only."""
    near = Q(kind__in=NOT_OWNERS) | Q(municipality__county__office=office) | Q(networks__office=office)
    return Organisation.objects.reviewed().filter(near).distinct().order_by("name", "pk")


def seat_people(office: Office) -> QuerySet[Any]:
    """The people who may represent an organisation in the office's forum (accounts says who they are)."""
    return get_user_model().objects.filter(candidates_q(office.pk)).distinct()


class SeatForm(forms.Form):
    """A new seat (`seat` None) or a change to one; the organisation of a seat does not change."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    role = forms.ChoiceField(label=_("Role in the forum"), choices=ForumMember.Role.choices)
    votes = forms.BooleanField(
        label=_("Has a vote"),
        required=False,
        help_text=_("Only members and deputies vote. The Statsforvalter never does."),
    )
    person = forms.ModelChoiceField(
        label=_("Representative"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Not named yet"),
        help_text=_("One of the office's people."),
        error_messages={"invalid_choice": _("Choose a person from the list: one of the office's people.")},
    )

    def __init__(self, *args: Any, forum: Forum, seat: ForumMember | None = None, **kwargs: Any) -> None:
        if seat is not None:
            kwargs.setdefault("initial", {"role": seat.role, "votes": seat.votes, "person": seat.person_id})
        super().__init__(*args, **kwargs)
        self.forum, self.seat = forum, seat
        self.fields["person"].queryset = seat_people(forum.office)  # type: ignore[attr-defined]
        if seat is None:
            self.fields["organisation"].queryset = seat_organisations(forum.office)  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        trial = ForumMember(
            pk=self.seat.pk if self.seat else None,
            forum=self.forum,
            organisation=self.seat.organisation if self.seat else data["organisation"],
            role=data["role"],
            votes=data["votes"],
            person=data["person"],
        )
        try:
            trial.check_seat()
        except ValidationError as error:
            self.add_errors(error)
        return data

    def add_errors(self, error: ValidationError) -> None:
        """A model's refusal (by field) on the form's fields."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
