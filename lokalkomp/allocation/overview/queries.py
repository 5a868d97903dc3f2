"""The overview's queries: a fixed number whatever the size of the round (see the package's docstring)."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.models import User
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.paging import EstimatedCountPaginator
from lokalkomp.schemes.models import Round, Use

from .. import conflicts, criteria
from ..models import Assessment, CompilationVersion, Criterion, CriterionScore
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

    For each disqualified assessor, their assessments of the measures of those partnerships that
    the overview shows (a subquery: the query needs no join to the reports, and it names a few
    partnerships where the measures' ids were hundreds of parameters).
    """
    shown = {row.partnership_id for row in rows}
    q = Q(pk__in=[])
    for assessor, partnerships in sorted(found.items()):
        if barred := sorted(partnerships & shown):
            q |= Q(
                assessor_id=assessor,
                measure_id__in=Measure.objects.filter(report__partnership_id__in=barred).values("pk"),
            )
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
    """Put the counted assessments' numbers on the rows (one query); return how many were left out.

    The database does the counting (`_numbers`): a row per measure for the votes and one per measure
    and criterion for the scores, each with its counts in columns, and for the secretariat a row per
    assessment left out.
    """
    visible = Assessment.objects.filter(visible_assessments_q(user, round))
    if filters.shared_only:
        visible = visible.filter(shared=True)
    labels = [criterion_label(c) for c in round_criteria]
    by_pk: dict[int, Row] = {}
    for each in rows:
        each.tallies = [Tally(label=label) for label in labels]
        if not each.disqualified:  # a disqualified viewer's rows get nothing attached, whatever a query says
            by_pk[each.pk] = each
    recommendations = dict(Recommendation.choices)
    index = {(c.set, c.number): n for n, c in enumerate(round_criteria)}
    position: dict[int, int] = {}  # criterion id → its place among the round's criteria
    scores = []
    numbers = _numbers(visible, written_by_disqualified_q(found, rows), round_criteria, secretariat)
    for line in as_read(numbers):  # unpacked by kind, without a list per line (3 600 of them)
        kind, key, text = line[:3]
        if kind == "criterion":
            if (place := index.get((text, line[3]))) is not None:
                position[key] = place
            continue
        row = by_pk.get(key)
        if row is None:
            continue
        if kind == "score":
            scores.append(line)
        elif kind == "vote":
            _kind, _measure, _text, assessments, drafts, *votes = line
            row.assessments += assessments
            row.drafts += drafts
            row.votes.update({vote: n for vote, n in zip(VOTES, votes, strict=True) if n})
        else:  # apart: its recommendation, whether it is shared, who wrote it
            shared, assessor = line[3:5]
            row.by_disqualified.append(
                ByDisqualified(names.get(assessor, ""), str(recommendations.get(text, "")), bool(shared))
            )
    for _kind, measure, _text, criterion, met, partly, not_met, _pad in scores:
        if (place := position.get(criterion)) is not None:
            tally = by_pk[measure].tallies[place]
            tally.met, tally.partly, tally.not_met = tally.met + met, tally.partly + partly, tally.not_met + not_met
    return sum(len(row.by_disqualified) for row in rows)  # only the secretariat's rows have any


VOTES = [choice.value for choice in Recommendation]


def _numbers(visible: Any, by_disqualified: Q, round_criteria: list[Criterion], secretariat: bool) -> Any:
    """The counts as one UNION of rows (kind, id, text, five numbers), the database doing the counting:

    - «vote», a row per measure: its assessments, of those not shared, and one count per recommendation;
    - «score», a row per measure and criterion: the criterion's id, how many met, partly, not met;
    - «criterion», a row per criterion of the round's sets, any scheme's: its id, set and number
      (a criterion is its set and number: the schemes share them, so the scores need no join to them);
    - «apart» (the secretariat's), a row per assessment written by someone disqualified from the
      measure: its recommendation, whether it is shared, its author.

    Some 3 600 rows for 600 measures with five criteria, where a row per score given was 8 000.
    """
    counted = visible.exclude(by_disqualified).order_by()
    text: CharField[str, str] = CharField()
    number: IntegerField[int, int] = IntegerField()
    blank, zero = Value("", output_field=text), Value(0, output_field=number)
    votes = {
        "lk_n": Count("pk"),
        "lk_drafts": Count("pk", filter=Q(shared=False)),
        **{f"lk_v{n}": Count("pk", filter=Q(recommendation=vote)) for n, vote in enumerate(VOTES)},
    }
    scores = {
        f"lk_{score}": Count("scores__id", filter=Q(scores__score=score))
        for score in (CriterionScore.Score.MET, CriterionScore.Score.PARTLY, CriterionScore.Score.NOT_MET)
    }
    parts = [
        counted.values("measure_id")
        .annotate(**votes)
        .values_list(Value("vote", output_field=text), "measure_id", blank, *votes),
        counted.filter(scores__isnull=False)
        .values("measure_id", "scores__criterion_id")
        .annotate(**scores)
        .values_list(Value("score", output_field=text), "measure_id", blank, "scores__criterion_id", *scores, zero),
        Criterion.objects.filter(set__in={c.set for c in round_criteria})
        .order_by()
        .values_list(Value("criterion", output_field=text), "pk", "set", "number", zero, zero, zero, zero),
    ]
    if secretariat:
        apart = visible.filter(by_disqualified).order_by().annotate(lk_shared=Cast("shared", number))
        parts.append(
            apart.values_list(
                Value("apart", output_field=text),
                "measure_id",
                "recommendation",
                "lk_shared",
                "assessor_id",
                zero,
                zero,
                zero,
            )
        )
    return parts[0].union(*parts[1:], all=True)


def as_read(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver gives them (one query).

    Without Django's converters: it calls one per value of a computed column (a count, a constant
    number), some 20 000 calls for the overview's numbers. Only for columns that need no converting
    (numbers, texts), which SQLite and PostgreSQL give alike.
    """
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _attach_priorities(round: Round, rows: list[Row]) -> None:
    """Each measure's place in its network's latest delivered compilation, and the network's mark (one query).

    Reads only the lists of the delivered versions (`data.schemes`) and in them only the measure, its
    place and its mark, as `CompilationRecord.from_data` reads them.
    """
    top = (
        CompilationVersion.objects.filter(compilation=OuterRef("compilation")).order_by("-number").values("number")[:1]
    )
    delivered = CompilationVersion.objects.filter(compilation__round=round, number=Subquery(top)).values_list(
        "data__schemes", flat=True
    )
    places: dict[int, tuple[int | None, bool]] = {}
    for schemes in delivered:
        for scheme in schemes if isinstance(schemes, list) else ():
            for entry in scheme.get("entries", ()):
                if entry.get("measure") is not None:
                    places[entry["measure"]] = (entry.get("priority"), bool(entry.get("recommended", True)))
    for row in rows:
        if row.pk in places:
            row.priority, row.recommended = places[row.pk]
            row.compiled = True
