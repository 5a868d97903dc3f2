# ruff: noqa: W291, W293  -- the form's text export keeps its trailing spaces, and so does this copy of it
"""Needs report forms the project writes itself, in the layout of the Word form (as seed 003 has it).

Everything on them is made up: the people, their phones and e-mail addresses, the organisation and
account numbers (valid MOD11). The tests build .txt, .docx and .pdf files from this text, so no
binary fixture is committed and nothing beside the checkout is needed.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field, replace
from typing import Any

import docx

PLACEHOLDER = "Klikk eller trykk her for å skrive inn tekst."
# In a narrow table cell the placeholder wraps as in the seed.
CELL_PLACEHOLDER = "Klikk eller trykk \nher for å skrive \ninn tekst. "
CHOOSE = "Velg et element."
LONG_TERM_PLAN_LINK = (
    "https://prosjekt.statsforvalteren.no/nb/kompetanseutvikling-nordland/samarbeidsforum/langsiktig-plan-2023-2026/"
)

OWNER_ORG_NUMBER = "976543211"
PARTNER_ORG_NUMBER = "988112232"
OWNER_ACCOUNT = "15031234562"
PARTNER_ACCOUNT = "15069876541"


def box(checked: bool) -> str:
    return "☒" if checked else "☐"


@dataclass
class FormMeasure:
    name: str
    owner: str  # the cells as written on the form
    partner: str
    total: str
    purpose: str = "Gjennomføring av tiltak"
    description: str = ""
    anchoring: str = "Tiltaket er forankret i styringsgruppa og i hver enhet."
    collective: str = "Alle ansatte deltar i kollektive prosesser på egen arbeidsplass."
    teacher_education: str = "Erfaringene brukes i undervisningen i lærerutdanningen."
    long_term_plan: str = "• Tiltaket bygger på den langsiktige planen"
    owner_share_use: str = "Vikarutgifter, reiseutgifter og lokaler"
    partner_share_use: str = "Planlegging og gjennomføring av samlingene"
    coordinator: bool | None = True
    coordinator_reason: str = "Koordinering og oppfølging mellom samlinger"
    semesters: tuple[bool, bool, bool] = (True, True, True)  # Vår 2024, Høst 2024, Vår 2025
    continuations: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # "Høst 2025": 4 cells
    target_group: str = "Alle ansatte"


@dataclass
class Form:
    measures: list[FormMeasure]
    schemes: tuple[bool, bool, bool] = (False, True, False)  # regional, desentralisert, kompetanseløftet
    owner_names: str = "Fjellvik, Strandå og Nordøy kommuner"
    network: str = "Fjordnettet (FN)"
    partner_names: str = "Høgskolen på Haugen"
    names: tuple[str, str] = ("Sigrun Vatnli", "Eskil Brattås")
    functions: tuple[str, str] = ("Koordinator", "Prosjektleder")
    phones: tuple[str, str] = ("48011223", "93344556")
    emails: tuple[str, str] = ("sigrun.vatnli@fjellvik.kommune.no", "eskil.brattas@haugen.no")
    accounts: tuple[str, str] = ("1503 12 34562", "1506.98.76541")
    org_numbers: tuple[str, str] = ("976 543 211", PARTNER_ORG_NUMBER)
    references: tuple[str, str] = ("Fjordløftet", "Fjordløftet")
    several_owners: bool = True
    several_partners: bool = False
    several_schemes: bool = False
    measure_count: str = ""  # "" = the number of measures
    year: str = "2024"
    totals: dict[str, tuple[str, str, str]] | None = None  # row label: 3 cells; None = from the measures
    other_partners: list[tuple[str, str, str]] = field(default_factory=list)
    union: bool = True
    participants: list[tuple[str, str]] = field(default_factory=lambda: [("Hovedtillitsvalgt", "Ola Testesen")])
    units: str = f" {CELL_PLACEHOLDER}\n\n13 0 PPTFN "


def three_measures() -> list[FormMeasure]:
    """Three made-up measures: 60 000 + 100 000 + 50 000 for the owner, 90 000 + 150 000 + 0 for the UH."""
    return [
        FormMeasure(
            "Kartlegging av lesemiljøet",
            "Kr 60 000",
            "Kr 90 000",
            "Kr 150 000",
            purpose="Vurdering/analyse",
            description="Spørreundersøkelse i alle barnehager og skoler.\nResultatene drøftes i nettverket.",
            anchoring="",
            semesters=(False, True, True),
            continuations={"Høst 2025": ("Kr 30 000", CELL_PLACEHOLDER, CELL_PLACEHOLDER, CELL_PLACEHOLDER)},
        ),
        FormMeasure(
            "Nettverk for språk, lesing og skriving",
            "Kr 100 000",
            "Kr 150 000",
            "Kr 250 000",
            target_group="Ressurspersoner og ledere",
        ),
        FormMeasure(
            "Koordinator",
            "Kr 50 000",
            PLACEHOLDER + " ",
            "Kr 50 000",
            purpose=CHOOSE,
            teacher_education=PLACEHOLDER,
            partner_share_use=PLACEHOLDER,
            coordinator_reason="Se over",
            target_group="Alle deltakere i partnerskapet",
        ),
    ]


def default_form(**changes: object) -> Form:
    return replace(Form(measures=three_measures()), **changes)  # type: ignore[arg-type]


def _totals(form: Form) -> dict[str, tuple[str, str, str]]:
    if form.totals is not None:
        return form.totals
    return {"Desentralisert ordning": ("210 000", "240 000", "450 000"), "Sum": ("210 000", "240 000", "450 000")}


def _measure(number: int, m: FormMeasure) -> str:
    spring, autumn, spring_after = m.semesters
    rows = []
    for label in ("Høst 2025", "2026", "2027"):
        cells = m.continuations.get(label, (CELL_PLACEHOLDER,) * 4)
        rows.append(f"{label} " + "\n\n".join(cells) + " \n")
    coordinator = "" if m.coordinator is None else f"Ja {box(m.coordinator)} "
    return f""" Tiltak {number} 

