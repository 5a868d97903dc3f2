"""The frames page shows its change record read: amounts in kroner, counts spaced, a key's codes in words."""

from __future__ import annotations

import pytest
from django.utils import translation

from lokalkomp.schemes.templatetags.frame_events import frame_value

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _bokmal():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


def test_a_frame_or_a_base_amount_reads_as_kroner() -> None:
    assert frame_value("6420000", "roundscheme:5:budget") == f"kr{NBSP}6{NBSP}420{NBSP}000"
    assert frame_value("300000", "distributionkey:2:base_amount") == f"kr{NBSP}300{NBSP}000"


def test_a_count_reads_as_a_spaced_number_without_kroner() -> None:
    assert frame_value("12640", "keyinput:7:count") == f"12{NBSP}640"


def test_a_basis_reads_in_the_readers_language() -> None:
    assert frame_value("staff", "distributionkey:2:basis") == "Ansatte"


def test_a_keys_summary_names_its_basis_and_its_base_amount_in_kroner() -> None:
    shown = frame_value("staff; base 300000", "distributionkey:2:added")

    assert shown.startswith("Ansatte; ") and shown.endswith(f"kr{NBSP}300{NBSP}000")
    assert "staff" not in shown and "300000" not in shown


def test_a_removed_keys_counts_are_kept_with_their_networks() -> None:
    shown = frame_value("staff; base 0; Indre Helgeland: 1640, Ytre Helgeland: 210", "distributionkey:2:removed")

    assert shown.endswith(f"Indre Helgeland: 1{NBSP}640, Ytre Helgeland: 210")


def test_what_it_does_not_recognise_it_shows_as_stored() -> None:
    assert frame_value("", "roundscheme:5:budget") == ""
    assert frame_value(None, "roundscheme:5:budget") == ""
    assert frame_value("something else", "keyinput:7:removed") == "something else"
