import pytest
from django.core.management import call_command

from lokalkomp.directory.models import County, Municipality, Office


def _import(shared_dir):
    data = shared_dir / "data"
    call_command("import_municipalities", str(data / "fylker-2025.json"), str(data / "kommuner-2025.json"))


@pytest.mark.django_db
def test_it_imports_all_357_municipalities_with_leading_zeros(shared_dir):
    _import(shared_dir)
    assert Municipality.objects.count() == 357
    oslo = Municipality.objects.get(number="0301")
    assert oslo.name == "Oslo"
    assert oslo.county.number == "03"
    assert Municipality.objects.get(number="1826").name == "Hattfjelldal"  # the Norwegian name, not Aarborte


@pytest.mark.django_db
def test_it_maps_fifteen_counties_to_ten_offices(shared_dir):
    _import(shared_dir)
    assert County.objects.count() == 15
    assert Office.objects.count() == 10
    assert County.objects.get(number="18").office.slug == "nordland"
    assert set(Office.objects.get(slug="troms-finnmark").counties.values_list("number", flat=True)) == {"55", "56"}


@pytest.mark.django_db
def test_a_second_run_changes_nothing(shared_dir, capsys):
    _import(shared_dir)
    before = list(Municipality.objects.order_by("number").values_list("pk", "number", "name", "county_id"))
    capsys.readouterr()
    _import(shared_dir)
    out = capsys.readouterr().out
    assert "municipalities: 0 created, 0 updated" in out
    assert list(Municipality.objects.order_by("number").values_list("pk", "number", "name", "county_id")) == before


@pytest.mark.django_db
def test_it_updates_a_renamed_municipality_in_place(shared_dir):
    _import(shared_dir)
    Municipality.objects.filter(number="1820").update(name="Gammelt navn")
    _import(shared_dir)
    assert Municipality.objects.get(number="1820").name == "Alstahaug"
    assert Municipality.objects.filter(number="1820").count() == 1


@pytest.mark.django_db
def test_a_broken_file_stops_with_a_clear_error_and_writes_nothing(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "kommuner.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="kommuner.json"):
        call_command("import_municipalities", str(bad))
    assert Municipality.objects.count() == 0
    assert Office.objects.count() == 0
