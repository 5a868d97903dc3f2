"""Reference tests: the importer reads seed 003, the real filled-in form, into the right fields.

Seed 003 lives beside the checkout (../shared); without it these tests skip, saying so, and in CI
(LOKALKOMP_REQUIRE_SHARED=1) they are required. The same behaviour on the project's own made-up
forms is in test_importer_own_forms.py. No name, phone or e-mail of a real person is written here:
the contacts are compared with the seed's own rows.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from lokalkomp.needs.importer import (
    DeclaredTotal,
    ImportFileError,
    OtherPartner,
    ParsedMeasure,
    ParsedReport,
    looks_like_needs_report,
    parse_amount,
    parse_needs_report,
)

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):  # run with -p no:django
    settings.configure(USE_I18N=False)


@pytest.fixture(scope="module")
def report(seed_003_text: str) -> ParsedReport:
    return parse_needs_report(seed_003_text)


def seed_row(text: str, label: str) -> str:
    """The rest of the seed's line that starts with a row label of the contacts table."""
    line = next(line for line in text.splitlines() if line.startswith(label + " "))
    return " ".join(line[len(label) :].split())


def measure(report: ParsedReport, number: int) -> ParsedMeasure:
    return next(m for m in report.measures if m.number == number)


def all_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in all_strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in all_strings(item)]
    return []


def test_it_reads_the_eight_measures_of_seed_003(report: ParsedReport) -> None:
    assert report.declared_measure_count == 8
    assert [m.number for m in report.measures] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [m.name for m in report.measures] == [
        "Datainnsamling for å analysere egne behov",
        "Tverrkommunalt nettverk barnehage og 1. – 4. trinn: Språk, lesing og skriving",
        "Tverrkommunalt nettverk 5. – 10 trinn i språk, lesing og skriving",
        "Kompetansedag / arbeidsverksted språk, lesing og skriving",
        "Pedagogisk analyse",
        "Prøve ut arbeidsmåter innenfor området språk, lesing og skriving som ivaretar faglig, sosial og "
        "psykisk opplevd inkludering",
        "Magisk måned",
        "Koordinator",
    ]


def test_it_reads_each_measures_owner_and_uh_amounts(report: ParsedReport) -> None:
    amounts = [(m.owner_amount, m.partner_amount) for m in report.measures]
    assert amounts == [
        (50_000, 174_000),
        (120_000, 125_000),
        (120_000, 125_000),
        (75_000, 114_000),
        (50_000, 241_000),
        (90_000, 90_000),
        (50_000, 50_000),
        (70_000, 0),
    ]
    assert [m.declared_total for m in report.measures] == [m.total for m in report.measures]


def test_the_measures_add_up_to_the_desentralisert_totals(report: ParsedReport) -> None:
    assert sum(m.owner_amount for m in report.measures) == 625_000
    assert sum(m.partner_amount for m in report.measures) == 919_000
    assert sum(m.total for m in report.measures) == 1_544_000


def test_it_reads_the_declared_totals_table_and_keeps_the_oddly_spaced_total_unplaced(report: ParsedReport) -> None:
    assert report.year == 2024
    assert report.declared_totals == {
        "rekomp": DeclaredTotal(505_000, 794_000, 1_299_000),
        "dekomp": DeclaredTotal(625_000, 919_000, None),  # "1 5 44 000": thousands come in groups of three
        "kompetanseloftet": DeclaredTotal(300_000, 280_000, 580_000),
        "sum": DeclaredTotal(1_430_000, 1_993_000, 3_423_000),
    }
    assert "Total sum det meldes behov for – Desentralisert ordning – Totalt: 1 5 44 000" in report.unplaced


def test_it_reads_the_header(report: ParsedReport) -> None:
    assert report.schemes == ["dekomp"]
    assert report.owner_names == "Alstahaug, Leirfjord, Lurøy og Træna kommuner"
    assert report.network_name == "Ytre Helgeland (GOA)"
    assert report.partner_names == "HINN/ SePU"
    assert (report.several_owners, report.several_partners, report.several_schemes) == (True, False, True)


def test_it_reads_both_contacts_with_bank_and_organisation_numbers(report: ParsedReport, seed_003_text: str) -> None:
    owner, partner = report.contacts
    assert (owner.side, owner.function, partner.side, partner.function) == (
        "owner",
        "Koordinator",
        "partner",
        "Prosjektleder fra SePU",
    )
    # Each row's two cells, split where the owner's ends (the names: two words each).
    assert f"{owner.name} {partner.name}" == seed_row(seed_003_text, "Navn")
    assert len(owner.name.split()) == len(partner.name.split()) == 2
    assert f"{owner.phone} {partner.phone}" == seed_row(seed_003_text, "Telefon")
    assert len(owner.phone) == len(partner.phone) == 8
    assert f"{owner.email} {partner.email}" == seed_row(seed_003_text, "E-post")
    assert owner.email.endswith("@alstahaug.kommune.no") and partner.email.endswith("@inn.no")
    assert (owner.account_number, owner.org_number) == ("45162794918", "938712441")
    assert (partner.account_number, partner.org_number) == ("76940500660", "918108467")
    assert owner.payment_reference == partner.payment_reference == "God opplæring for alle"


