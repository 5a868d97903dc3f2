"""Reference tests: importing seed 003 (the real form) makes a draft report with its measures and totals.

They read ../shared and skip without it (required in CI); the same behaviour on the project's own
made-up forms is in test_imports_own_forms.py. No real person's contact data is written here.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from django.db import models
from django.utils import translation

from lokalkomp.demo.build import build
from lokalkomp.directory.models import Network, Organisation
from lokalkomp.needs.importer import ParsedReport, parse_needs_report, read_needs_report
from lokalkomp.needs.imports import ImportRejected, ReportExistsError, import_report, outcome_as_dict
from lokalkomp.needs.models import Contact, Continuation, NeedsReport, Partnership, Totals
from lokalkomp.needs.tests.forms import build_docx, build_pdf, move_seed_report_out_of
from lokalkomp.schemes.models import Round
from lokalkomp.testing import make_office, make_organisation, make_round, make_user, row_counts

SPRING_AUTUMN_SPRING = ["2024-spring", "2024-autumn", "2025-spring"]
SEED_MEASURES = [
    ("Datainnsamling for å analysere egne behov", 50_000, 174_000, "assessment", ["2024-autumn", "2025-spring"]),
    (
        "Tverrkommunalt nettverk barnehage og 1. – 4. trinn: Språk, lesing og skriving",
        120_000,
        125_000,
        "implementation",
        SPRING_AUTUMN_SPRING,
    ),
    (
        "Tverrkommunalt nettverk 5. – 10 trinn i språk, lesing og skriving",
        120_000,
        125_000,
        "implementation",
        SPRING_AUTUMN_SPRING,
    ),
    ("Kompetansedag / arbeidsverksted språk, lesing og skriving", 75_000, 114_000, "implementation", ["2024-autumn"]),
    ("Pedagogisk analyse", 50_000, 241_000, "implementation", ["2024-autumn", "2025-spring"]),
    (
        "Prøve ut arbeidsmåter innenfor området språk, lesing og skriving som ivaretar faglig, sosial og psykisk "
        "opplevd inkludering",
        90_000,
        90_000,
        "planning",
        ["2024-autumn", "2025-spring"],
    ),
    ("Magisk måned", 50_000, 50_000, "implementation", SPRING_AUTUMN_SPRING),
    ("Koordinator", 70_000, 0, "", SPRING_AUTUMN_SPRING),
]
PLACEHOLDERS = ("Klikk eller trykk", "Velg et element", "Click or tap", "Choose an item", "\ue000")


@pytest.fixture(scope="module")
def seed_files(seed_003_text: str) -> dict[str, bytes]:
    text = seed_003_text
    return {"txt": text.encode("utf-8"), "docx": build_docx(text), "pdf": build_pdf(text)}


@pytest.fixture
def nordland_2024(db: None) -> Round:
    """The Nordland demo without its 2024 report of the partnership seed 003 belongs to."""
    build()
    round = Round.objects.get(office__slug="nordland", year=2024)
    move_seed_report_out_of(round)
    return round


@pytest.fixture
def parsed(seed_003_text: str) -> ParsedReport:
    return parse_needs_report(seed_003_text)


def text_values(*objects: models.Model) -> list[str]:
    """Every text in the objects' own fields, the items of JSON lists included."""
    values: list[str] = []
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, list):
                values.extend(item for item in value if isinstance(item, str))
    return values


