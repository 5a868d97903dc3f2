"""The forms of the assessment: a measure's assessment, the round's setup, a declaration of ties.

Each cleans what a person typed to what the model holds, or says in Norwegian what is wrong; none
lets a NUL byte, an unknown choice, an id that is no one's or an over-long text reach the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.cleaning import typed_text

from ...models import Assessment, Criterion, CriterionScore
from ...models.assessment import COMMENT_MAX

VERSION_MAX = 2**31 - 1  # the PositiveIntegerField's range
ID_MAX = 2**62  # larger ids than a bigint holds are no one's


class Text(forms.CharField):
    """A text of several lines, kept as typed; a control character (a NUL byte) is refused with a message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", COMMENT_MAX)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return typed_text(super().to_python(value) or "", lines=True)


class Organisations(forms.ModelMultipleChoiceField):
    """Organisations by id; an id that is no number a database column holds is refused before it is asked."""

    def clean(self, value: Any) -> Any:
        for pk in value or []:
            if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and 0 < int(pk) <= ID_MAX):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk[:20]}
                )
        return super().clean(value)


class AssessmentForm(forms.Form):
    """One measure's assessment: a score and a comment per criterion, the recommendation, a free comment.

    Fields per criterion are `score-<criterion pk>` and `comment-<criterion pk>`; `version` is the
    compare-and-set token the form was loaded with (0: not started).
    """

    version = forms.IntegerField(
        label=_("The page"),
        min_value=0,
        max_value=VERSION_MAX,
        widget=forms.HiddenInput,
        error_messages={
            key: _("The page is out of date or damaged: reload it and type your change again.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"), choices=Assessment.Recommendation.choices, required=False
    )
    comment = Text(label=_("Comment"))

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = forms.ChoiceField(
                label=str(criterion), choices=CriterionScore.Score.choices, required=False
            )
            self.fields[f"comment-{criterion.pk}"] = Text(
                label=_("Comment on %(criterion)s") % {"criterion": criterion}
            )

    def scores(self) -> dict[int, tuple[str, str]]:
        """The cleaned scores, by criterion pk: (score, comment)."""
        data = self.cleaned_data
        return {c.pk: (data.get(f"score-{c.pk}") or "", data.get(f"comment-{c.pk}") or "") for c in self.criteria}


class SetupForm(forms.Form):
    central_questions = forms.BooleanField(label=_("Ask Trøndelag's four central questions too"), required=False)


class DeclarationForm(forms.Form):
    """A forum member's declaration of ties for a round: organisations and free text, or «no other ties»."""

    organisations = Organisations(
        label=_("Organisations I am tied to"), queryset=Organisation.objects.none(), required=False
    )
    ties = Text(label=_("Other ties"))
    no_other_ties = forms.BooleanField(label=_("I have no other ties"), required=False)

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = bool(data.get("organisations")) or bool((data.get("ties") or "").strip())
        if data.get("no_other_ties") and named:
            raise forms.ValidationError(
                _("Either name your ties or tick «I have no other ties», not both."), code="both"
            )
        if not data.get("no_other_ties") and not named and not self.errors:
            raise forms.ValidationError(
                _("Name the organisations or other ties you have, or tick «I have no other ties»."), code="empty"
            )
        return data