Navn på tiltak: {m.name} 

Tilskuddet fordeles 

Eier UH Sum totalt 

{m.owner} {m.partner} {m.total} 

 

Hva skal tilskuddet brukes til? {m.purpose} 

{m.description}

Beskriv hvordan tiltaket er forankret i den enkelte barnehage og skole på en måte som 

involverer ansatte og ledere, og i faglig dialog med UH 

{m.anchoring}

Beskriv hvordan tiltakene skal fremme kollektive prosesser for profesjonsutvikling som utvikler 

barnehagen eller skolen 

{m.collective}

Beskriv hvordan dette samarbeidet bidrar til å styrke lærerutdanningen  

{m.teacher_education}

Beskriv hvordan dette tiltaket er forankret i langsiktig plan  

{m.long_term_plan}

{LONG_TERM_PLAN_LINK}

Eiers tilskudd skal brukes på følgende måte 

{m.owner_share_use}

UH sitt tilskudd skal brukes på følgende måte 

{m.partner_share_use}

Det er behov for å bruke midler til koordinator for dette tiltaket? {coordinator}

{m.coordinator_reason}

Tiltakets varighet Vår 2024 {box(spring)} Høst 2024 {box(autumn)}  Vår 2025 {box(spring_after)}   

Dersom tiltak ønskes videreført etter vår 2025 gi anslag på behov 

 Eier Begrunnelse UH Begrunnelse 

{chr(10).join(rows)}
Hvem er målgruppa for tiltaket? 

{m.target_group}