def test_it_reads_what_each_grant_is_for(report: ParsedReport) -> None:
    assert [m.purpose for m in report.measures] == [
        "assessment",
        "implementation",
        "implementation",
        "implementation",
        "implementation",
        "planning",
        "implementation",
        "",  # "Velg et element." – nothing chosen
    ]


def test_it_reads_the_semesters_each_measure_runs(report: ParsedReport) -> None:
    all_three = ["2024-spring", "2024-autumn", "2025-spring"]
    assert [m.semesters for m in report.measures] == [
        ["2024-autumn", "2025-spring"],
        all_three,
        all_three,
        ["2024-autumn"],
        ["2024-autumn", "2025-spring"],
        ["2024-autumn", "2025-spring"],
        all_three,
        all_three,
    ]


def test_it_reads_the_continuation_estimates_that_were_filled_in(report: ParsedReport) -> None:
    (autumn,) = measure(report, 4).continuations
    assert (autumn.period_label, autumn.period, autumn.owner_amount) == ("Høst 2025", "2025-autumn", 75_000)
    assert (autumn.owner_reason, autumn.partner_amount, autumn.partner_reason) == ("", None, "")
    assert [m.number for m in report.measures if m.continuations] == [1, 4, 8]


def test_words_in_an_amount_column_of_the_continuation_table_are_kept_as_the_reason(report: ParsedReport) -> None:
    # Measure 1, 2026: "Ny spørreundersøkelse" sits in the owner's amount column, "Resultatportal" in the UH's.
    (year_2026,) = measure(report, 1).continuations
    assert (year_2026.period_label, year_2026.period) == ("2026", "2026")
    assert (year_2026.owner_amount, year_2026.owner_reason) == (None, "Ny spørreundersøkelse")
    assert (year_2026.partner_amount, year_2026.partner_reason) == (None, "Resultatportal")
    # Measure 8, Høst 2025: "Videreføring" in the owner's amount column, "Utvikling og implementering" in the
    # owner's reason column; both UH cells still hold their placeholders (the coordinator has no UH share).
    (autumn,) = measure(report, 8).continuations
    assert (autumn.owner_amount, autumn.owner_reason) == (None, "Videreføring\nUtvikling og implementering")
    assert (autumn.partner_amount, autumn.partner_reason) == (None, "")


def test_it_reads_the_target_groups(report: ParsedReport) -> None:
    assert measure(report, 1).target_group == "Alle elever\nAlle ansatte\nLedere\nForesatte"
    assert measure(report, 2).target_group.startswith("Ressurspersoner fra hver skole og skolelederne")
    assert measure(report, 4).target_group == (
        "Alle ansatte i skolene (inkludert SFO) i Alstahaug, Leirfjord, Lurøy og Træna, samt PP-ansatte"
    )
    assert measure(report, 5).target_group.endswith("Veiledere i pedagogisk analyse")
    assert measure(report, 6).target_group == measure(report, 7).target_group == "Alle ansatte i regionens skoler"
    assert measure(report, 8).target_group == "Alle deltakere i partnerskapet"


def test_it_puts_each_narrative_under_its_question(report: ParsedReport) -> None:
    first = measure(report, 1)
    assert first.description.startswith("Kartlegging av behov og kompetanseutvikling.")
    assert first.description.endswith("og foreldre/foresatte til alle elever.")
    assert first.anchoring == ""  # the question was deleted from this measure
    assert first.collective.startswith("Ved å arbeide datainformert")
    assert first.teacher_education.startswith("SePU er sterkt inne i undervisningen")
    assert first.long_term_plan.startswith("• Personalet i skole/ SFO")
    assert first.owner_share_use.startswith("Planlegging og gjennomføring av kartleggingsundersøkelsen")
    assert first.partner_share_use.endswith("analyseres og drøftes.")
    second = measure(report, 2)
    assert second.description == ""
    assert second.anchoring.startswith("Tiltaket er en videreutvikling av tiltak")
    assert second.anchoring.endswith("ansvar for samlingene i nettverket.")
    assert second.partner_share_use == "Planlegging og gjennomføring av nettverkssamlingene\nReise- og oppholdsutgifter"


def test_it_reads_the_coordinator_measure_with_its_empty_fields(report: ParsedReport) -> None:
    coordinator = measure(report, 8)
    assert coordinator.description.startswith("Kommunene som deltar i partnerskapet er små")
    assert coordinator.description.endswith("samlet\nsum kr 210 000")
    assert coordinator.teacher_education == ""
    assert coordinator.partner_share_use == ""
    assert coordinator.owner_share_use == "Lønn Koordinator"


