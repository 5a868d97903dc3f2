"""The forms of the payments page and of the pool's and the extra allocation's decisions.

Amounts are whole kroner as people write them (`schemes.forms_frames.AmountField`); dates as the
browser's date field sends them or as dd.mm.yyyy; texts refuse NUL bytes (Django's CharField).
Every refusal is a message in the user's language, and the form keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.forms_frames import AmountField
from lokalkomp.schemes.models import Round, Scheme

from .compilation_forms import PlainText
from .models.frame_line import FrameLine
from .models.payment import REASON_MAX, REFERENCE_MAX, Payment

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DESCRIPTION_MAX = 500
CONDITIONS_MAX = 5000
DATE_MESSAGE = _("Write a date that exists, as dd.mm.yyyy.")


class PaidOnField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Paid on"))
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE, "required": _("Write the date it was paid.")})
        super().__init__(input_formats=DATE_FORMATS, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and (len(value) > 40 or "\x00" in value):
            raise forms.ValidationError(DATE_MESSAGE, code="invalid")
        return super().to_python(value)


class StatusForm(forms.Form):
    """One payment: paid on a date, or back to «to pay» with why."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=Payment.Status.choices,
        error_messages={"invalid_choice": _("Choose «to pay» or «paid»."), "required": _("Choose «to pay» or «paid».")},
    )
    paid_on = PaidOnField(required=False)
    reason = PlainText(label=_("Why"), required=False, max_length=REASON_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Payment.Status.PAID and not data.get("paid_on") and "paid_on" not in self.errors:
            self.add_error("paid_on", _("Write the date it was paid."))
        if data.get("status") == Payment.Status.TO_PAY and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the payment is to be paid after all."))
        return data


class AllPaidForm(forms.Form):
    paid_on = PaidOnField()


def _choice_errors(what: Any) -> dict[str, Any]:
    return {"required": _("Choose %(what)s.") % {"what": what}, "invalid_choice": _("Choose one of the list.")}


def partner_institutions() -> QuerySet[Organisation]:
    """UH and fagskoler of the directory: the pool's partners."""
    return Organisation.objects.filter(kind__in=Organisation.PARTNER_KINDS).order_by("name", "pk")


def recipients_of(round: Round) -> QuerySet[Organisation]:
    """Who an extra allocation may go to: the office's owners (in its partnerships or its municipalities), every UH
    and fagskole."""
    in_office = Organisation.objects.filter(participations__partnership__office_id=round.office_id).values("pk")
    local = Q(pk__in=in_office) | Q(municipality__county__office_id=round.office_id)
    return Organisation.objects.filter(
        Q(local, kind__in=Organisation.OWNER_KINDS) | Q(kind__in=Organisation.PARTNER_KINDS)
    ).order_by("name", "pk")


def round_schemes(round: Round) -> QuerySet[Scheme]:
    return Scheme.objects.filter(round_schemes__round=round).order_by("code")


class DecisionForm(forms.Form):
    """What a pool or extra decision has in common: recipient, scheme, amount, reference."""

    recipient = forms.ModelChoiceField(
        label=_("Recipient"), queryset=Organisation.objects.none(), error_messages=_choice_errors(_("a recipient"))
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=Scheme.objects.none(), error_messages=_choice_errors(_("a scheme"))
    )
    amount = AmountField(label=_("Amount (kr)"), required=True, error_messages={"required": _("Write the amount.")})
    reference = forms.CharField(label=_("Payment reference (KID or text)"), required=False, max_length=REFERENCE_MAX)

    def __init__(self, *args: Any, round: Round, recipients: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["scheme"].queryset = round_schemes(round)  # type: ignore[attr-defined]

    def clean_amount(self) -> int:
        amount: int = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("A decision grants more than 0 kr."))
        return amount


class PoolDecisionForm(DecisionForm):
    description = PlainText(label=_("Description"), max_length=DESCRIPTION_MAX)
    conditions = PlainText(label=_("Conditions"), required=False, max_length=CONDITIONS_MAX, widget=forms.Textarea)


class ExtraDecisionForm(DecisionForm):
    measure = forms.ModelChoiceField(
        label=_("Measure (optional)"),
        queryset=Measure.objects.none(),
        required=False,
        error_messages=_choice_errors(_("a measure")),
    )
    reason = PlainText(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea)

    def __init__(self, *args: Any, round: Round, recipients: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, round=round, recipients=recipients, **kwargs)
        self.fields["measure"].queryset = (  # type: ignore[attr-defined]
            Measure.objects.filter(report__round=round, report__status=NeedsReport.Status.SUBMITTED)
            .select_related("report__partnership")
            .order_by("report__partnership__name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure, scheme = data.get("measure"), data.get("scheme")
        if measure is not None and scheme is not None and measure.scheme_id != scheme.pk:
            self.add_error("measure", _("The measure is in another scheme than the one chosen."))
        return data


class FrameLineForm(forms.Form):
    kind = forms.ChoiceField(choices=FrameLine.Kind.choices, error_messages=_choice_errors(_("a kind")))
    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=Scheme.objects.none(), error_messages=_choice_errors(_("a scheme"))
    )
    amount = AmountField(label=_("Amount (kr)"), required=True, error_messages={"required": _("Write the amount.")})
    reason = PlainText(label=_("Why"), required=False, max_length=REASON_MAX)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = round_schemes(round)  # type: ignore[attr-defined]
