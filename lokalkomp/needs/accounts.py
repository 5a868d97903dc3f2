"""The Statsforvalter changes a side's account number and payment reference (on the report page).

The partnership's contacts change their own side's in the form; the Statsforvalter, who does not write
the report, has this small form instead. It changes the live rows only: a draft's, or for a submitted
report the partnership's current data (which the next report starts from); a submitted version keeps
what it was submitted with. Each change is on record as the form's are: on the partnership's draft's
change record (FieldEdit, through the form's own compare-and-set save), or on the audit record when
the partnership has no draft.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalkomp.accounts.models import AuditEvent, ChangeSource

from .autosave import SaveResult, save_fields, shown
from .forms import ModelValue
from .models import NeedsReport, Participant, as_text

FIELDS = ("account_number", "payment_reference")


class PaymentDetailsForm(forms.Form):
    """A participant's account number and payment reference, each with the value it was changed from (`base_*`)."""

    account_number = ModelValue(Participant, "account_number", label=gettext_lazy("Account number"))
    payment_reference = ModelValue(Participant, "payment_reference", label=gettext_lazy("Payment reference"))
    base_account_number = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    base_payment_reference = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        stored = {name: getattr(participant, name) for name in FIELDS}
        kwargs.setdefault(
            "initial",
            {
                "account_number": shown(stored["account_number"], "account_number"),
                "payment_reference": stored["payment_reference"],
                **{f"base_{name}": as_text(value) for name, value in stored.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.participant = participant

    def changes_account(self) -> bool:
        return bool(self.cleaned_data["account_number"] != self.participant.account_number)


def draft_of(report: NeedsReport) -> NeedsReport | None:
    """The draft whose change record a change to the partnership goes on: this one, else its latest."""
    if report.status == NeedsReport.Status.DRAFT:
        return report
    drafts = NeedsReport.objects.filter(partnership_id=report.partnership_id, status=NeedsReport.Status.DRAFT)
    return drafts.order_by("-round__year", "-pk").first()


def change_payment_details(
    report: NeedsReport, participant: Participant, form: PaymentDetailsForm, *, by: Any
) -> list[SaveResult]:
    """Save the form's values (all or none), compared with what they were changed from; one result per field."""
    posted = [
        (f"participant:{participant.pk}:{name}", [as_text(form.cleaned_data[name])], form.cleaned_data[f"base_{name}"])
        for name in FIELDS
    ]
    draft = draft_of(report)
    if draft is not None:  # the form's own save: compare-and-set, FieldEdit from the form
        return save_fields(draft, posted, by=by)
    return _save_current_data(participant, posted, by=by)


def _save_current_data(
    participant: Participant, posted: list[tuple[str, list[str], str]], *, by: Any
) -> list[SaveResult]:
    """No draft to record it on: the partnership's current data, each change on the audit record."""
    with transaction.atomic():
        row = (
            Participant.objects.select_for_update().select_related("organisation", "partnership").get(pk=participant.pk)
        )
        changed = []
        for key, (value,), base in posted:
            name = key.rsplit(":", 1)[1]
            current = getattr(row, name)
            if value == as_text(current):
                continue
            if base not in {as_text(current), shown(current, name)}:
                return [_conflict(key, current, name, typed=value)]
            changed.append((key, name, current, value))
        for _key, name, _current, value in changed:
            setattr(row, name, value)
        row.save(update_fields=[name for _key, name, _current, _value in changed])
        for key, _name, current, value in changed:
            AuditEvent.record_change(
                key,
                object_repr=row,
                old=current,
                new=value,
                by=by,
                source=ChangeSource.FORM,
                office_id=row.partnership.office_id,
            )
    return [SaveResult(key, "saved", shown=shown(value, key.rsplit(":", 1)[1])) for key, _n, _c, value in changed]


def _conflict(key: str, current: Any, name: str, *, typed: str) -> SaveResult:
    return SaveResult(
        key,
        "conflict",
        shown=shown(current, name),
        theirs=shown(current, name),
        typed=typed,
        error=_("Someone else changed this field after you started. Your text is kept here; choose what to keep."),
    )
