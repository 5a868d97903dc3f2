"""The round's assessment work list: every measure of its submitted reports, by network and scheme.

A forum member or deputy sees their own status per measure (not started, draft, shared) and a link
to the form, or «Inhabil» and no link where they are disqualified; the secretariat sees how many
assessments each measure has, and the Statsforvalter sets up the round (the central questions).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import Round
from lokalkomp.schemes.navigation import my_rounds

from ...access.assessment import declaration_gate, get_assessment_round_for, get_setup_round_for
from ...conflicts import disqualified_partnership_ids
from ...models import Assessment, AssessmentSetup, CompilationVersion
from ...rules.assessment import can_set_up_assessment, can_view_assessments, is_assessor, sees_every_assessment
from .forms import SetupForm

MARKER = 987654321  # reverse() once per page, not once per row
COLUMNS = (
    "pk",
    "name",
    "owner_amount",
    "partner_amount",
    "report_id",
    "report__partnership_id",
    "report__partnership__name",
    "report__partnership__network__name",
    "scheme_id",
    "scheme__short_name",
)


@dataclass
class Row:
    pk: int
    name: str
    partnership: str
    total: int
    status: str  # not_started, draft, shared, disqualified; "" for the secretariat
    form_url: str
    text_url: str
    priority: int | None = None
    recommended: bool = True
    drafts: int = 0
    shared: int = 0


@dataclass
class Group:
    network: str
    scheme: str
    rows: list[Row] = field(default_factory=list)


@require_GET
@login_required
def my_assessment(request: HttpRequest) -> HttpResponse:
    """The header's «Vurdering»: the work list of the person's round, or a choice when they have several."""
    rounds = rounds_to_assess(request.user)
    if len(rounds) == 1:
        return redirect("allocation:assessments", rounds[0].office.slug, rounds[0].year)
    return render(request, "allocation/assess_rounds.html", {"rounds": rounds})


def rounds_to_assess(user: Any) -> list[Round]:
    """Per office whose assessment the person opens: its newest round with measures of submitted reports.

    The office's round of the header (`my_rounds`: the earliest with steps ahead) is often the next
    year's, where nothing is submitted yet; it stays the choice only for an office with nothing to assess.
    """
    chosen = {r.office_id: r for r in my_rounds(user) if can_view_assessments(user, r)}
    submitted = Measure.objects.filter(report__status=NeedsReport.Status.SUBMITTED, report__round__office_id__in=chosen)
    newest: dict[int, Round] = {}
    for round in Round.objects.filter(pk__in=submitted.values("report__round_id")).select_related("office"):
        newest.setdefault(round.office_id, round)  # rounds come newest first
    return sorted((chosen | newest).values(), key=lambda round: round.office.name)


@require_GET
@login_required
def worklist(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_assessment_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.path):
        return redirect(elsewhere)
    return _page(request, round, SetupForm(initial={"central_questions": _asks(round)}))


@require_POST
@login_required
def set_up(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The Statsforvalter switches the central questions on or off for the round (an event)."""
    round = get_setup_round_for(request.user, office, year)
    form = SetupForm(request.POST)
    if not form.is_valid():  # a checkbox cannot be invalid; kept for the shape
        return _page(request, round, form, status=422)
    if AssessmentSetup.set_central_questions(round, form.cleaned_data["central_questions"], by=request.user):
        messages.success(request, _("The round's assessment is set up."))
    return redirect("allocation:assessments", round.office.slug, round.year)


def _asks(round: Any) -> bool:
    setup = getattr(round, "assessment_setup", None)
    return bool(setup and setup.central_questions)


def _page(request: HttpRequest, round: Any, form: SetupForm, status: int = 200) -> HttpResponse:
    user = request.user
    assessor = is_assessor(user, round)
    secretariat = sees_every_assessment(user, round)
    context = {
        "round": round,
        "groups": groups(user, round, assessor=assessor, secretariat=secretariat),
        "assessor": assessor,
        "secretariat": secretariat,
        "may_set_up": can_set_up_assessment(user, round),
        "setup_form": form,
        "asks_central_questions": _asks(round),
    }
    return render(request, "allocation/assess_list.html", context, status=status)


def groups(user: Any, round: Any, *, assessor: bool, secretariat: bool) -> list[Group]:
    """The round's submitted measures, by network and scheme, each with the person's status (or the counts)."""
    rows = (
        Measure.objects.filter(report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .order_by(F("report__partnership__network__name").asc(nulls_last=True), "scheme__valid_from", "scheme_id")
        .values_list(*COLUMNS)
    )
    disqualified = disqualified_partnership_ids(user, round) if assessor else set()
    mine = (
        dict(Assessment.objects.filter(round=round, assessor=user).values_list("measure_id", "shared"))
        if assessor
        else {}
    )
    counts = _counts(round) if secretariat else {}
    priorities = _priorities(round)
    form_url = reverse("allocation:assess", args=[round.office.slug, round.year, MARKER])
    text_url = reverse("needs:report", args=[MARKER])
    found: dict[tuple[str, int], Group] = {}
    for pk, name, owner, partner, report, partnership, partnership_name, network, scheme, scheme_name in rows:
        group = found.setdefault((network or "", scheme), Group(network or str(_("No network")), scheme_name))
        if not assessor:
            status = ""
        elif partnership in disqualified:
            status = "disqualified"
        else:
            status = {None: "not_started", False: "draft", True: "shared"}[mine.get(pk)]
        priority, recommended = priorities.get(pk, (None, True))
        drafts, shared = counts.get(pk, (0, 0))
        group.rows.append(
            Row(
                pk=pk,
                name=name,
                partnership=partnership_name,
                total=owner + partner,
                status=status,
                form_url=form_url.replace(str(MARKER), str(pk)),
                text_url=text_url.replace(str(MARKER), str(report)) + f"#measure-{pk}",
                priority=priority,
                recommended=recommended,
                drafts=drafts,
                shared=shared,
            )
        )
    for group in found.values():
        group.rows.sort(key=lambda r: (r.priority is None, r.priority or 0, r.partnership, r.pk))
    return list(found.values())


def _counts(round: Any) -> dict[int, tuple[int, int]]:
    """How many drafts and shared assessments each measure has (the secretariat's list)."""
    tally: Counter[tuple[int, bool]] = Counter(
        Assessment.objects.filter(round=round).values_list("measure_id", "shared").order_by()
    )
    return {m: (tally[(m, False)], tally[(m, True)]) for m, _shared in tally}


def _priorities(round: Any) -> dict[int, tuple[int | None, bool]]:
    """Each measure's place in its network's delivered compilation (the latest version), and the network's mark."""
    from ...compilation_record.data import CompilationRecord

    latest: dict[int, Any] = {}
    for version in CompilationVersion.objects.filter(compilation__round=round).order_by("compilation_id", "number"):
        latest[version.compilation_id] = version  # the last one wins
    found: dict[int, tuple[int | None, bool]] = {}
    for version in latest.values():
        for scheme in CompilationRecord.from_data(version.data).schemes:
            for entry in scheme.entries:
                if entry.measure_id is not None:
                    found[entry.measure_id] = (entry.priority, entry.recommended)
    return found
