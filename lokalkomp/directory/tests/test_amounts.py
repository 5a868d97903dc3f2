"""The one rule for written amounts lives in directory, so every app reads kroner the same way."""

import pytest

from lokalkomp.directory.amounts import parse_amount
from lokalkomp.needs.importer import amounts as needs_amounts


@pytest.mark.parametrize(
    ("written", "kroner"),
    [("kr 1 200 000", 1_200_000), ("1200000", 1_200_000), ("1 200 000,-", 1_200_000), ("Kr. 1.544.000", 1_544_000)],
)
def test_it_reads_kroner_as_people_write_them(written, kroner):
    assert parse_amount(written) == kroner


@pytest.mark.parametrize("written", ["12 5", "1,5", "-100", "kr", ""])
def test_it_refuses_what_is_not_an_amount(written):
    with pytest.raises(ValueError):
        parse_amount(written)


def test_needs_reads_amounts_with_the_same_function():
    assert needs_amounts.parse_amount is parse_amount
