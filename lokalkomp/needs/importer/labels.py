"""The labels, check boxes and chrome of the Word form, as regular expressions.

Labels are found by their words with any whitespace in between, because the three exports (Word,
PDF, text) wrap the same label at different places. Digits are ASCII [0-9] throughout: `\\d` would
also match other scripts' digits, and int() would then read them.
"""

from __future__ import annotations

import re

EMPTY = "\ue000"
"""Stands in for a Word placeholder while parsing, so an empty table cell keeps its place."""

CHECKED = "☒☑"
BOX = "([☒☑☐])"


def _words(phrase: str) -> str:
    """A regex for a phrase of the form, whatever whitespace or line breaks sit between its words."""
    return r"\s+".join("[–-]" if word in "–-" else re.escape(word) for word in phrase.split())


def _line_label(pattern: str) -> re.Pattern[str]:
    return re.compile(r"^[ \t]*(?:" + pattern + r")(?!\w)[ \t]*[?:]?", re.IGNORECASE | re.MULTILINE)


def _label(start: str, end: str = "") -> re.Pattern[str]:
    """A question found by its first and last words; the middle may be reworded between form versions."""
    return _line_label(_words(start) + (r"[\s\S]{0,200}?" + _words(end) if end else ""))


def chrome_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(_words(phrase), re.IGNORECASE)


