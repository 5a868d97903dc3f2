"""One measure's assessment form: save (a button, or htmx autosave of the whole form), share with the forum.

Every save compares the version the form was loaded with (compare-and-set on `Assessment.version`):
a save from a stale form (the same person in another tab) is refused with 409 and shows what is
stored now, with «Keep mine». Sharing is final: a shared assessment is read-only for everyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.needs.models import Measure

from ... import criteria as round_criteria
from ...access.assessment import AssessmentPage, declaration_gate, get_assessment_page_for, get_assessment_round_for
from ...models import Assessment, Criterion
from ...models.assessment import SharedAssessment, StaleAssessment
from .forms import AssessmentForm

PARTIAL = "allocation/assess_form.html#status"


def _load(request: HttpRequest, office: str, year: int, pk: int) -> tuple[Any, AssessmentPage, list[Criterion]] | str:
    """The round, the page and the criteria; or where to go first (the declaration)."""
    round = get_assessment_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.path):
        return elsewhere
    page = get_assessment_page_for(request.user, round, pk)
    return round, page, round_criteria.for_scheme(page.measure.scheme, round)


@require_GET
@login_required
def assess(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    loaded = _load(request, office, year, pk)
    if isinstance(loaded, str):
        return redirect(loaded)
    round, page, criteria = loaded
    form = AssessmentForm(initial=initial(page.mine, criteria), criteria=criteria)
    return _render(request, round, page, criteria, form)


@require_POST
@login_required
def save(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """Save the whole form. With htmx (autosave) the answer is the status line and the new version."""
    loaded = _load(request, office, year, pk)
    if isinstance(loaded, str):
        return redirect(loaded)
    round, page, criteria = loaded
    form = AssessmentForm(request.POST, criteria=criteria)
    written = _write(request, round, page, criteria, form)
    if isinstance(written, HttpResponse):
        return written
    assessment, _changed = written
    if request.headers.get("HX-Request"):
        return render(request, PARTIAL, {"saved": True, "assessment": assessment})
    messages.success(request, _("Saved."))
    return redirect("allocation:assess", round.office.slug, round.year, page.measure.pk)


@require_POST
@login_required
def share(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """Save the form, then share it with the forum if it is complete. Final: no change or withdrawal after."""
    loaded = _load(request, office, year, pk)
    if isinstance(loaded, str):
        return redirect(loaded)
    round, page, criteria = loaded
    form = AssessmentForm(request.POST, criteria=criteria)
    written = _write(request, round, page, criteria, form)
    if isinstance(written, HttpResponse):
        return written
    assessment = Assessment.objects.prefetch_related("scores").select_related("round").get(pk=written[0].pk)
    gaps = assessment.missing(criteria)
    if gaps:
        page.mine = assessment
        form = AssessmentForm(initial=initial(assessment, criteria), criteria=criteria)
        problem = _("Saved, but not shared: answer %(gaps)s first.") % {"gaps": ", ".join(gaps)}
        return _render(request, round, page, criteria, form, problem=problem, status=422)
    try:
        assessment.share(by=request.user)
    except StaleAssessment:  # shared or changed in another tab in between
        messages.warning(request, _("The assessment was changed in another window; look at it again."))
        return redirect("allocation:assess", round.office.slug, round.year, page.measure.pk)
    messages.success(request, _("Your assessment is shared with the forum."))
    return redirect("allocation:assess", round.office.slug, round.year, page.measure.pk)


def _write(
    request: HttpRequest, round: Any, page: AssessmentPage, criteria: list[Criterion], form: AssessmentForm
) -> tuple[Assessment, bool] | HttpResponse:
    """Assessment.write with the form's values; or the answer that says why not (422, 409, 423)."""
    htmx = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        if htmx:
            return render(request, PARTIAL, {"form": form, "invalid": True}, status=422)
        return _render(request, round, page, criteria, form, status=422)
    data = form.cleaned_data
    version = data["version"]
    overwrite = request.POST.get("overwrite", "")
    for _attempt in range(2):
        try:
            return Assessment.write(
                measure=page.measure,
                assessor=request.user,
                version=version,
                recommendation=data["recommendation"],
                comment=data["comment"],
                scores=form.scores(),
            )
        except SharedAssessment:
            text = _("Your assessment is shared with the forum and is final: it cannot be changed.")
            if htmx:
                return render(request, PARTIAL, {"locked": text}, status=423)
            messages.error(request, text)
            return redirect("allocation:assess", round.office.slug, round.year, page.measure.pk)
        except StaleAssessment as stale:
            if overwrite == str(stale.current.version):  # «Keep mine»: over the version the person was shown
                version, overwrite = stale.current.version, ""
                continue
            return _conflict(request, round, page, criteria, form, stale.current, htmx)
    raise AssertionError("unreachable")  # pragma: no cover


