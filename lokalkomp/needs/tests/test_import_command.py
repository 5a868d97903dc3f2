"""manage.py import_needs_reports: files in, draft reports out, a clear word on every file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalkomp.directory.models import Network
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.needs.tests.forms import build_docx, default_text, move_seed_report_out_of
from lokalkomp.schemes.models import Round
from lokalkomp.testing import make_office, make_round, row_counts


@pytest.fixture
def nordland(db: None) -> Round:
    """A 2024 round in Nordland, with the network the project's own test form names."""
    round = make_round(make_office("nordland"), year=2024)
    Network.objects.create(office=round.office, name="Fjordnettet", slug="fjordnettet")
    return round


@pytest.fixture
def form_file(tmp_path: Path) -> Path:
    """The project's own made-up form (lokalkomp/needs/tests/forms.py) as a text file."""
    path = tmp_path / "behovsmelding-fjordnettet.txt"
    path.write_text(default_text(), encoding="utf-8")
    return path


def bad_files(tmp_path: Path) -> dict[str, Path]:
    """A broken Word file, an empty file and a Word document that is no needs report."""
    foreign = docx.Document()
    foreign.add_paragraph("Referat fra styremøte i velforeningen. Sak 1: Dugnad.")
    foreign.save(str(tmp_path / "referat.docx"))
    (tmp_path / "broken.docx").write_bytes(build_docx(default_text())[:2000])
    (tmp_path / "empty.txt").write_bytes(b"")
    return {name: tmp_path / name for name in ("broken.docx", "empty.txt", "referat.docx")}


def run(*args: str | Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_needs_reports", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str | Path) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_needs_reports", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


def test_it_lists_the_measures_the_totals_and_what_it_could_not_place(nordland: Round, form_file: Path) -> None:
    out, _err = run(form_file, "--round", "nordland/2024")
    report = NeedsReport.objects.get(round=nordland)
    assert report.measures.count() == 3 and report.status == "draft"
    assert report.partnership.name == "Fjordløftet"
    assert report.partnership.network is not None and report.partnership.network.name == "Fjordnettet"
    assert f"draft needs report no. {report.pk}" in out
    lines = out.splitlines()
    first = next(line for line in lines if "Kartlegging av lesemiljøet" in line)
    assert first.split()[0] == "1" and first.endswith("kr 60 000     kr 90 000    kr 150 000")
    assert any(line.strip().startswith("3  Koordinator") and "kr 50 000" in line for line in lines)
    scheme_total = next(line for line in lines if line.strip().startswith("Desentralisert ordning"))
    assert scheme_total.split("ordning")[1].split() == ["kr", "210", "000", "kr", "240", "000", "kr", "450", "000"]
    assert "Could not be placed:" in out and "PP-tjenester: PPTFN" in out
    assert "1 file imported." in out


def test_reference_seed_003_lists_its_eight_measures_and_totals(db: None, tmp_path: Path, seed_003_text: str) -> None:
    from lokalkomp.demo.build import build

    build()
    round = Round.objects.get(office__slug="nordland", year=2024)
    move_seed_report_out_of(round)
    path = tmp_path / "seed-003.txt"
    path.write_text(seed_003_text, encoding="utf-8")
    out, _err = run(path, "--round", "nordland/2024")
    report = NeedsReport.objects.get(round=round, partnership__name="God opplæring for alle")
    assert report.measures.count() == 8
    assert "kr 625 000    kr 919 000  kr 1 544 000" in out
    assert "kr 1 430 000  kr 1 993 000  kr 3 423 000" in out
    assert "PP-tjenester: PPTYH" in out


def test_a_dry_run_writes_nothing(nordland: Round, form_file: Path) -> None:
    before = row_counts()
    out, _err = run(form_file, "--round", "nordland/2024", "--dry-run")
    assert row_counts() == before
    assert "(dry run)" in out and "kr 210 000    kr 240 000    kr 450 000" in out
    assert "Dry run: 1 file read, nothing was saved." in out


def test_json_output_is_one_document_with_the_figures(nordland: Round, form_file: Path) -> None:
    out, err = run(form_file, "--round", "nordland/2024", "--json")
    document = json.loads(out)
    assert (document["round"], document["dry_run"]) == ("nordland/2024", False)
    [result] = document["files"]
    assert (result["file"], result["ok"], result["schemes"]) == (form_file.name, True, ["dekomp"])
    assert len(result["measures"]) == 3
    assert result["measures"][1] == {
        "number": 2,
        "name": "Nettverk for språk, lesing og skriving",
        "scheme": "dekomp",
        "purpose": "implementation",
        "owner_amount": 100_000,
        "uh_amount": 150_000,
        "total": 250_000,
        "semesters": ["2024-spring", "2024-autumn", "2025-spring"],
        "continuations": [],
    }
    assert result["measures"][0]["continuations"][0]["owner_amount"] == 30_000
    assert result["totals"] == {"dekomp": {"owner_amount": 210_000, "uh_amount": 240_000, "total": 450_000}}
    assert result["declared_totals"]["sum"] == {"owner_amount": 210_000, "uh_amount": 240_000, "total": 450_000}
    assert [(c["org_number"], c["account_number"]) for c in result["contacts"]] == [
        ("976543211", "15031234562"),
        ("988112232", "15069876541"),
    ]
    assert result["units"]["public_schools"] == 13 and "PP-tjenester: PPTFN" in result["unplaced"]
    assert result["report_id"] == NeedsReport.objects.get(round=nordland).pk
    assert "3 measures" in err


def test_json_dry_run_says_so_and_writes_nothing(nordland: Round, form_file: Path) -> None:
    before = row_counts()
    out, _err = run(form_file, "--round", "nordland/2024", "--json", "--dry-run")
    document = json.loads(out)
    assert document["dry_run"] is True and document["files"][0]["report_id"] is None
    assert document["files"][0]["grand_total"]["total"] == 450_000
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.docx", "could not be read as a Word document"),
        ("empty.txt", "The file is empty."),
        ("referat.docx", "This does not look like a needs report form."),
    ],
)
def test_a_file_that_is_no_needs_report_gets_a_clear_message_and_creates_nothing(
    nordland: Round, tmp_path: Path, name: str, message: str
) -> None:
    path = bad_files(tmp_path)[name]
    before = row_counts()
    out, err, error = run_failing(path, "--round", "nordland/2024")
    assert f"{name}: could not be imported." in err and message in err
    assert "1 of 1 files could not be imported" in error
    assert row_counts() == before
    json_out, _err, _error = run_failing(path, "--round", "nordland/2024", "--json")
    assert json.loads(json_out)["files"] == [
        {"file": name, "ok": False, "error": err.split("imported. ", 1)[1].strip()}
    ]
    assert row_counts() == before


