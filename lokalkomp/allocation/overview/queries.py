"""The overview's queries: a fixed number whatever the size of the round (see the package's docstring)."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.models import User
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.paging import EstimatedCountPaginator
from lokalkomp.schemes.models import Round, Use

from .. import conflicts, criteria
from ..compilation_record import CompilationRecord
from ..models import Assessment, CompilationVersion, Criterion
from ..rules.assessment import is_assessor, sees_every_assessment, visible_assessments_q
from .filters import PER_PAGE, Filters, OverviewFilter, criterion_label, page_number, select, sort
from .rows import ByDisqualified, Overview, Recommendation, Row, Tally

MARKER = 987654321  # reverse() once per page, not once per row


def build(user: Any, round: Round, params: Any) -> Overview:
    """The overview for the user, under the filters and sort of `params` (the address's GET)."""
    round_criteria = criteria.for_round(round)
    measures = list(_measures(round))
    networks = sorted(
        {
            (str(m["report__partnership__network_id"]), m["report__partnership__network__name"])
            for m in measures
            if m["report__partnership__network_id"]
        },
        key=lambda pair: (pair[1], pair[0]),
    )
    form = OverviewFilter(params, networks=networks, schemes=list(round.schemes.all()), criteria=round_criteria)
    filters = form.filters()
    names = _assessor_names(round)
    found = conflicts.disqualified_by_person(round, {user.pk, *names})
    mine = found.pop(user.pk, set())
    conflicts.remember(user, round, mine)  # visible_assessments_q reads it without asking again
    secretariat = sees_every_assessment(user, round)
    rows = _rows(user, round, measures, mine)
    left_out = _attach_numbers(user, round, rows, round_criteria, found, names, filters, secretariat=secretariat)
    _attach_priorities(round, rows)
    notes = []
    if filters.criterion and not filters.score:
        notes.append(gettext("Choose a score too: the criterion filters together with a score."))
    shown = sort(select(rows, filters, round_criteria), filters.sort)
    number = page_number(params)
    if number is None:
        notes.append(gettext("The page number in the address is not a page: the first page is shown."))
    per_page = max(len(shown), 1) if filters.all_on_one_page else PER_PAGE
    page = EstimatedCountPaginator(shown, per_page).get_page(number or 1)
    return Overview(
        round=round,
        criteria=round_criteria,
        rows=shown,
        page=page,
        form=form,
        filters=filters,
        secretariat=secretariat,
        measures=len(rows),
        disqualified=sum(r.disqualified for r in rows),
        left_out=left_out,
        labels=[criterion_label(c) for c in round_criteria],
        notes=notes,
    )


def _measures(round: Round) -> Any:
    """The measures of the round's submitted reports (one query)."""
    return (
        Measure.objects.filter(report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .order_by("report__partnership__name", "report_id", "position", "pk")
        .values(
            "pk",
            "name",
            "report_id",
            "owner_amount",
            "partner_amount",
            "purpose",
            "scheme_id",
            "scheme__short_name",
            "report__partnership_id",
            "report__partnership__name",
            "report__partnership__network_id",
            "report__partnership__network__name",
        )
    )


def _assessor_names(round: Round) -> dict[int, str]:
    """Everyone who has an assessment in the round, by id, with their name (one query)."""
    people = User.objects.filter(pk__in=Assessment.objects.filter(round=round).values("assessor_id")).order_by()
    return {
        pk: " ".join(part for part in (first, last) if part) or email
        for pk, first, last, email in people.values_list("pk", "first_name", "last_name", "email")
    }


def _rows(user: Any, round: Round, measures: list[dict[str, Any]], disqualified: set[int]) -> list[Row]:
    assessor = is_assessor(user, round)
    text_url = reverse("needs:report", args=[MARKER])
    form_url = reverse("allocation:assess", args=[round.office.slug, round.year, MARKER])
    detail_url = reverse("allocation:assessment_overview_measure", args=[round.office.slug, round.year, MARKER])
    marker = str(MARKER)
    purposes = {value: str(label) for value, label in Use.choices}
    rows = []
    for m in measures:
        barred = m["report__partnership_id"] in disqualified
        rows.append(
            Row(
                pk=m["pk"],
                name=m["name"],
                report_id=m["report_id"],
                partnership=m["report__partnership__name"],
                partnership_id=m["report__partnership_id"],
                network=m["report__partnership__network__name"] or "",
                network_id=m["report__partnership__network_id"],
                scheme=m["scheme__short_name"],
                scheme_id=m["scheme_id"],
                purpose=m["purpose"],
                owner_amount=m["owner_amount"],
                partner_amount=m["partner_amount"],
                disqualified=barred,
                text_url="" if barred else text_url.replace(marker, str(m["report_id"])) + f"#measure-{m['pk']}",
                assess_url=form_url.replace(marker, str(m["pk"])) if assessor and not barred else "",
                detail_url="" if barred else detail_url.replace(marker, str(m["pk"])),
                purpose_label=purposes.get(m["purpose"], m["purpose"]),
            )
        )
    return rows


def written_by_disqualified_q(found: dict[int, set[int]], rows: list[Row]) -> Q:
    """Assessments (on Assessment) whose author is disqualified from the measure's partnership.

    Named by measure (the rows know each measure's partnership), so the query needs no join to the
    reports: for each disqualified assessor, their assessments of those partnerships' measures.
    """
    by_partnership: dict[int, list[int]] = {}
    for row in rows:
        by_partnership.setdefault(row.partnership_id, []).append(row.pk)
    q = Q(pk__in=[])
    for assessor, partnerships in sorted(found.items()):
        measures = sorted(pk for partnership in partnerships for pk in by_partnership.get(partnership, ()))
        if measures:
            q |= Q(assessor_id=assessor, measure_id__in=measures)
    return q


def _attach_numbers(
    user: Any,
    round: Round,
    rows: list[Row],
    round_criteria: list[Criterion],
    found: dict[int, set[int]],
    names: dict[int, str],
    filters: Filters,
    *,
    secretariat: bool,
) -> int:
    """Put the counted assessments' numbers on the rows (one query); return how many were left out."""
    visible = Assessment.objects.filter(visible_assessments_q(user, round))
    if filters.shared_only:
        visible = visible.filter(shared=True)
    by_disqualified = written_by_disqualified_q(found, rows)
    counted = visible.exclude(by_disqualified)
    text: CharField[str, str] = CharField()
    number: IntegerField[int, int] = IntegerField()
    votes = (
        counted.order_by()
        .annotate(lk_shared=Cast("shared", number))  # a boolean does not unite with the criterion's number
        .values("measure_id", "recommendation", "lk_shared")
        .annotate(n=Count("pk"))
        .values_list(
            Value("vote", output_field=text),
            "measure_id",
            "recommendation",
            "lk_shared",
            Value("", output_field=text),
            "n",
        )
    )
    scores = (  # an assessment without scores gives a row with None: left out below
        counted.order_by()
        .values("measure_id", "scores__criterion__set", "scores__criterion__number", "scores__score")
        .annotate(n=Count("scores__id"))
        .values_list(
            Value("score", output_field=text),
            "measure_id",
            "scores__criterion__set",
            "scores__criterion__number",
            "scores__score",
            "n",
        )
    )
    apart = (
        visible.filter(by_disqualified)
        .order_by()
        .annotate(lk_shared=Cast("shared", number))
        .values_list(
            Value("apart", output_field=text),
            "measure_id",
            "recommendation",
            "lk_shared",
            Value("", output_field=text),
            "assessor_id",
        )
    )
    parts = [scores, apart] if secretariat else [scores]
    index = {(c.set, c.number): n for n, c in enumerate(round_criteria)}
    labels = [criterion_label(c) for c in round_criteria]
    by_pk: dict[int, Row] = {}
    for each in rows:
        each.tallies = [Tally(label=label) for label in labels]
        if not each.disqualified:  # a disqualified viewer's rows get nothing attached, whatever a query says
            by_pk[each.pk] = each
    recommendations = dict(Recommendation.choices)
    for kind, measure, key, extra, value, n in votes.union(*parts, all=True):
        row = by_pk.get(measure)
        if kind == "apart":
            if row is not None:
                label = recommendations.get(key, "")
                row.by_disqualified.append(ByDisqualified(names.get(n, ""), str(label), bool(extra)))
            continue
        if row is None:
            continue
        if kind == "vote":
            row.assessments += n
            row.drafts += 0 if extra else n
            if key:
                row.votes[key] += n
        elif extra is not None and (position := index.get((key, int(extra)))) is not None:
            row.tallies[position].add(value or "", n)
    return sum(len(row.by_disqualified) for row in rows)  # only the secretariat's rows have any


def _attach_priorities(round: Round, rows: list[Row]) -> None:
    """Each measure's place in its network's latest delivered compilation, and the network's mark (one query)."""
    top = (
        CompilationVersion.objects.filter(compilation=OuterRef("compilation")).order_by("-number").values("number")[:1]
    )
    delivered = CompilationVersion.objects.filter(compilation__round=round, number=Subquery(top)).values_list(
        "data", flat=True
    )
    places: dict[int, tuple[int | None, bool]] = {}
    for data in delivered:
        for scheme in CompilationRecord.from_data(data).schemes:
            for entry in scheme.entries:
                if entry.measure_id is not None and entry.included:
                    places[entry.measure_id] = (entry.priority, entry.recommended)
    for row in rows:
        if row.pk in places:
            row.priority, row.recommended = places[row.pk]
            row.compiled = True