@pytest.mark.parametrize("suffix", ["txt", "docx", "pdf"])
def test_seed_003_imports_its_eight_measures_exactly_from_every_format(
    nordland_2024: Round, seed_files: dict[str, bytes], tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"behovsmelding.{suffix}"
    path.write_bytes(seed_files[suffix])
    parsed = read_needs_report(path.name, path.read_bytes())
    outcome = import_report(parsed, round=nordland_2024, by=None, filename=path.name)
    assert outcome.report is not None
    report = NeedsReport.objects.get(pk=outcome.report.pk)
    measures = list(report.measures.order_by("position"))
    assert [(m.name, m.owner_amount, m.partner_amount, m.purpose, m.semesters) for m in measures] == SEED_MEASURES
    assert [m.position for m in measures] == list(range(1, 9))
    assert {s.code: t for s, t in report.totals_by_scheme().items()} == {"dekomp": Totals(625_000, 919_000)}
    assert report.grand_total().total == 1_544_000
    assert outcome.totals["dekomp"].total == 1_544_000
    declared = {
        (d.scheme.code if d.scheme else "sum"): (d.owner_amount, d.partner_amount, d.total_amount)
        for d in report.declared_totals.all()
    }
    assert declared == {
        "rekomp": (505_000, 794_000, 1_299_000),
        "dekomp": (625_000, 919_000, 1_544_000),  # "1 5 44 000" is unplaced; the row keeps owner + UH
        "kompetanseloftet": (300_000, 280_000, 580_000),
        "sum": (1_430_000, 1_993_000, 3_423_000),
    }
    assert "PPTYH" in report.unplaced_text
    assert (report.public_schools, report.private_schools, report.municipal_kindergartens) == (13, 0, None)


def test_the_imported_report_is_a_draft_of_the_known_partnership_with_its_people(
    nordland_2024: Round, parsed: ParsedReport
) -> None:
    user = make_user()
    outcome = import_report(parsed, round=nordland_2024, by=user, filename="behovsmelding.txt")
    report = outcome.report
    assert report is not None
    assert report.status == "draft" and [s.code for s in report.schemes.all()] == ["dekomp"]
    assert report.partnership.name == "God opplæring for alle"
    assert report.partnership.network == Network.objects.get(name="Ytre Helgeland")
    leads = {p.side: p for p in report.partnership.participants.filter(is_lead=True).select_related("organisation")}
    assert (leads["owner"].organisation.org_number, leads["owner"].account_number) == ("938712441", "45162794918")
    assert (leads["partner"].organisation.org_number, leads["partner"].account_number) == ("918108467", "76940500660")
    assert leads["owner"].payment_reference == "God opplæring for alle"
    owners = report.partnership.participants.filter(side="owner").values_list("organisation__name", flat=True)
    assert set(owners) == {"Alstahaug kommune", "Leirfjord kommune", "Lurøy kommune", "Træna kommune"}
    uh_contact = parsed.contacts[1]
    contact = leads["partner"].contacts.get(name=uh_contact.name)
    assert (contact.function, contact.email) == ("Prosjektleder fra SePU", uh_contact.email)
    assert report.union_discussed is True
    assert list(report.union_participants.values_list("role", "name")) == [
        (p.role, p.name) for p in parsed.union_participants
    ]
    event = report.events.get()
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        "",
        "draft",
        user,
        "Importert fra behovsmelding.txt",
    )
    assert outcome.new_organisations == [] and Partnership.objects.filter(name="God opplæring for alle").count() == 1


def test_the_measures_keep_every_text_and_their_continuation_estimates(
    nordland_2024: Round, parsed: ParsedReport
) -> None:
    report = import_report(parsed, round=nordland_2024, by=None).report
    assert report is not None
    first, fourth, last = (report.measures.get(position=n) for n in (1, 4, 8))
    assert first.needs_coordinator is True and first.target_group == "Alle elever\nAlle ansatte\nLedere\nForesatte"
    assert first.description.startswith("Kartlegging av behov og kompetanseutvikling.")
    assert first.teacher_education.startswith("SePU er sterkt inne i undervisningen")
    assert first.partner_share_use.startswith("Klargjøring av undersøkelsen")
    assert list(first.continuations.values_list("period", "owner_reason", "partner_reason")) == [
        ("2026", "Ny spørreundersøkelse", "Resultatportal")
    ]
    assert list(fourth.continuations.values_list("period", "owner_amount", "partner_amount")) == [
        ("2025-autumn", 75_000, None)
    ]
    assert (last.owner_share_use, last.partner_amount) == ("Lønn Koordinator", 0)
    assert report.measures.get(position=7).needs_coordinator is False


def test_no_word_placeholder_text_is_imported_into_any_field(nordland_2024: Round, parsed: ParsedReport) -> None:
    report = import_report(parsed, round=nordland_2024, by=None).report
    assert report is not None
    measures = list(report.measures.all())
    rows: list[models.Model] = [report, *measures, *report.union_participants.all()]
    rows += list(Continuation.objects.filter(measure__report=report))
    rows += list(Contact.objects.filter(participant__partnership=report.partnership))
    rows += list(report.partnership.participants.all())
    texts = text_values(*rows)
    assert len(texts) > 100
    assert not [text for text in texts if any(p.casefold() in text.casefold() for p in PLACEHOLDERS)]


def test_without_known_organisations_it_creates_the_lead_owner_and_uh_and_notes_the_rest(
    db: None, parsed: ParsedReport
) -> None:
    round = make_round(make_office("nordland"), year=2024)
    leirfjord = make_organisation(name="Leirfjord kommune")
    outcome = import_report(parsed, round=round, by=None)
    report = outcome.report
    assert report is not None
    owner = Organisation.objects.get(org_number="938712441")
    partner = Organisation.objects.get(org_number="918108467")
    assert (owner.name, owner.kind, owner.account_number) == ("Alstahaug kommune", "municipality", "45162794918")
    assert (partner.name, partner.kind) == ("HINN/ SePU", "university")
    assert outcome.new_organisations == ["Alstahaug kommune", "HINN/ SePU"]
    partnership = report.partnership
    assert partnership.name == "God opplæring for alle" and partnership.network is None
    assert set(partnership.organisations.all()) == {owner, partner, leirfjord}
    assert partnership.participants.get(organisation=leirfjord).is_lead is False
    unplaced = report.unplaced_text
    assert "Kompetansenettverk: Ytre Helgeland (GOA)" in unplaced
    assert "Lurøy kommune" in unplaced and "Træna kommune" in unplaced and "Leirfjord" not in unplaced
    assert unplaced.splitlines()[:2] == [
        "Total sum det meldes behov for – Desentralisert ordning – Totalt: 1 5 44 000",
        "PP-tjenester: PPTYH",
    ]


