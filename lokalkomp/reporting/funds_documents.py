"""What the report's form and its PDF show per measure (one list of fields, read by both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from lokalkomp.needs.documents import html_to_pdf
from lokalkomp.templatetags.nor import format_kroner

from .models.funds import FundsReport, FundsReportLine


@dataclass(frozen=True)
class Field:
    key: str
    name: str
    label: str
    question: str
    kind: str  # amount, choice, text
    value: Any
    choices: list[tuple[str, str]]
    display: str


@dataclass(frozen=True)
class Section:
    line: FundsReportLine
    money: list[Field]
    status: list[Field]
    evaluation: list[Field]


def _field(line: FundsReportLine, name: str) -> Field:
    model_field: Any = FundsReportLine._meta.get_field(name)
    value = getattr(line, name)
    if name in FundsReportLine.AMOUNT_FIELDS:
        kind, choices, display = "amount", [], format_kroner(value)
    elif name in FundsReportLine.CHOICE_FIELDS:
        kind, choices = "choice", [(str(v), str(label)) for v, label in model_field.choices]
        display = dict(choices).get(value, "")
    else:
        kind, choices, display = "text", [], value
    return Field(
        key=f"line:{line.pk}:{name}",
        name=name,
        label=str(model_field.verbose_name),
        question=str(model_field.help_text),
        kind=kind,
        value=value,
        choices=choices,
        display=display,
    )


def _money_fields(line: FundsReportLine) -> tuple[str, ...]:
    """Partner 2's field only on a line that has a partner 2 (granted, or something already typed in)."""
    partner2 = ("used_partner2",) if line.has_partner2 else ()
    return ("used_owner", "used_uh", *partner2, "cofinancing_amount", "cofinancing_form")


def funds_sections(report: FundsReport) -> list[Section]:
    sections = []
    for line in report.line_list():
        evaluation = [*FundsReportLine.EVALUATION_FIELDS, *(FundsReportLine.RESULT_FIELDS if line.asks_results else ())]
        sections.append(
            Section(
                line=line,
                money=[_field(line, f) for f in _money_fields(line)],
                status=[_field(line, f) for f in ("unused_proposal", "outcome", "stop_reason")],
                evaluation=[_field(line, f) for f in evaluation],
            )
        )
    return sections


def funds_pdf(report: FundsReport) -> bytes:
    return html_to_pdf(funds_html(report))


def funds_html(report: FundsReport) -> str:
    """The PDF's HTML (also printed as PDF/A by the archive export)."""
    return render_to_string(
        "reporting/funds_pdf.html",
        {"report": report, "sections": funds_sections(report), "printed": timezone.now()},
    )