"""


def form_text(form: Form) -> str:
    """The text of the filled-in form, as the Word form's text export gives it."""
    regional, decentral, lift = form.schemes
    totals = "".join(f"{label} {' '.join(cells)} \n\n" for label, cells in _totals(form).items())
    others = []
    for number in range(1, 5):
        other = form.other_partners[number - 1] if number <= len(form.other_partners) else None
        if other is None:
            others.append(f"{number} {PLACEHOLDER} \n\n{PLACEHOLDER} \n\n{CHOOSE} \n")
        else:
            others.append(f"{number} {other[0]}  {other[1]} \n\n{other[2]} \n")
    participants = "".join(f"{role} {name} \n\n" for role, name in form.participants)
    measures = "".join(_measure(n, m) for n, m in enumerate(form.measures, 1))

    def row(label: str, values: tuple[str, str]) -> str:
        return f"{label} {values[0]} {values[1]} \n"

    return f"""
 

Behovsmelding – lokal kompetanseutvikling i barnehage og 

grunnopplæring  

Behovsmeldingen gjelder:  

Regional ordning {box(regional)}   Desentralisert ordning {box(decentral)}   Kompetanseløftet {box(lift)} 

Eier: {form.owner_names}  Kompetansenettverk {form.network} 

Universitet/Høgskole: {form.partner_names} 

Kontaktpersoner: 

 Eier UH 

{row("Navn", form.names)}{row("Funksjon", form.functions)}{row("Telefon", form.phones)}\
{row("E-post", form.emails)}{row("Kontonr", form.accounts)}{row("Org. Nr", form.org_numbers)}\
{row("Ev. merkes", form.references)}
Partnerskapet består av flere eiere? Ja {box(form.several_owners)}  (Fyll ut liste) Nei  {box(not form.several_owners)} 

Partnerskapet består av flere UH? Ja {box(form.several_partners)}  (Fyll ut liste) Nei  {box(not form.several_partners)} 

Partnerskapet leverer behovsmelding i flere ordninger? Ja {box(form.several_schemes)}    Nei {box(not form.several_schemes)}   

Totalt antall tiltak det er behov for tilskudd til? {form.measure_count or len(form.measures)} 

Total sum det meldes behov for {form.year} 

Ordning Eier UH Totalt 

{totals}{measures}
Liste over andre eiere og UH i partnerskapet 

 Navn på eier/UH Kontaktperson Eier/UH 

{chr(10).join(others)}
 

Behovsmeldingen har vært drøftet i medbestemmelse  Ja {box(form.union)}  Nei {box(not form.union)} 

Hvem som har deltatt:  

Rolle Navn 

{participants}{PLACEHOLDER} {PLACEHOLDER} 
 Hvor mange enheter er inkludert i behovsmeldingen? 

Kommunale 

barnehager 

Private 

barnehager 

Offentlige skoler Private skoler PP-tjenester 

{form.units}
"""


def default_text(**changes: object) -> str:
    return form_text(default_form(**changes))


def build_docx(text: str) -> bytes:
    """A Word document with one paragraph per line of text."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(text: str) -> bytes:
    """An A4 PDF with one line per line of text, in a font small enough that no line wraps."""
    import weasyprint  # slow to import; only the PDF tests need it

    paragraphs = "\n".join(f"<p>{html.escape(line) or '&#160;'}</p>" for line in text.split("\n"))
    page = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><style>
    @page {{ size: A4; margin: 10mm; }}
    body {{ font-family: "DejaVu Sans", sans-serif; font-size: 6.5pt; }}
    p {{ margin: 0; white-space: pre; font-variant-ligatures: none; }}
    </style></head><body>{paragraphs}</body></html>"""
    pdf = weasyprint.HTML(string=page).write_pdf()
    if pdf is None:  # only None when writing to a target
        raise RuntimeError("WeasyPrint produced no PDF")
    return pdf


def move_seed_report_out_of(round: Any) -> None:
    """The demo holds seed 003's submitted 2024 report, a record that cannot be deleted; an import
    never overwrites a report, so the tests that import seed 003 move it to a round of its own."""
    from lokalkomp.needs.models import NeedsReport
    from lokalkomp.schemes.models import Round

    elsewhere, _created = Round.objects.get_or_create(office=round.office, year=2021)
    NeedsReport.objects.filter(round=round, partnership__name="God opplæring for alle").update(round=elsewhere)
