"""`import_municipalities` with small register files: what it creates, updates, and refuses."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalkomp.directory.models import County, LanguageForm, Municipality, Office
from lokalkomp.directory.registers import OFFICES_FILE

pytestmark = pytest.mark.django_db

NORDLAND = {"f_id": "18", "f_name": "Nordland"}
HATTFJELLDAL = {
    "k_id": "1826",
    "k_name": "Aarborte – Hattfjelldal",
    "k_name_no": "Hattfjelldal",
    "k_language": "Bokmål",
}
OSLO = {"f_id": 3, "f_name": "Oslo"}  # a number, not a string: read with its leading zero


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*paths, capsys=None):
    call_command("import_municipalities", *paths)
    return capsys.readouterr().out if capsys else ""


def test_a_first_run_says_what_it_created(tmp_path, capsys):
    offices = len(json.loads(OFFICES_FILE.read_text(encoding="utf-8"))["offices"])

    out = run(
        write(tmp_path, "fylker.json", [NORDLAND]), write(tmp_path, "kommuner.json", [HATTFJELLDAL]), capsys=capsys
    )

    assert out.splitlines() == [
        f"offices: {offices} created, 0 updated",
        "counties: 1 created, 0 updated",
        "municipalities: 1 created, 0 updated",
    ]
    municipality = Municipality.objects.get(number="1826")
    assert (municipality.name, municipality.language_form) == ("Hattfjelldal", LanguageForm.BOKMAL)
    assert municipality.county.office == Office.objects.get(slug="nordland")


def test_a_second_run_of_the_same_files_creates_and_updates_nothing(tmp_path, capsys):
    files = (write(tmp_path, "fylker.json", [NORDLAND]), write(tmp_path, "kommuner.json", [HATTFJELLDAL]))
    run(*files, capsys=capsys)
    rows = list(Municipality.objects.values_list("pk", "number", "name", "county_id", "language_form"))

    out = run(*files, capsys=capsys)

    assert out.splitlines() == [
        "offices: 0 created, 0 updated",
        "counties: 0 created, 0 updated",
        "municipalities: 0 created, 0 updated",
    ]
    assert list(Municipality.objects.values_list("pk", "number", "name", "county_id", "language_form")) == rows


def test_a_changed_row_is_updated_in_place_and_counted_as_updated(tmp_path, capsys):
    run(write(tmp_path, "fylker.json", [NORDLAND]), write(tmp_path, "kommuner.json", [HATTFJELLDAL]), capsys=capsys)
    pk = Municipality.objects.get(number="1826").pk
    renamed = {**HATTFJELLDAL, "k_name_no": "Hattfjelldal kommune", "k_language": "Nynorsk"}

    out = run(write(tmp_path, "fylker.json", [NORDLAND]), write(tmp_path, "kommuner.json", [renamed]), capsys=capsys)

    assert "municipalities: 0 created, 1 updated" in out
    municipality = Municipality.objects.get(number="1826")
    assert (municipality.pk, municipality.name, municipality.language_form) == (
        pk,
        "Hattfjelldal kommune",
        LanguageForm.NYNORSK,
    )


def test_numbers_get_their_leading_zeros_and_unknown_language_forms_are_neutral(tmp_path):
    oslo = {"k_id": 301, "k_name": "Oslo", "k_language": "ukjent"}

    run(write(tmp_path, "register.json", [OSLO, oslo]))  # counties and municipalities in one file

    assert County.objects.get(number="03").office.slug == "ostfold-buskerud-oslo-akershus"
    municipality = Municipality.objects.get(number="0301")
    assert (municipality.name, municipality.language_form) == ("Oslo", LanguageForm.NEUTRAL)


def test_a_municipality_of_an_unknown_county_stops_the_import_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError, match="Municipality 1826: county 18 is not known"):
        run(write(tmp_path, "kommuner.json", [HATTFJELLDAL]))
    assert Office.objects.count() == County.objects.count() == Municipality.objects.count() == 0


def test_a_county_that_no_office_serves_stops_the_import(tmp_path):
    with pytest.raises(CommandError, match="County 99 Atlantis has no office in offices.json"):
        run(write(tmp_path, "fylker.json", [{"f_id": "99", "f_name": "Atlantis"}]))
    assert County.objects.count() == 0


def test_a_row_that_is_neither_county_nor_municipality_stops_the_import(tmp_path):
    with pytest.raises(CommandError, match="either f_id .county. or k_id .municipality."):
        run(write(tmp_path, "fylker.json", [NORDLAND, {"name": "Svalbard"}]))
    assert County.objects.count() == 0


def test_a_file_that_is_not_a_list_of_rows_stops_the_import(tmp_path):
    with pytest.raises(CommandError, match="expected a JSON list of rows"):
        run(write(tmp_path, "fylker.json", {"rows": [NORDLAND]}))


def test_a_missing_file_stops_the_import_naming_the_file(tmp_path):
    with pytest.raises(CommandError, match="finnes-ikke.json"):
        run(str(tmp_path / "finnes-ikke.json"))
