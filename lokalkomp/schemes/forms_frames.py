"""Forms for a round's budget frames and their keys: amounts and counts as people write them."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.amounts import parse_amount
from lokalkomp.directory.models import Network

from .budgets import MAX_COUNT, MAX_FRAME, DistributionKey, amount_message, count_message

MAX_TYPED = 40  # characters: «kr 1 000 000 000 000,-» and room to spare; more is not an amount
_COUNT = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]{1,9}")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")


def spaced(number: int | None) -> str:
    """A number as the form shows it for editing: 1 200 000 (plain spaces, which the parsers read back)."""
    return "" if number is None else f"{number:,}".replace(",", " ")


class AmountField(forms.Field):
    """Whole kroner as people write them («kr 1 200 000», «1200000», «1 200 000,-»), 0 to MAX_FRAME.

    Empty is `empty_value` (None: not set). The typed text is what the page shows again on an error.
    """

    widget = forms.TextInput

    def __init__(self, *, empty_value: int | None = None, **kwargs: Any) -> None:
        self.empty_value = empty_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = _SPACES.sub(" ", str(value or "")).strip()
        if not text:
            return self.empty_value
        try:
            if len(text) > MAX_TYPED or "\x00" in text:
                raise ValueError(text[:MAX_TYPED])
            amount = parse_amount(text)
        except ValueError:
            amount = -1
        if not 0 <= amount <= MAX_FRAME:
            raise ValidationError(amount_message(), code="invalid")
        return amount


class CountField(forms.Field):
    """A count (staff, units, children) as a whole number, «1 200» or «1200», 0 to MAX_COUNT.

    Empty is None: the network is not in the key (it has no share).
    """

    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        text = _SPACES.sub(" ", str(value or "")).strip()
        if not text:
            return None
        count = int(text.replace(" ", "")) if len(text) <= MAX_TYPED and _COUNT.fullmatch(text) else -1
        if not 0 <= count <= MAX_COUNT:
            raise ValidationError(count_message(), code="invalid")
        return count


class FrameForm(forms.Form):
    amount = AmountField(
        label=_("Budget frame (kr)"),
        required=False,
        help_text=_("Whole kroner, e.g. 1 200 000. Leave empty if the frame is not known yet."),
    )


class KeyForm(forms.Form):
    basis = forms.ChoiceField(label=_("The rest divided by"), choices=DistributionKey.Basis.choices)
    base_amount = AmountField(
        label=_("Base amount per network (kr)"),
        required=False,
        empty_value=0,
        help_text=_("Every network gets this first; the rest of the frame is shared by the counts."),
    )


class CountsForm(forms.Form):
    """One count per network (fields `network-<id>`): the office's, and any in the key that has left it."""

    def __init__(self, *args: Any, networks: list[Network], basis_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.networks = networks
        for network in networks:
            self.fields[f"network-{network.pk}"] = CountField(label=f"{network.name}: {basis_label}", required=False)

    def counts(self) -> dict[int, int | None]:
        """The cleaned counts by network id (None: not in the key); a network whose field was not sent is left as it is."""
        sent = [network for network in self.networks if self.add_prefix(f"network-{network.pk}") in self.data]
        return {network.pk: self.cleaned_data[f"network-{network.pk}"] for network in sent}