def test_one_bad_file_does_not_stop_the_good_one_but_the_run_fails(
    nordland: Round, form_file: Path, tmp_path: Path
) -> None:
    bad = bad_files(tmp_path)["broken.docx"]
    out, err, error = run_failing(bad, form_file, "--round", "nordland/2024", "--json")
    results = {result["file"]: result for result in json.loads(out)["files"]}
    assert results["broken.docx"]["ok"] is False and results[form_file.name]["ok"] is True
    assert NeedsReport.objects.filter(round=nordland).count() == 1
    assert "1 of 2 files could not be imported: broken.docx" in error


def test_importing_the_same_file_twice_fails_the_second_time_without_duplicates_and_names_the_report(
    nordland: Round, form_file: Path
) -> None:
    run(form_file, "--round", "nordland/2024")
    after_first = row_counts()
    _out, err, _error = run_failing(form_file, "--round", "nordland/2024")
    report = NeedsReport.objects.get(round=nordland)
    assert "already has a needs report in this round" in err and f"It is report no. {report.pk}." in err
    assert row_counts() == after_first
    assert Measure.objects.filter(report__round=nordland).count() == 3


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(
    nordland: Round, form_file: Path, settings: object
) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]
    _out, err, _error = run_failing(form_file, "--round", "nordland/2024")
    assert "at most 1 kB can be imported" in err
    assert not NeedsReport.objects.exists()


def test_an_unknown_round_is_a_clear_error(nordland: Round, form_file: Path) -> None:
    _out, _err, error = run_failing(form_file, "--round", "nordland/2031")
    assert "There is no round nordland/2031" in error and "nordland/2024" in error
    _out, _err, error = run_failing(form_file, "--round", "2024")
    assert "<office>/<year>" in error
    _out, _err, error = run_failing(form_file, "--round", "nordland/２０２４")  # full-width digits are no year
    assert "<office>/<year>" in error