def _conflict(
    request: HttpRequest,
    round: Any,
    page: AssessmentPage,
    criteria: list[Criterion],
    form: AssessmentForm,
    current: Assessment,
    htmx: bool,
) -> HttpResponse:
    """409: someone (the same person, in another tab) saved since the form was loaded; show what is stored."""
    theirs = stored_answers(Assessment.objects.prefetch_related("scores").get(pk=current.pk), criteria)
    if htmx:
        context = {"conflict": theirs, "current": current, "round": round, "measure": page.measure}
        return render(request, PARTIAL, context, status=409)
    return _render(request, round, page, criteria, form, status=409, conflict=theirs, current=current)


def initial(assessment: Assessment | None, criteria: list[Criterion]) -> dict[str, Any]:
    """The form's values from the stored assessment (version 0: not started)."""
    if assessment is None:
        return {"version": 0}
    values: dict[str, Any] = {
        "version": assessment.version,
        "recommendation": assessment.recommendation,
        "comment": assessment.comment,
    }
    scores = assessment.scores_by_criterion()
    for criterion in criteria:
        score = scores.get(criterion.pk)
        values[f"score-{criterion.pk}"] = score.score if score else ""
        values[f"comment-{criterion.pk}"] = score.comment if score else ""
    return values


def stored_answers(assessment: Assessment, criteria: list[Criterion]) -> dict[str, Any]:
    """An assessment as the page shows it: the recommendation, the comment and each criterion's score."""
    scores = assessment.scores_by_criterion()
    labels = dict(Assessment.Recommendation.choices)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "score": score.get_score_display() if score and score.score else "",
                "code": score.score if score else "",
                "comment": score.comment if score else "",
            }
        )
    return {
        "assessment": assessment,
        "recommendation": labels.get(assessment.recommendation, ""),
        "comment": assessment.comment,
        "rows": rows,
    }


def _render(
    request: HttpRequest,
    round: Any,
    page: AssessmentPage,
    criteria: list[Criterion],
    form: AssessmentForm,
    *,
    status: int = 200,
    problem: str = "",
    **extra: Any,
) -> HttpResponse:
    measure = page.measure
    context = {
        "round": round,
        "measure": measure,
        "report": measure.report,
        "texts": narratives(measure),
        "mine": page.mine,
        "mine_shown": stored_answers(page.mine, criteria) if page.mine and page.mine.shared else None,
        "others": [stored_answers(other, criteria) for other in page.others],
        "form": form,
        "items": [(c, form[f"score-{c.pk}"], form[f"comment-{c.pk}"]) for c in criteria],
        "problem": problem,
        **extra,
    }
    return render(request, "allocation/assess_form.html", context, status=status)


def narratives(measure: Measure) -> list[tuple[str, str]]:
    """The measure's texts with the form's questions, as the report shows them (only those answered)."""
    return [(Measure.question(name), text) for name in Measure.NARRATIVE_FIELDS if (text := getattr(measure, name))]
