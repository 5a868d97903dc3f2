"""The forms of the compilation page: each checks what one action posts, with a message in the user's language."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.compilation import COMMENT_MAX, NOTE_MAX, REASON_MAX

VERSION_MAX = 2**31 - 1  # PostgreSQL's integer
PLACE_MAX = 1_000_000  # a place beyond the list is its end


class PlainText(forms.CharField):
    """A text with its line breaks as one character each, as the browser counted them (`maxlength`).

    Django's CharField refuses NUL bytes (ProhibitNullCharactersValidator), so nothing unstorable passes.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


class VersionForm(forms.Form):
    """The compilation's edit version the person's page was made from (compare-and-set)."""

    version = forms.IntegerField(min_value=1, max_value=VERSION_MAX)


class PlaceForm(VersionForm):
    """Where a dragged measure was dropped: its place in its scheme's list (1 is first)."""

    place = forms.CharField(max_length=20)

    def clean_place(self) -> int:
        value = self.cleaned_data["place"].strip()
        if not re.fullmatch(r"[0-9]{1,20}", value, flags=re.ASCII):
            raise forms.ValidationError(_("Give the place as a whole number."))
        return min(max(int(value), 1), PLACE_MAX)


class MarkForm(VersionForm):
    recommended = forms.ChoiceField(
        choices=[("yes", _("Recommended")), ("no", _("Not recommended"))], widget=forms.RadioSelect
    )
    reason = PlainText(max_length=REASON_MAX, required=False, label=_("Why not recommended"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recommended") == "no" and not data.get("reason"):
            self.add_error("reason", _("Write why the network does not recommend the measure."))
        return data


class CommentForm(forms.Form):
    comment = PlainText(max_length=COMMENT_MAX, required=False, label=_("The network's comment"))
    base = PlainText(max_length=COMMENT_MAX * 2, required=False)


class ReopenForm(forms.Form):
    comment = PlainText(max_length=NOTE_MAX, label=_("Why it is reopened"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = _("Write why the compilation is reopened.")
