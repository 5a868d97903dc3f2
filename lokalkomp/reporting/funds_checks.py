"""The checks a report on the use of funds must pass before it is submitted (each says what is wrong and where)."""

from __future__ import annotations

from django.utils.translation import gettext

from .models.funds import FundsReportLine, Problem


def line_problems(line: FundsReportLine) -> list[Problem]:
    problems = []
    name = line.name
    if line.used_owner > line.granted_owner:
        problems.append(
            Problem(
                line.pk, "used_owner", gettext("%(measure)s: the owner used more than was granted.") % {"measure": name}
            )
        )
    if line.used_uh > line.granted_uh:
        problems.append(
            Problem(line.pk, "used_uh", gettext("%(measure)s: UH used more than was granted.") % {"measure": name})
        )
    if line.used_partner2 > line.granted_partner2:
        problems.append(
            Problem(
                line.pk,
                "used_partner2",
                gettext("%(measure)s: partner 2 used more than was granted.") % {"measure": name},
            )
        )
    if not line.outcome:
        problems.append(
            Problem(
                line.pk,
                "outcome",
                gettext("%(measure)s: say whether the measure was completed, continued or stopped.")
                % {"measure": name},
            )
        )
    if line.outcome == FundsReportLine.Outcome.STOPPED and not line.stop_reason.strip():
        problems.append(
            Problem(
                line.pk, "stop_reason", gettext("%(measure)s: say why the measure was stopped.") % {"measure": name}
            )
        )
    if line.unused > 0 and not line.unused_proposal:
        problems.append(
            Problem(
                line.pk,
                "unused_proposal",
                gettext("%(measure)s: say what to do with the unused funds.") % {"measure": name},
            )
        )
    if line.cofinancing_amount and not line.cofinancing_form:
        problems.append(
            Problem(
                line.pk,
                "cofinancing_form",
                gettext("%(measure)s: say the form of the co-financing.") % {"measure": name},
            )
        )
    for field in line.required_fields():
        if not getattr(line, field).strip():
            label = getattr(FundsReportLine._meta.get_field(field), "verbose_name", field)
            problems.append(
                Problem(
                    line.pk,
                    field,
                    gettext("%(measure)s: answer «%(question)s».") % {"measure": name, "question": label},
                )
            )
    return problems


def report_problems(lines: list[FundsReportLine]) -> list[Problem]:
    """Every failed check of a report's lines, line by line, then the co-financing per scheme (the scheme's rule)."""
    problems = [p for line in lines for p in line_problems(line)]
    by_scheme: dict[int, list[FundsReportLine]] = {}
    for line in lines:
        by_scheme.setdefault(line.scheme_id, []).append(line)
    for scheme_lines in by_scheme.values():
        scheme = scheme_lines[0].scheme
        required = scheme.required_co_financing(sum(line.granted for line in scheme_lines))
        declared = sum(line.cofinancing_amount for line in scheme_lines)
        if declared < required:
            problems.append(
                Problem(
                    None,
                    "cofinancing_amount",
                    gettext(
                        "%(scheme)s: the co-financing is %(declared)s kr; the scheme asks at least %(percent)s %% of "
                        "the state grant, %(required)s kr."
                    )
                    % {
                        "scheme": scheme.short_name,
                        "declared": declared,
                        "percent": scheme.co_financing_percent,
                        "required": required,
                    },
                )
            )
    return problems
