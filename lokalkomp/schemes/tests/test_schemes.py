import pytest

from lokalkomp.schemes.models import Scheme


@pytest.mark.django_db
def test_2024_has_the_three_old_schemes():
    assert set(Scheme.objects.valid_in(2024).values_list("code", flat=True)) == {"rekomp", "dekomp", "kompetanseloftet"}


@pytest.mark.django_db
def test_2027_has_the_one_merged_scheme():
    assert list(Scheme.objects.valid_in(2027).values_list("code", flat=True)) == ["kollektiv-2026"]


@pytest.mark.django_db
def test_2021_and_2025_still_run_under_the_old_rules():
    assert Scheme.objects.valid_in(2021).count() == 3
    assert Scheme.objects.valid_in(2025).count() == 3


@pytest.mark.django_db
def test_dekomp_requires_30_percent_of_the_state_grant_as_co_financing():
    dekomp = Scheme.objects.get(code="dekomp")
    assert dekomp.required_co_financing(919_000) == 275_700
    assert dekomp.required_co_financing(1) == 1  # rounded up to whole kroner
    assert set(dekomp.co_financing_forms) == {"money", "salary"}


@pytest.mark.django_db
def test_rekomp_caps_basic_competence_at_30_percent():
    cap = Scheme.objects.get(code="rekomp").caps.get()
    assert cap.percent == 30
    assert "trade_certificate" in cap.uses


@pytest.mark.django_db
def test_only_the_merged_scheme_allows_a_vocational_college_as_partner():
    allows = {s.code for s in Scheme.objects.all() if "vocational_college" in s.allowed_partner_kinds}
    assert allows == {"kollektiv-2026"}


@pytest.mark.django_db
def test_every_scheme_forbids_individual_further_education():
    assert all("further_education" in s.forbidden_uses for s in Scheme.objects.all())
