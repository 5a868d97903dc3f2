"""Forms for adding rows to a needs report. Field values are saved one by one in autosave.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import clean_account_number, clean_email, clean_org_number, clean_phone

from .autosave import CONTROL, TRIM
from .models import Contact, Measure, NeedsReport, Participant, UnionParticipant


class TextField(forms.CharField):
    """A line of text as autosave takes it: trimmed of spaces and of characters that show nothing (a
    byte-order mark, zero-width spaces, direction marks), so they never count as filling in a name; and
    refused if it holds a control character."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if CONTROL.search(text):
            raise forms.ValidationError(
                _("The text contains an invisible control character that cannot be saved. Type the text again.")
            )
        return text.strip(TRIM)


class ReportForm(forms.Form):
    def __init__(self, *args: Any, report: NeedsReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report


class ParticipantForm(ReportForm):
    """Another owner or university/college in the partnership, found or created by org. number."""

    side = forms.ChoiceField(label=_("Owner or UH"), choices=Participant.Side.choices)
    name = TextField(label=_("Name of the organisation"), max_length=200)
    org_number = TextField(label=_("Organisation number"), max_length=20)
    account_number = TextField(label=_("Account number"), max_length=20, required=False)

    def offered(self) -> Any:
        """The organisations a partnership may pick: the directory's reviewed ones, and its own."""
        partnership = self.report.partnership
        return Organisation.objects.filter(Q(reviewed=True) | Q(participations__partnership=partnership)).distinct()

    def clean_org_number(self) -> str:
        number = clean_org_number(self.cleaned_data["org_number"])
        if self.report.partnership.participants.filter(organisation__org_number=number).exists():
            raise forms.ValidationError(_("This organisation is already in the partnership."))
        return number

    def clean_account_number(self) -> str:
        value = self.cleaned_data["account_number"]
        return clean_account_number(value) if value else ""

    def clean(self) -> dict[str, Any]:
        """A known organisation joins only on its own side, and an owner only from the office's counties."""
        data = super().clean() or {}
        if self.errors:
            return data
        existing = Organisation.objects.select_related("municipality__county").filter(org_number=data["org_number"])
        organisation = existing.first()
        if organisation is None:
            return data  # new: created unconfirmed, for the Statsforvalter to confirm
        if not self.offered().filter(pk=organisation.pk).exists():
            message = _(
                "The organisation with this number is waiting for the Statsforvalter to confirm it. "
                "Ask the Statsforvalter to confirm it, then add it again."
            )
            self.add_error("org_number", forms.ValidationError(message))
            return data
        kinds = Organisation.OWNER_KINDS if data["side"] == Participant.Side.OWNER else Organisation.PARTNER_KINDS
        if organisation.kind not in kinds:
            self.add_error(
                "org_number",
                forms.ValidationError(
                    _("%(name)s is not an owner (municipality, county or private owner).")
                    if data["side"] == Participant.Side.OWNER
                    else _("%(name)s is not a university, university college or fagskole."),
                    params={"name": organisation.name},
                ),
            )
            return data
        office = self.report.partnership.office_id
        in_counties = organisation.municipality is not None and organisation.municipality.county.office_id == office
        known_here = Participant.objects.filter(organisation=organisation, partnership__office_id=office).exists()
        if data["side"] == Participant.Side.OWNER and not (in_counties or known_here):
            message = _(
                "%(name)s is outside the Statsforvalter's counties. Ask the Statsforvalter if it should take part."
            )
            self.add_error("org_number", forms.ValidationError(message, params={"name": organisation.name}))
        return data

    def save(self, *, by: Any) -> Participant:
        data = self.cleaned_data
        kind = Organisation.Kind.MUNICIPALITY if data["side"] == "owner" else Organisation.Kind.UNIVERSITY
        organisation, _created = Organisation.objects.get_or_create(
            org_number=data["org_number"], defaults={"name": data["name"], "kind": kind, "reviewed": False}
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
    name = TextField(label=_("Name"), max_length=200)
    function = TextField(label=_("Function"), max_length=200, required=False)
    phone = TextField(label=_("Phone"), max_length=30, required=False)  # the one rule: clean_phone
    email = TextField(label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return clean_phone(value) if value else ""

    def clean_email(self) -> str:
        value = self.cleaned_data["email"]
        return clean_email(value) if value else ""

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
    role = TextField(label=_("Role"), max_length=200, initial=_("Union representative"))
    name = TextField(label=_("Name"), max_length=200)

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

    comment = TextField(label=_("Comment"), max_length=2000, required=False)
