import pytest
from django.core.management import call_command

from lokalkomp.directory.models import County, Municipality, Office
from lokalkomp.directory.registers import REGISTER_FILES


def _import():
    """The project's own copy of the register (directory/data), so a fresh clone needs nothing beside it."""
    call_command("import_municipalities", *(str(path) for path in REGISTER_FILES))


@pytest.mark.django_db
def test_it_imports_all_357_municipalities_with_leading_zeros():
    _import()
    assert Municipality.objects.count() == 357
    oslo = Municipality.objects.get(number="0301")
    assert oslo.name == "Oslo"
    assert oslo.county.number == "03"
    assert Municipality.objects.get(number="1826").name == "Hattfjelldal"  # the Norwegian name, not Aarborte


@pytest.mark.django_db
def test_it_maps_fifteen_counties_to_ten_offices():
    _import()
    assert County.objects.count() == 15
    assert Office.objects.count() == 10
    assert County.objects.get(number="18").office.slug == "nordland"
    assert set(Office.objects.get(slug="troms-finnmark").counties.values_list("number", flat=True)) == {"55", "56"}


@pytest.mark.django_db
def test_a_second_run_changes_nothing(capsys):
    _import()
    before = list(Municipality.objects.order_by("number").values_list("pk", "number", "name", "county_id"))
    capsys.readouterr()
    _import()
    out = capsys.readouterr().out
    assert "municipalities: 0 created, 0 updated" in out
    assert list(Municipality.objects.order_by("number").values_list("pk", "number", "name", "county_id")) == before


@pytest.mark.django_db
def test_it_updates_a_renamed_municipality_in_place():
    _import()
    Municipality.objects.filter(number="1820").update(name="Gammelt navn")
    _import()
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


def test_the_projects_copy_of_the_register_is_the_reference_data_unchanged(shared_dir):
    for path in REGISTER_FILES:
        assert path.read_bytes() == (shared_dir / "data" / path.name).read_bytes()


def test_the_register_carries_its_licence_and_source():
    data = REGISTER_FILES[0].parent
    assert "MIT License" in (data / "LICENSE-norge-data.txt").read_text(encoding="utf-8")
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert "aprestmo/norge-data" in readme and "SSB" in readme and "Kartverket" in readme