def test_invalid_numbers_and_e_mail_addresses_are_not_placed_but_kept_as_unplaced(
    db: None, parsed: ParsedReport
) -> None:
    round = make_round(make_office(), year=2024)
    owner_contact = parsed.contacts[0]
    owner_contact.org_number, owner_contact.account_number, owner_contact.email = "938712442", "45162794919", "kontakt@"
    with translation.override("en"):
        outcome = import_report(parsed, round=round, by=None)
    assert outcome.report is not None
    unplaced = outcome.report.unplaced_text
    assert "Org. nr (Eier): 938712442 is not a valid organisation number" in unplaced
    assert "Kontonr (Eier): 45162794919 is not a valid account number" in unplaced
    assert "E-post (Eier): kontakt@ is not a valid e-mail address." in unplaced
    lead = outcome.report.partnership.participants.get(side="owner", is_lead=True)
    assert (lead.organisation.name, lead.organisation.org_number, lead.account_number) == ("Alstahaug kommune", "", "")
    assert lead.contacts.get().email == ""
    assert outcome.unplaced == unplaced.splitlines()


def test_a_scheme_the_round_does_not_run_is_unplaced_and_the_round_s_only_scheme_is_used(
    db: None, parsed: ParsedReport
) -> None:
    round = make_round(make_office(), year=2027)
    with translation.override("en"):
        outcome = import_report(parsed, round=round, by=None)
    assert outcome.report is not None
    assert "Behovsmeldingen gjelder: Desentralisert ordning is checked, but the round" in outcome.report.unplaced_text
    assert {m.scheme.code for m in outcome.report.measures.all()} == {"kollektiv-2026"}
    assert outcome.totals == {"kollektiv-2026": Totals(625_000, 919_000)}
    assert "The form is for 2024; it was imported into the round of 2027." in outcome.warnings


def test_a_form_without_a_scheme_the_round_runs_cannot_be_placed_when_the_round_runs_several(
    db: None, parsed: ParsedReport
) -> None:
    round = make_round(make_office(), year=2024)
    before = row_counts()
    with translation.override("en"), pytest.raises(ImportRejected, match="none of the schemes"):
        import_report(dataclasses.replace(parsed, schemes=[]), round=round, by=None)
    assert row_counts() == before


def test_a_dry_run_writes_nothing_and_gives_the_same_outcome(nordland_2024: Round, parsed: ParsedReport) -> None:
    before = row_counts()
    dry = import_report(parsed, round=nordland_2024, by=None, dry_run=True)
    assert row_counts() == before
    assert dry.report is None and dry.dry_run
    assert [m.name for m in dry.measures] == [m[0] for m in SEED_MEASURES]
    real = import_report(parsed, round=nordland_2024, by=None)
    assert (dry.totals, dry.declared_totals, dry.unplaced, dry.schemes) == (
        real.totals,
        real.declared_totals,
        real.unplaced,
        real.schemes,
    )
    assert dry.totals["dekomp"] == Totals(625_000, 919_000)


def test_a_report_already_in_the_round_is_never_overwritten(db: None, parsed: ParsedReport) -> None:
    build()  # the demo has seed 003's report in Nordland 2024
    round = Round.objects.get(office__slug="nordland", year=2024)
    before = row_counts()
    with (
        translation.override("en"),
        pytest.raises(ReportExistsError, match="has already submitted its needs report in this round"),
    ):
        import_report(parsed, round=round, by=None, dry_run=True)
    with pytest.raises(ReportExistsError):
        import_report(parsed, round=round, by=None)
    assert row_counts() == before


def test_the_outcome_as_a_dict_is_json_with_the_figures_of_the_form(nordland_2024: Round, parsed: ParsedReport) -> None:
    outcome = import_report(parsed, round=nordland_2024, by=None)
    data = json.loads(json.dumps(outcome_as_dict("behovsmelding.txt", outcome, parsed)))
    assert data["file"] == "behovsmelding.txt" and data["ok"] is True
    assert outcome.report is not None and data["report_id"] == outcome.report.pk
    assert data["schemes"] == ["dekomp"]
    assert [(m["name"], m["owner_amount"], m["uh_amount"]) for m in data["measures"]] == [
        (name, owner, partner) for name, owner, partner, _purpose, _semesters in SEED_MEASURES
    ]
    assert data["measures"][0]["continuations"][0]["owner_reason"] == "Ny spørreundersøkelse"
    assert data["totals"]["dekomp"] == {"owner_amount": 625_000, "uh_amount": 919_000, "total": 1_544_000}
    assert data["grand_total"]["total"] == 1_544_000
    assert data["declared_totals"]["sum"] == {"owner_amount": 1_430_000, "uh_amount": 1_993_000, "total": 3_423_000}
    assert [(c["org_number"], c["account_number"]) for c in data["contacts"]] == [
        ("938712441", "45162794918"),
        ("918108467", "76940500660"),
    ]
    assert data["units"]["public_schools"] == 13
    assert data["unplaced_text"].endswith("PP-tjenester: PPTYH")
