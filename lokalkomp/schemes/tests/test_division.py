"""Dividing a frame by a key: a base amount each, the rest by the counts, whole kroner summing to the frame."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkomp.schemes.division import divide


def totals(division):
    return {share.network: share.total for share in division.shares}


def test_each_network_gets_the_base_and_a_share_of_the_rest_by_its_count():
    division = divide(1_000_000, 100_000, [("Ytre", 100), ("Indre", 300)])

    assert totals(division) == {"Ytre": 100_000 + 200_000, "Indre": 100_000 + 600_000}
    assert division.is_whole and division.problem == ""
    assert division.total == 1_000_000
    assert division.counted == 400


def test_the_rounding_remainder_goes_to_the_largest_remainders_so_the_shares_sum_to_the_frame():
    division = divide(100, 0, [("A", 1), ("B", 1), ("C", 1)])  # 33.33 each

    assert [share.total for share in division.shares] == [34, 33, 33]  # a tie: the first in order
    assert division.total == 100


def test_the_largest_remainder_wins_whatever_the_order():
    # 10 kr by 1:2:4 → 1.43, 2.86, 5.71: whole 1 + 2 + 5 = 8, the two kroner to the remainders .86 and .71
    division = divide(10, 0, [("A", 1), ("B", 2), ("C", 4)])

    assert totals(division) == {"A": 1, "B": 3, "C": 6}


def test_the_same_input_gives_the_same_division_every_time():
    counts = [(f"N{i}", i % 7 + 1) for i in range(25)]
    assert divide(9_999_999, 1_000, counts) == divide(9_999_999, 1_000, counts)


def test_no_networks_is_a_message_not_a_crash():
    division = divide(500_000, 0, [])

    assert division.shares == () and division.total == 0
    assert not division.is_whole and division.problem


def test_base_amounts_above_the_frame_are_a_clear_message_not_a_crash():
    division = divide(1_000_000, 600_000, [("A", 1), ("B", 1)])

    assert division.shares == () and division.total == 0
    assert "2 × kr\u00a0600\u00a0000 = kr\u00a01\u00a0200\u00a0000" in division.problem
    assert "kr\u00a01\u00a0000\u00a0000" in division.problem


def test_zero_counts_give_the_bases_and_say_the_rest_is_not_divided():
    division = divide(1_000_000, 100_000, [("A", 0), ("B", 0)])

    assert totals(division) == {"A": 100_000, "B": 100_000}
    assert division.frame - division.total == 800_000
    assert "kr\u00a0800\u00a0000" in division.problem


def test_zero_counts_are_fine_when_the_bases_take_the_whole_frame():
    division = divide(200_000, 100_000, [("A", 0), ("B", 0)])

    assert division.is_whole and division.total == 200_000


def test_a_network_with_count_zero_gets_only_the_base():
    division = divide(1_000_000, 50_000, [("A", 0), ("B", 10)])

    assert totals(division) == {"A": 50_000, "B": 950_000}


def test_a_frame_of_zero_divides_into_zeros():
    division = divide(0, 0, [("A", 3), ("B", 4)])

    assert totals(division) == {"A": 0, "B": 0} and division.is_whole


def test_the_largest_numbers_the_forms_allow_divide_exactly():
    division = divide(10**12, 0, [("A", 1_000_000), ("B", 999_999), ("C", 1)])

    assert division.total == 10**12


def test_negative_numbers_are_a_programming_error():
    with pytest.raises(ValueError):
        divide(-1, 0, [("A", 1)])
    with pytest.raises(ValueError):
        divide(100, 0, [("A", -1)])


@given(
    frame=st.integers(min_value=0, max_value=10**12),
    base=st.integers(min_value=0, max_value=10**9),
    counts=st.lists(st.integers(min_value=0, max_value=1_000_000), max_size=30),
)
def test_a_whole_division_always_sums_to_the_frame_and_no_share_is_off_by_a_krone(frame, base, counts):
    division = divide(frame, base, [(i, count) for i, count in enumerate(counts)])

    assert division.total <= frame
    assert division.total == frame or not division.is_whole
    if division.is_whole and division.counted:
        rest = frame - base * len(counts)
        for share in division.shares:
            exact = Fraction(rest * share.count, division.counted)
            assert abs(share.by_count - exact) < 1
