"""The form of a recommendation step: the meeting's date, the forum's seats present, how it was decided, the minutes.

Those present are ticked among the forum's seats (`directory.ForumMember` of the round's office). The
record keeps each seat as it was on the day ({"seat", "organisation", "person", "role", "votes"}), so a
seat changed later does not change the meeting. Only voting seats count in a vote: the Statsforvalter's
secretariat and observers never do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lokalkomp.directory.models import ForumMember

from .compilation_forms import PlainText
from .models.recommendation import NOTE_MAX, RecommendationStep

VOTES_MAX = 1000


def forum_seats(round: Any) -> list[ForumMember]:
    """The seats of the round's office's forum, members first, with their organisation and person (one query)."""
    return list(
        ForumMember.objects.filter(forum__office_id=round.office_id)
        .select_related("organisation", "person")
        .order_by("role", "organisation__name", "pk")
    )


def seat_record(seat: ForumMember) -> dict[str, Any]:
    person = seat.person
    name = (person.get_full_name() or person.email) if person is not None else ""
    return {
        "seat": seat.pk,
        "organisation": seat.organisation.name,
        "person": name,
        "role": seat.role,
        "votes": bool(seat.votes),
    }


class StepForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Meeting date"), error_messages={"invalid": _("Write a date that exists, as dd.mm.yyyy.")}
    )
    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        error_messages={"invalid_choice": _("Tick only the forum's seats listed.")},
    )
    decided_how = forms.ChoiceField(
        label=_("How it was decided"),
        choices=RecommendationStep.DecidedHow.choices,
        error_messages={
            "required": _("Say whether it was decided by consensus or by vote."),
            "invalid_choice": _("Say whether it was decided by consensus or by vote."),
        },
    )
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0, max_value=VOTES_MAX)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0, max_value=VOTES_MAX)
    votes_blank = forms.IntegerField(label=_("Blank votes"), required=False, min_value=0, max_value=VOTES_MAX)
    note = PlainText(label=_("Minutes"), required=False, max_length=NOTE_MAX, widget=forms.Textarea)

    def __init__(self, *args: Any, seats: list[ForumMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = {str(seat.pk): seat for seat in seats}
        present = self.fields["present"]
        assert isinstance(present, forms.MultipleChoiceField)
        present.choices = [(pk, str(seat)) for pk, seat in self.seats.items()]

    def clean_meeting_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["meeting_date"]
        if not 2000 <= date.year <= 2100:
            raise forms.ValidationError(_("Write a date between the years 2000 and 2100."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [self.seats[pk] for pk in data.get("present") or [] if pk in self.seats]
        if self.seats and "present" in data and not chosen:
            self.add_error("present", _("Tick the seats that were present."))
        if data.get("decided_how") == RecommendationStep.DecidedHow.VOTE:
            self._check_votes(data, sum(1 for seat in chosen if seat.votes))
        return data

    def _check_votes(self, data: dict[str, Any], voting: int) -> None:
        if any(name in self.errors for name in ("votes_for", "votes_against", "votes_blank", "present")):
            return
        for name in ("votes_for", "votes_against"):
            if data.get(name) is None:
                self.add_error(name, _("A vote needs the number of votes for and against."))
        cast = sum(data.get(name) or 0 for name in ("votes_for", "votes_against", "votes_blank"))
        if cast > voting:
            self.add_error(
                None,
                ngettext(
                    "%(cast)s votes were counted, but %(n)s seat with a vote was present. Only members and deputies "
                    "vote, one vote a seat; the Statsforvalter has no vote.",
                    "%(cast)s votes were counted, but %(n)s seats with a vote were present. Only members and deputies "
                    "vote, one vote a seat; the Statsforvalter has no vote.",
                    voting,
                )
                % {"cast": cast, "n": voting},
            )

    def present_record(self) -> list[dict[str, Any]]:
        """The seats ticked, as the meeting record keeps them."""
        return [seat_record(self.seats[pk]) for pk in self.cleaned_data.get("present") or [] if pk in self.seats]

    def step_arguments(self) -> dict[str, Any]:
        """What `Recommendation.advance` takes, from a valid form."""
        data = self.cleaned_data
        vote = data["decided_how"] == RecommendationStep.DecidedHow.VOTE
        return {
            "meeting_date": data["meeting_date"],
            "present": self.present_record(),
            "decided_how": data["decided_how"],
            "votes_for": data.get("votes_for") if vote else None,
            "votes_against": data.get("votes_against") if vote else None,
            "votes_blank": data.get("votes_blank") if vote else None,
            "note": data.get("note") or "",
        }