def test_it_reads_whether_coordinator_funds_are_needed_and_why(report: ParsedReport) -> None:
    assert [m.needs_coordinator for m in report.measures] == [True] * 6 + [False, True]
    assert measure(report, 5).coordinator_reason == "Oppfølging i partnerskapet; mellom kommunene og med SePU"
    # Measure 7 left "Ja" unticked but still gave reasons; they are kept.
    assert measure(report, 7).coordinator_reason.startswith("Konkret planlegging av tiltaket")
    # "Begrunn" is the form's prompt; "Se over" (see above) is the answer.
    assert measure(report, 8).coordinator_reason == "Se over"


def test_a_stray_letter_typed_into_a_narrative_stays_where_it_was_typed(report: ParsedReport) -> None:
    assert "krever systematisk arbeid over tid. T\nPedagogisk analyse brukes" in measure(report, 5).anchoring


def test_it_reads_the_union_co_determination(report: ParsedReport, seed_003_text: str) -> None:
    assert report.union_discussed is True
    ((role, name),) = report.union_participants
    assert role == "Hovedtillitsvalgt" and len(name.split()) == 3
    assert f"Hovedtillitsvalgt {name} " in seed_003_text
    assert report.other_partners == []


def test_it_reads_the_unit_counts_and_keeps_the_ppt_name_unplaced(report: ParsedReport) -> None:
    assert (report.public_schools, report.private_schools) == (13, 0)
    assert (report.municipal_kindergartens, report.private_kindergartens, report.pp_services) == (None, None, None)
    assert report.unplaced == [
        "Total sum det meldes behov for – Desentralisert ordning – Totalt: 1 5 44 000",
        "PP-tjenester: PPTYH",
    ]


def test_no_field_holds_word_placeholders_or_page_chrome(report: ParsedReport) -> None:
    for text in all_strings(asdict(report)):
        assert "Klikk eller trykk" not in text
        assert "Velg et element" not in text
        assert "\ue000" not in text
        assert "Side: 10/22" not in text
        assert "langsiktig-plan-2023-2026" not in text


def test_it_splits_amounts_written_without_kr(seed_003_text: str) -> None:
    text = seed_003_text.replace("Kr 50 000 Kr 174 000 Kr 224 000", "50 000 174 000 224 000")
    first = parse_needs_report(text).measures[0]
    assert (first.owner_amount, first.partner_amount, first.declared_total) == (50_000, 174_000, 224_000)


def test_an_amount_it_cannot_read_goes_to_unplaced(seed_003_text: str) -> None:
    text = seed_003_text.replace("Kr 50 000 Kr 174 000 Kr 224 000", "Ca. femti tusen Kr 174 000 Kr 224 000")
    parsed = parse_needs_report(text)
    first = parsed.measures[0]
    assert (first.owner_amount, first.partner_amount, first.declared_total) == (0, 174_000, 224_000)
    assert "Tiltak 1 – Eier: Ca. femti tusen" in parsed.unplaced


def test_it_reads_a_filled_in_row_of_other_owners(seed_003_text: str) -> None:
    empty_row = (
        "1 Klikk eller trykk her for å skrive inn \ntekst. \n\n"
        "Klikk eller trykk her for å skrive inn \ntekst. \n\nVelg et element."
    )
    text = seed_003_text
    assert empty_row in text
    text = text.replace(empty_row, "1 Vefsn kommune  Kari Nordmann, kari@vefsn.kommune.no \n\nEier")
    assert parse_needs_report(text).other_partners == [
        OtherPartner("Vefsn kommune", "Kari Nordmann, kari@vefsn.kommune.no", "owner")
    ]


def test_it_rejects_text_that_is_not_a_needs_report(seed_003_text: str) -> None:
    recipe = "Pannekaker\n\n3 egg\n5 dl melk\n3 dl hvetemel\nStekes i smør."
    assert not looks_like_needs_report(recipe)
    assert looks_like_needs_report(seed_003_text)
    with translation.override("en"), pytest.raises(ImportFileError, match="does not look like a needs report"):
        parse_needs_report(recipe)


@pytest.mark.parametrize(
    ("written", "kroner"),
    [
        ("Kr 50 000", 50_000),
        ("kr 120 000", 120_000),
        ("120000", 120_000),
        ("120 000,-", 120_000),
        ("kr 40 000,00", 40_000),
        ("kr. 1.544.000", 1_544_000),
        ("70\u00a0000 kr", 70_000),
        ("0", 0),
    ],
)
def test_parse_amount_reads_the_ways_people_write_kroner(written: str, kroner: int) -> None:
    assert parse_amount(written) == kroner


@pytest.mark.parametrize(
    "written", ["", "kr", "Klikk eller trykk her for å skrive inn tekst.", "ca. 50 000", "50 000,50", "-5 000", "12,5"]
)
def test_parse_amount_rejects_anything_else(written: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(written)
