"""Forms: the organisers' (a gathering, its agenda and activities) and the participants' (code, table, answer).

Every field is bounded (lengths, ranges), and Django's text fields refuse NUL bytes, so no input
reaches PostgreSQL that it would refuse: a bad answer is a message, never a 500.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalkomp.schemes.forms import date_field

from .models import (
    CODE_LENGTH,
    MAX_CHOICES,
    MAX_NAME,
    MAX_TABLE,
    MAX_TEXT,
    SCALE_LIMIT,
    Activity,
    AgendaItem,
    Gathering,
)

ONE_WORD_MAX = 60


class GatheringForm(forms.ModelForm):
    """A gathering; the rounds, networks and forums offered are those the user may organise for."""

    date = date_field(_("Date"), required=True)
    link = forms.URLField(
        label=_("Teams link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The Teams link, for a gathering on Teams."),
    )

    class Meta:
        model = Gathering
        fields = [
            "round",
            "network",
            "forum",
            "title",
            "date",
            "place_kind",
            "place",
            "link",
            "audience",
            "participant_limit",
        ]
        labels = {"round": _("Round"), "network": _("Network"), "forum": _("Forum"), "audience": _("Invited")}
        help_texts = {
            "network": _("For a network's gathering: its coordinator runs it too."),
            "audience": _("Once published, the gathering is in the invited people's calendar feed."),
            "participant_limit": _("Phones beyond this number cannot join. Set it a little above the number invited."),
        }

    def __init__(self, *args: Any, rounds: Any, networks: Any, forums: Any, network_required: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, queryset in (("round", rounds), ("network", networks), ("forum", forums)):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        self.fields["network"].required = network_required
        self.fields["participant_limit"].required = False  # left empty: the size it had, or the default

    def clean_participant_limit(self) -> int:
        value = self.cleaned_data.get("participant_limit")
        return int(value) if value is not None else self.instance.participant_limit

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        round, network, forum = data.get("round"), data.get("network"), data.get("forum")
        if network and forum:
            self.add_error("forum", _("A gathering belongs to a network or to the forum, not both."))
        if round and network and network.office_id != round.office_id:
            self.add_error("network", _("The network must belong to the round's office."))
        if round and forum and forum.office_id != round.office_id:
            self.add_error("forum", _("The forum must belong to the round's office."))
        if data.get("audience") == Gathering.Audience.NETWORK and not network:
            self.add_error("audience", _("Only a network's gathering can invite the network."))
        if data.get("place_kind") in ("teams", "both") and not data.get("link"):
            self.add_error("link", _("Give the Teams link."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "what", "led_by"]
        labels = {"starts_at": _("Time"), "what": _("What"), "led_by": _("Who leads")}
        widgets = {"starts_at": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"})}
        help_texts = {"starts_at": _("hh:mm, e.g. 09:30.")}


class ActivityForm(forms.ModelForm):
    """An activity; its options (the choices, the scale's ends) are typed as plain fields."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=MAX_CHOICES * 120,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For multiple choice: one choice per line (at most 20)."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), required=False, min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False, min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT)

    class Meta:
        model = Activity
        fields = ["kind", "question", "moderated", "profanity_filter", "asks_name"]
        labels = {
            "kind": _("Kind"),
            "question": _("Question or statement"),
            "moderated": _("Show nothing to the room before I approve it"),
            "profanity_filter": _("Hold answers with Norwegian swear words for my approval (profanity filter)"),
            "asks_name": _("Ask for the participant's name (otherwise anonymous)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = self.instance.options if isinstance(self.instance.options, dict) else {}
        self.initial.setdefault("choices_text", "\n".join(self.instance.choices))
        self.initial.setdefault("scale_min", options.get("min", 1))
        self.initial.setdefault("scale_max", options.get("max", 5))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == Activity.Kind.MULTIPLE_CHOICE:
            choices = [line.strip()[:120] for line in (data.get("choices_text") or "").splitlines() if line.strip()]
            if len(choices) < 2:
                self.add_error("choices_text", _("Give at least two choices, one per line."))
            elif len(choices) > MAX_CHOICES:
                self.add_error("choices_text", _("At most 20 choices."))
            self.instance.options = {"choices": choices}
        elif kind == Activity.Kind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is None or high is None or not low < high:
                self.add_error("scale_max", _("The scale must run from a lower to a higher number."))
            elif high - low > 20:
                self.add_error("scale_max", _("A scale has at most 21 steps."))
            self.instance.options = {"min": low, "max": high}
        else:
            self.instance.options = {}
        return data


# ── The participants' forms ──


class JoinForm(forms.Form):
    kode = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code on the screen, six letters and digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_kode(self) -> str:
        from .models import normalise_code

        code = normalise_code(self.cleaned_data["kode"])
        if len(code) != CODE_LENGTH or not Gathering.objects.with_code(code).exists():
            raise forms.ValidationError(_("No gathering has that code. Check the code on the screen."))
        return code


class TableForm(forms.Form):
    table = forms.IntegerField(
        label=_("Your table number"),
        min_value=1,
        max_value=MAX_TABLE,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("The number on your table («Bord 12»). Leave it empty if you have none."),
    )


def answer_form(activity: Activity, data: Any = None) -> forms.Form:
    """The form for answering this activity, by its kind."""
    form = forms.Form(data)
    fields = form.fields
    kind = activity.kind
    if kind == Activity.Kind.ONE_WORD:
        fields["text"] = forms.CharField(label=_("One word"), max_length=ONE_WORD_MAX)
    elif kind == Activity.Kind.STATEMENTS:
        fields["text"] = forms.CharField(
            label=_("Your table's statement"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
        )
    elif kind == Activity.Kind.STATEMENT_GAME:
        fields["position"] = forms.ChoiceField(label=_("Your position"), choices=_positions(), widget=forms.RadioSelect)
        fields["text"] = forms.CharField(
            label=_("Why (your argument)"),
            max_length=MAX_TEXT,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    elif kind == Activity.Kind.MULTIPLE_CHOICE:
        choices = [(str(i), label) for i, label in enumerate(activity.choices)]
        fields["choice"] = forms.TypedChoiceField(
            label=_("Your choice"), choices=choices, coerce=int, widget=forms.RadioSelect
        )
    elif kind == Activity.Kind.SCALE:
        low, high = activity.scale_bounds
        choices = [(str(v), str(v)) for v in range(low, high + 1)]
        fields["value"] = forms.TypedChoiceField(
            label=_("Your answer"), choices=choices, coerce=int, widget=forms.RadioSelect
        )
    if activity.asks_name:
        fields["name"] = forms.CharField(label=_("Your name"), max_length=MAX_NAME, required=False)
    return form


def _positions() -> list[tuple[str, Any]]:
    from .models import Response

    return list(Response.Position.choices)
