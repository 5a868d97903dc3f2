"""What each section of the needs report form shows, in the order of the Word form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lokalkomp.accounts.rules import can_edit_report, can_reopen_report
from lokalkomp.schemes.models import Scheme
from lokalkomp.templatetags.nor import semester

from .checks import problems
from .forms import ContactForm, CopyMeasureForm, ParticipantForm, UnionParticipantForm
from .models import NeedsReport, semester_codes

SECTIONS = {
    "partnership": _("Partnership and contacts"),
    "measures": _("Measures"),
    "union": _("Co-determination"),
    "units": _("Units"),
    "check": _("Check and submit"),
}


def semesters_of(report: NeedsReport) -> list[tuple[str, str]]:
    """The semesters a measure of this round can run, with their labels."""
    return [(code, semester(code)) for code in semester_codes(report.round.year)]


def continuation_periods(year: int) -> list[str]:
    return [f"{year + 1}-autumn", str(year + 2), str(year + 3)]


def steps_for(found: list[Any], section: str = "") -> list[dict[str, Any]]:
    """The progress indicator: each section with the number of problems left in it."""
    return [
        {
            "code": code,
            "label": label,
            "problems": sum(1 for p in found if p.section == code),
            "current": code == section,
        }
        for code, label in SECTIONS.items()
    ]


def section_context(request: HttpRequest, report: NeedsReport, section: str, **extra: Any) -> dict[str, Any]:
    found = problems(report)
    editable = bool(can_edit_report(request.user, report)) and report.is_editable()
    steps = [
        {
            "code": code,
            "label": label,
            "problems": sum(1 for p in found if p.section == code),
            "current": code == section,
        }
        for code, label in SECTIONS.items()
    ]
    context: dict[str, Any] = {
        "report": report,
        "section": section,
        "steps": steps,
        "problems": found,
        "editable": editable,
        "totals": report.totals_by_scheme(),
        "grand_total": report.grand_total(),
        "may_reopen": bool(can_reopen_report(request.user, report)),
        "results": {},
        "semesters": semesters_of(report),
        "deadline": report.round.deadline("needs_reports"),
    }
    if section == "partnership":
        context.setdefault("participant_form", ParticipantForm(report=report, prefix="participant"))
        context.setdefault("contact_form", ContactForm(report=report, prefix="contact"))
        context["round_schemes"] = list(Scheme.objects.filter(round_schemes__round=report.round).order_by("valid_from"))
        context["chosen_schemes"] = {rs.scheme_id for rs in report.report_schemes.all()}
    if section == "measures":
        context["copy_form"] = CopyMeasureForm(report=report)
    if section == "union":
        context.setdefault("union_form", UnionParticipantForm(report=report, prefix="union"))
    context.update(extra)
    if "measure" in extra:
        context["measure_number"] = list(report.measures.all()).index(extra["measure"]) + 1
        context["continuations"] = list(extra["measure"].continuations.all())
        context["scheme_choices"] = [(rs.scheme_id, rs.scheme.short_name) for rs in report.report_schemes.all()]
    return context
