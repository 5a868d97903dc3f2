"""Forms for adding rows to a needs report. Field values are saved one by one in autosave.py; both clean a
value by its model field's one rule (cleaning.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Organisation

from .cleaning import cleaner_for, max_typed_length, typed_text
from .models import Contact, Measure, NeedsReport, Participant, UnionParticipant


class ModelValue(forms.CharField):
    """A form field cleaned by the one rule of the model field it fills (cleaning.py), as autosave cleans it."""

    def __init__(self, model: type[models.Model], name: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", not model._meta.get_field(name).blank)  # type: ignore[union-attr]
        super().__init__(**kwargs)
        self.max_length = max_typed_length(model, name)  # stated and held on the page, checked by the rule
        self.rule = cleaner_for(model, name)

    def to_python(self, value: Any) -> Any:
        return self.rule(super().to_python(value) or "")


class Line(forms.CharField):
    """A line of text, trimmed as autosave trims one (of spaces and of characters that show nothing)."""

    def to_python(self, value: Any) -> str:
        return typed_text(super().to_python(value) or "", lines=False)


class ReportForm(forms.Form):
    def __init__(self, *args: Any, report: NeedsReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report


PARTY_KINDS = [(kind.value, kind.label) for kind in (*Organisation.OWNER_KINDS, *Organisation.PARTNER_KINDS)]


class ParticipantForm(ReportForm):
    """Another owner or university/college in the partnership, found by org. number or created (unconfirmed)."""

    side = forms.ChoiceField(label=_("Owner or UH"), choices=Participant.Side.choices)
    name = ModelValue(Organisation, "name", label=_("Name of the organisation"))
    org_number = ModelValue(Organisation, "org_number", label=_("Organisation number"), required=True)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("– read from the name –")), *PARTY_KINDS],
        required=False,
        help_text=_(
            "Only for an organisation new to the directory. Left empty, it is read from the name (fagskole, fylkeskommune)."
        ),
    )
    account_number = ModelValue(Participant, "account_number", label=_("Account number"))

    def offered(self) -> Any:
        """The organisations a partnership may pick: the directory's reviewed ones, and its own."""
        partnership = self.report.partnership
        return Organisation.objects.filter(Q(reviewed=True) | Q(participations__partnership=partnership)).distinct()

    def clean_org_number(self) -> str:
        number: str = self.cleaned_data["org_number"]
        if self.report.partnership.participants.filter(organisation__org_number=number).exists():
            raise forms.ValidationError(_("This organisation is already in the partnership."))
        return number

    def clean(self) -> dict[str, Any]:
        """A known organisation joins only on its own side, and an owner only from the office's counties."""
        data = super().clean() or {}
        if self.errors:
            return data
        owner = data["side"] == Participant.Side.OWNER
        existing = Organisation.objects.select_related("municipality__county").filter(org_number=data["org_number"])
        organisation = existing.first()
        if organisation is None:  # new: created unconfirmed, for the Statsforvalter to confirm
            if data["kind"] and data["kind"] not in (Organisation.OWNER_KINDS if owner else Organisation.PARTNER_KINDS):
                self.add_error("kind", forms.ValidationError(_("Choose a kind that belongs on the side chosen.")))
            return data
        if not self.offered().filter(pk=organisation.pk).exists():
            message = _(
                "The organisation with this number is waiting for the Statsforvalter to confirm it. "
                "Ask the Statsforvalter to confirm it, then add it again."
            )
            self.add_error("org_number", forms.ValidationError(message))
            return data
        if organisation.kind not in (Organisation.OWNER_KINDS if owner else Organisation.PARTNER_KINDS):
            self.add_error(
                "org_number",
                forms.ValidationError(
                    _("%(name)s is not an owner (municipality, county or private owner).")
                    if owner
                    else _("%(name)s is not a university, university college or fagskole."),
                    params={"name": organisation.name},
                ),
            )
            return data
        office = self.report.partnership.office_id
        in_counties = organisation.municipality is not None and organisation.municipality.county.office_id == office
        known_here = Participant.objects.filter(organisation=organisation, partnership__office_id=office).exists()
        if owner and not (in_counties or known_here):
            message = _(
                "%(name)s is outside the Statsforvalter's counties. Ask the Statsforvalter if it should take part."
            )
            self.add_error("org_number", forms.ValidationError(message, params={"name": organisation.name}))
        return data

    def save(self, *, by: Any) -> Participant:
        data = self.cleaned_data
        organisation, _created = Organisation.objects.for_party(
            name=data["name"],
            owner=data["side"] == Participant.Side.OWNER,
            org_number=data["org_number"],
            kind=data["kind"],
        )
        partnership = self.report.partnership
        first = not partnership.participants.filter(side=data["side"]).exists()
        return Participant.objects.create(
            partnership=partnership,
            organisation=organisation,
            side=data["side"],
            is_lead=first,
            account_number=data["account_number"],
        )


class ContactForm(ReportForm):
    participant = forms.ModelChoiceField(label=_("Organisation"), queryset=Participant.objects.none())
    name = ModelValue(Contact, "name", label=_("Name"))
    function = ModelValue(Contact, "function", label=_("Function"))
    phone = ModelValue(Contact, "phone", label=_("Phone"))
    email = ModelValue(Contact, "email", label=_("E-mail"), widget=forms.EmailInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = self.report.partnership.participants.select_related("organisation")  # type: ignore[attr-defined]

    def save(self, *, by: Any) -> Contact:
        data = self.cleaned_data
        return Contact.objects.create(
            participant=data["participant"],
            name=data["name"],
            function=data["function"],
            phone=data["phone"],
            email=data["email"],
        )


class UnionParticipantForm(ReportForm):
    role = ModelValue(UnionParticipant, "role", label=_("Role"), initial=_("Union representative"))
    name = ModelValue(UnionParticipant, "name", label=_("Name"))

    def save(self, *, by: Any) -> UnionParticipant:
        return UnionParticipant.objects.create(
            report=self.report, role=self.cleaned_data["role"], name=self.cleaned_data["name"]
        )


class CopyMeasureForm(ReportForm):
    source = forms.ModelChoiceField(label=_("Measure from an earlier report"), queryset=Measure.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        earlier = (
            Measure.objects.filter(
                report__partnership=self.report.partnership, report__round__year__lt=self.report.round.year
            )
            .select_related("report__round")
            .order_by("-report__round__year", "position")
        )
        self.fields["source"].queryset = earlier  # type: ignore[attr-defined]
        self.fields["source"].label_from_instance = lambda m: f"{m.report.round.year}: {m.name}"  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    """Why a report is opened for changes again: sent to the partnership's contacts and kept on its record."""

    comment = Line(label=_("Comment"), max_length=2000, required=False)


class SendBackForm(forms.Form):
    """Why a submitted report is sent back to the partnership: required, e-mailed to its contacts and shown
    at the top of its form until it is submitted again."""

    comment = Line(
        label=_("Why the report is sent back"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the partnership should change: the comment is sent to them.")},
    )
