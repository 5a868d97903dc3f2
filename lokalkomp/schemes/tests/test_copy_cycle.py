"""“Copy from last year”: the same cycle a year later, in an empty round only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokalkomp.schemes.models import Milestone, Round, Scheme, shift_years
from lokalkomp.testing import make_office, make_round

from .helpers import add_cycle, body


@pytest.fixture
def cycle_2024(db):
    round = make_round(make_office("nordland"), year=2024)
    add_cycle(round)
    return round


def test_seed_004s_2024_cycle_copied_to_2025_is_a_year_later(cycle_2024):
    target = make_round(cycle_2024.office, year=2025)
    copies = target.copy_cycle_from(cycle_2024)
    assert len(copies) == cycle_2024.milestones.count() == 16
    needs = target.milestones.get(governs="needs_reports")
    assert needs.starts_on == dt.date(2024, 12, 15)
    assert needs.title == "Partnerskap leverer behovsmelding til kompetansenettverket"
    assert needs.audience == "partnerships"
    week_43 = target.milestones.get(when_text="Uke 43")
    assert week_43.starts_on == dt.date(2024, 10, 23)  # 23.10.2023 a year on; the text stays «Uke 43»
    assert week_43.location == "Digitalt – Teams; fysisk i Indre og Ytre Helgeland"
    assert target.milestones.get(title__startswith="Foreløpig innstillingsmøte").ends_on == dt.date(2025, 3, 14)
    assert set(target.milestones.exclude(governs="").values_list("governs", flat=True)) == {
        "needs_reports",
        "network_compilation",
        "recommendation",
        "decision",
        "reports_due",
    }
    assert cycle_2024.milestones.count() == 16  # the source is untouched


def test_29_february_becomes_28_february():
    assert shift_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert shift_years(dt.date(2023, 2, 28), 1) == dt.date(2024, 2, 28)
    assert shift_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_copying_into_a_round_that_has_milestones_is_refused(cycle_2024):
    target = make_round(cycle_2024.office, year=2025)
    Milestone.objects.create(round=target, title="Allerede lagt inn", starts_on=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError, match="already has an annual cycle|har allerede et årshjul"):
        target.copy_cycle_from(cycle_2024)
    assert target.milestones.count() == 1


def test_starting_next_year_makes_the_round_with_its_schemes_and_the_cycle(cycle_2024):
    following = cycle_2024.start_next_year()
    assert (following.office, following.year) == (cycle_2024.office, 2025)
    assert set(following.schemes.all()) == set(Scheme.objects.valid_in(2025))
    assert following.milestones.get(governs="needs_reports").starts_on == dt.date(2024, 12, 15)


def test_starting_next_year_fills_an_existing_empty_round(cycle_2024):
    existing = make_round(cycle_2024.office, year=2025)
    assert cycle_2024.start_next_year() == existing
    assert existing.milestones.count() == 16


@pytest.fixture
def governor(client, people):
    client.force_login(people.governor)
    return client


def test_the_statsforvalter_copies_last_years_cycle_into_an_empty_round(governor, people):
    add_cycle(make_round(people.office, year=2026))
    url = reverse("schemes:copy_previous", args=[people.office.slug, 2027])
    response = governor.post(url, follow=True)
    assert response.status_code == 200
    assert "16" in body(response)
    assert people.round.milestones.get(governs="needs_reports").starts_on == dt.date(2026, 12, 15)


def test_copying_into_a_round_with_a_cycle_says_why_it_did_nothing(governor, people):
    add_cycle(make_round(people.office, year=2026))
    add_cycle(people.round)
    response = governor.post(reverse("schemes:copy_previous", args=[people.office.slug, 2027]))
    assert response.status_code == 409
    assert "har allerede et årshjul. Slett milepælene før du kopierer et annet." in body(response)
    assert people.round.milestones.count() == 16


def test_copying_without_last_years_round_says_so(governor, people):
    response = governor.post(reverse("schemes:copy_previous", args=[people.office.slug, 2027]))
    assert response.status_code == 409
    assert "2026" in body(response)
    assert not people.round.milestones.exists()


def test_the_statsforvalter_copies_this_cycle_to_next_year(governor, people):
    add_cycle(people.round)
    response = governor.post(reverse("schemes:start_next_year", args=[people.office.slug, 2027]))
    assert response.status_code == 302
    assert response.url == reverse("schemes:cycle", args=[people.office.slug, 2028])
    following = Round.objects.get(office=people.office, year=2028)
    assert following.milestones.get(governs="needs_reports").starts_on == dt.date(2027, 12, 15)