PLACEHOLDERS = re.compile(
    "|".join(
        _words(text) + r"\.?"
        for text in (
            "Klikk eller trykk her for å skrive inn tekst",
            "Velg et element",
            "Click or tap here to enter text",
            "Choose an item",
        )
    ),
    re.IGNORECASE,
)
# Page footers and the hyperlink to the forum's long-term plan repeated on every page.
CHROME_LINES = re.compile(
    r"^[ \t]*(?:Side:?\s*[0-9]+\s*/\s*[0-9]+|https?://\S*langsiktig-plan\S*)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
MEASURE_HEADING = re.compile(r"^[ \t]*Tiltak[ \t]+([0-9]+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
FOOTER_START = _line_label(
    r"Liste\s+over\s+andre\s+eiere|Behovsmeldingen\s+har\s+vært\s+drøftet|Hvor\s+mange\s+enheter"
)
FORM_TITLE = _label("Behovsmelding – lokal kompetanseutvikling", "grunnopplæring")
FORM_START = _label("Behovsmeldingen gjelder")
# A form is known by two of these; a form without measures still has its header and footer.
MARKERS = (
    re.compile("Behovsmelding", re.IGNORECASE),
    MEASURE_HEADING,
    re.compile(_words("Navn på tiltak"), re.IGNORECASE),
    _label("Kontaktpersoner"),
    _label("Total sum det meldes behov for"),
    _label("Hvor mange enheter er inkludert", "behovsmeldingen"),
)

HEADER_LABELS = [
    ("title", _label("Behovsmelding – lokal kompetanseutvikling", "grunnopplæring")),
    ("schemes", _label("Behovsmeldingen gjelder")),
    ("owner_names", _line_label(r"Eier\s*:")),
    ("network_name", re.compile(r"Kompetansenettverk\s*:?", re.IGNORECASE)),
    ("partner_names", _line_label(r"Universitet\s*/\s*Høgskole")),
    ("contacts", _label("Kontaktpersoner")),
    ("several_owners", _label("Partnerskapet består av flere eiere")),
    ("several_partners", _label("Partnerskapet består av flere UH")),
    ("several_schemes", _label("Partnerskapet leverer behovsmelding i flere ordninger")),
    ("measure_count", _label("Totalt antall tiltak", "tilskudd til")),
    ("totals", _label("Total sum det meldes behov for")),
]
HEADER_WHERE = {
    "": "Behovsmelding",
    "title": "Behovsmelding",
    "schemes": "Behovsmeldingen gjelder",
    "contacts": "Kontaktpersoner",
    "several_owners": "Partnerskapet består av flere eiere?",
    "several_partners": "Partnerskapet består av flere UH?",
    "several_schemes": "Partnerskapet leverer behovsmelding i flere ordninger?",
    "measure_count": "Totalt antall tiltak",
    "totals": "Total sum det meldes behov for",
}
FORM_SCHEMES = {
    "rekomp": "Regional ordning",
    "dekomp": "Desentralisert ordning",
    "kompetanseloftet": "Kompetanseløftet",
}
"""The schemes the form names, by their codes (`Scheme.code`)."""
SCHEME_BOX = re.compile(
    "(" + "|".join(_words(name) for name in FORM_SCHEMES.values()) + r")[^☒☑☐\n]{0,80}?\s*" + BOX, re.I
)
TOTAL_ROWS = [
    ("rekomp", _label(FORM_SCHEMES["rekomp"])),
    ("dekomp", _label(FORM_SCHEMES["dekomp"])),
    ("kompetanseloftet", _line_label(r"Kompetanseløftet(?:\s+for\s+spesialpedagogikk\s+og\s+inkluderende\s+praksis)?")),
    ("sum", _label("Sum")),
]
CONTACT_ROWS = [
    ("name", _label("Navn")),
    ("function", _label("Funksjon")),
    ("phone", _label("Telefon")),
    ("email", _line_label(r"E-?post")),
    ("account_number", _line_label(r"Konto(?:nr|nummer)\.?")),
    ("org_number", _line_label(r"Org\.?\s*(?:nr|nummer)\.?")),
    ("payment_reference", _line_label(r"Ev\.?\s*merkes")),
]
MEASURE_LABELS = [
    ("name", _label("Navn på tiltak")),
    ("amounts", _label("Tilskuddet fordeles")),
    ("purpose", _label("Hva skal tilskuddet brukes til")),
    ("anchoring", _label("Beskriv hvordan tiltaket er forankret i den enkelte", "dialog med UH")),
    ("collective", _label("Beskriv hvordan tiltakene skal fremme kollektive prosesser", "barnehagen eller skolen")),
    ("teacher_education", _label("Beskriv hvordan dette samarbeidet bidrar", "lærerutdanningen")),
    ("long_term_plan", _label("Beskriv hvordan dette tiltaket er forankret i langsiktig plan")),
    ("owner_share_use", _label("Eiers tilskudd skal brukes", "måte")),
    ("partner_share_use", _label("UH sitt tilskudd skal brukes", "måte")),
    ("coordinator", _label("Det er behov for å bruke midler til koordinator", "tiltaket")),
    ("semesters", _label("Tiltakets varighet")),
    ("continuations", _label("Dersom tiltak ønskes videreført", "behov")),
    ("target_group", _label("Hvem er målgruppa for tiltaket")),
]
PURPOSES = [
    ("assessment", re.compile(r"Vurdering\s*/\s*analyse", re.I)),
    ("planning", re.compile(r"Planlegging\s+av\s+tiltak", re.I)),
    ("implementation", re.compile(r"Gjennomføring\s+av\s+tiltak", re.I)),
    ("coordinator", re.compile(r"Koordinator(?!\w)", re.I)),
]
AMOUNT_HEADER = chrome_pattern("Eier UH Sum totalt")
TOTALS_HEADER = chrome_pattern("Ordning Eier UH Totalt")
CONTACTS_HEADER = chrome_pattern("Eier UH")
PARTICIPANTS_HEADER = chrome_pattern("Rolle Navn")
# The instruction left above the coordinator answer in one of the seed's measures.
REASON_PROMPT = re.compile(r"Begrunn(?:else)?\s*[:.…]*", re.I)
SEMESTER_BOX = re.compile(r"(Vår|Høst)\s+([0-9]{4})\s*" + BOX, re.I)
CONTINUATION_HEADER = chrome_pattern("Eier Begrunnelse UH Begrunnelse")
PERIOD_ROW = re.compile(r"^[ \t]*((?:Vår|Høst)[ \t]+[0-9]{4}|[0-9]{4})(?=\s|$)", re.MULTILINE | re.IGNORECASE)
FOOTER_LABELS = [
    ("other_partners", _label("Liste over andre eiere og UH", "partnerskapet")),
    ("union", _label("Behovsmeldingen har vært drøftet i medbestemmelse")),
    ("participants", _label("Hvem som har deltatt")),
    ("units", _label("Hvor mange enheter er inkludert", "behovsmeldingen")),
]
OTHER_PARTNERS_HEADER = re.compile(r"Navn\s+på\s+eier\s*/\s*UH\s+Kontaktperson\s+Eier\s*/\s*UH", re.I)
NUMBERED_ROW = re.compile(r"^[ \t]*([0-9]{1,2})(?=\s|$)", re.MULTILINE)
PARTNER_KINDS = {"eier": "owner", "uh": "partner", "fagskole": "partner"}
ROLE_WORD = re.compile(
    r"tillitsvalgt|verneombud|forbund|organisasjon|representant|^(?:HTV|TV|FO|LO|YS|Delta|Unio|Parat)$", re.I
)
UNIT_COLUMNS = [
    ("municipal_kindergartens", "Kommunale barnehager"),
    ("private_kindergartens", "Private barnehager"),
    ("public_schools", "Offentlige skoler"),
    ("private_schools", "Private skoler"),
    ("pp_services", "PP-tjenester"),
]
YES = re.compile(r"(?<!\w)Ja\s*" + BOX, re.I)
NO = re.compile(r"(?<!\w)Nei\s*" + BOX, re.I)
FILL_IN_LIST = re.compile(r"\(\s*Fyll\s+ut\s+liste\s*\)", re.I)
GAP = re.compile(r" {2,}")
BEFORE_KR = re.compile(r"\s+(?=(?:kr\.?|nok)\s*[0-9])", re.I)
# "50 000 kr 174 000 kr": a currency (or ",-") written after an amount ends it.
AFTER_AMOUNT = re.compile(
    r"(?:(?<=[0-9] kr)|(?<=[0-9]kr)|(?<=[0-9] kr\.)|(?<=[0-9] nok)|(?<=[0-9]nok)|(?<=[0-9],-)|(?<=[0-9],00))\s+(?=\S)",
    re.I,
)
SPACED_DIGITS = re.compile(r"[0-9]+(?: [0-9]+)+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME_JOINERS = {"og", "i", "fra", "for", "av", "ved", "på", "til", "med", "&", "-", "–", "/"}
