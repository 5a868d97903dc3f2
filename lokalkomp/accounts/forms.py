from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .access import Target
from .models import Invitation, Membership, Role, User


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person you invite"))
    target = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {t.key: t for t in targets}
        cast(forms.ChoiceField, self.fields["target"]).choices = [("", _("– choose –"))] + [
            (t.key, t.label) for t in targets
        ]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        target = self.targets[data["target"]]
        pending = Invitation.objects.pending().filter(
            email=data["email"],
            role=target.role,
            office=target.office,
            network=target.network,
            organisation=target.organisation,
            partnership=target.partnership,
        )
        if pending.exists():
            raise forms.ValidationError(_("This person has already been invited to this role. The link still works."))
        return data

    def invitation(self) -> Invitation:
        return self.targets[self.cleaned_data["target"]].invitation(self.cleaned_data["email"])


class AccountForm(forms.Form):
    """The invited person's new account: name and password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class MembershipForm(forms.Form):
    """Give one of the office's people a role in the office or one of its networks."""

    # Chosen in the page's list of people (searchable, paginated), not from a <select> of the whole office.
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("Role"))

    def __init__(
        self, *args: Any, people: QuerySet[User] | list[User], places: list[tuple[str, str, dict[str, Any]]], **kw: Any
    ):
        super().__init__(*args, **kw)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = people if isinstance(people, QuerySet) else User.objects.filter(pk__in=[p.pk for p in people])
        person.empty_label = _("– choose –")
        self.places = {key: place for key, _label, place in places}
        cast(forms.ChoiceField, self.fields["target"]).choices = [("", _("– choose –"))] + [
            (key, label) for key, label, _p in places
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        existing = Membership.objects.current().filter(user=data["person"], **self.places[data["target"]])
        if existing.exists():
            raise forms.ValidationError(_("The person already has this role."))
        return data

    def membership(self) -> dict[str, Any]:
        return {"user": self.cleaned_data["person"], **self.places[self.cleaned_data["target"]]}


def role_places(office: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """The roles the administrator gives: the office's roles, and coordinator of each of its networks."""
    from .rules import OFFICE_ROLES

    names = dict(Role.choices)
    places = [
        (f"{role}.office", f"{names[role]} – {office}", {"role": role, "office": office}) for role in OFFICE_ROLES
    ]
    for network in office.networks.all():
        label = f"{names[Role.NETWORK_COORDINATOR]} – {network}"
        places.append(
            (f"coordinator.{network.pk}", label, {"role": Role.NETWORK_COORDINATOR, "office": None, "network": network})
        )
    return places
