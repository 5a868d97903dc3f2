"""What allocation adds to the pages and registries of the apps before it (see docs/architecture.md).

Each helper of the app adds its own registration function here and calls it from `register()`.
"""

from __future__ import annotations


def register() -> None:
    """Called once from AllocationConfig.ready()."""
    _register_assessment()
    _register_compilation()
    _register_outcome()
    _register_overview()
    _register_payments()
    _register_workspace()


def _register_assessment() -> None:
    """The assessment's: the declaration gate on needs' reports, the header's «Assessment», the role matrix."""
    from lokalkomp.accounts import matrix, navigation
    from lokalkomp.needs import access as needs_access

    from .access.assessment import report_gate, report_list_gate
    from .views.assessment.navigation import SECTION, assessment_place

    if report_gate not in needs_access.report_gates:
        needs_access.report_gates.append(report_gate)  # a forum member declares their ties before reading
    if report_list_gate not in needs_access.report_list_gates:
        needs_access.report_list_gates.append(report_list_gate)
    if assessment_place not in navigation.providers:
        navigation.providers.append(assessment_place)
    matrix.sections["allocation.assessment"] = SECTION


def _register_compilation() -> None:
    """The compilation's: on the network's and the round's pages, the deadline's link, needs' «compiled»
    (the work list's count and the network overview's column), the role matrix."""
    from lokalkomp.accounts import matrix
    from lokalkomp.directory import panels as network_page
    from lokalkomp.needs import marks
    from lokalkomp.needs import panels as needs_panels
    from lokalkomp.schemes import panels as round_page
    from lokalkomp.schemes.models import Transition

    from . import compilation_matrix, compilation_panels

    if compilation_panels.network_compilations not in network_page.network_sections:
        network_page.network_sections.append(compilation_panels.network_compilations)
    if compilation_panels.round_compilations not in round_page.round_panels:
        round_page.round_panels.append(compilation_panels.round_compilations)
    if compilation_panels.compiled_report_ids not in needs_panels.compiled_report_ids:
        needs_panels.compiled_report_ids.append(compilation_panels.compiled_report_ids)
    if compilation_panels.report_marks not in marks.report_marks:
        marks.report_marks.append(compilation_panels.report_marks)
    round_page.milestone_links[Transition.NETWORK_COMPILATION] = compilation_panels.milestone_url
    matrix.sections["allocation.compilation"] = compilation_matrix.SECTION


def _register_outcome() -> None:
    """The decisions' outcome per measure on needs' report page (nothing before the round is decided)."""
    from lokalkomp.needs import outcomes

    from .outcome import DECIDED_AT, DECIDED_FROM, decided_at, decided_from, report_outcome

    if report_outcome not in outcomes.report_outcomes:
        outcomes.report_outcomes.append(report_outcome)
    outcomes.report_annotations[DECIDED_AT] = decided_at  # read with the report: no query before the decisions
    outcomes.report_annotations[DECIDED_FROM] = decided_from


def _register_overview() -> None:
    """The overview's and the overlap finder's: links on the round's page (no query), the role matrix."""
    from lokalkomp.accounts import matrix
    from lokalkomp.schemes import panels as round_page

    from .overview.matrix import SECTION
    from .views.overview import round_panel

    if round_panel not in round_page.round_panels:
        round_page.round_panels.append(round_panel)
    matrix.sections["allocation.overview"] = SECTION


def _register_workspace() -> None:
    """The recommendation workspace's: a link on the round's page (no query); the recommendation's and the
    decisions' columns of the role matrix."""
    from lokalkomp.accounts import matrix
    from lokalkomp.schemes import panels as round_page

    from .recommendation_matrix import SECTION
    from .views.recommendation.workspace_links import round_panel

    if round_panel not in round_page.round_panels:
        round_page.round_panels.append(round_panel)
    matrix.sections["allocation.recommendation"] = SECTION


def _register_payments() -> None:
    """The payments': a link on the round's page (no query), the role matrix."""
    from lokalkomp.accounts import matrix
    from lokalkomp.schemes import panels as round_page

    from .payment_matrix import SECTION
    from .views.payment import round_panel

    if round_panel not in round_page.round_panels:
        round_page.round_panels.append(round_panel)
    matrix.sections["allocation.payments"] = SECTION
