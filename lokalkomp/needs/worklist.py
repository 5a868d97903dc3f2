"""The Statsforvalter's work list of a round: status counts, partnerships without a report, every report.

*Expected* this round: a partnership of the round's office that had a needs report (of any status) in
the office's round of the year before, or that has a report in this round. A partnership that is
expected and has no report here is *not started*; it is listed under «Partnerships without a report»,
with a reminder to send. A new partnership that has never reported is not expected: nothing says it
will report, and it is counted once it starts a draft.

A report of the round is in exactly one status, so the counts add up to the round's reports:
*draft*; *sent back* (a draft that was submitted and opened again by the network or the Statsforvalter,
`NeedsReportQuerySet.sent_back`; a late draft opened after the deadline is still a draft); *submitted*;
*compiled* (submitted, and its measures are in a delivered network compilation: the allocation app says
which, through `panels.compiled_report_ids`; the count is hidden until an app registers there).

The page reads a fixed number of queries whatever the size of the round: one query for the counts,
one for the partnerships without a report, one for the reminders sent, and a count and one page of
reports with their totals per scheme summed in the database: a submitted report's as it submitted
them (its latest version's), a draft's from its measures now (`NeedsReportQuerySet.with_totals`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Network
from lokalkomp.paging import EstimatedCountPaginator
from lokalkomp.schemes.models import Round, RoundScheme, Scheme

from . import panels
from .models import Contact, NeedsReport, NeedsReportScheme, NeedsReportVersion, Partnership, Totals, sent_back_q
from .panels import REPORTS_PER_PAGE

MISSING_PER_PAGE = 25
NO_NETWORK = "0"  # the network filter's value for partnerships that report to the Statsforvalter directly


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SENT_BACK = "sent_back", _("Sent back")
    SUBMITTED = "submitted", _("Submitted")
    COMPILED = "compiled", _("Compiled")


class Sort(models.TextChoices):
    NETWORK = "network", _("Network and partnership")
    PARTNERSHIP = "partnership", _("Partnership")
    STATUS = "status", _("Status")
    SUBMITTED = "submitted", _("Submitted, newest first")
    TOTAL = "total", _("Total, largest first")


ORDER: dict[str, tuple[Any, ...]] = {
    Sort.NETWORK: (F("partnership__network__name").asc(nulls_last=True), "partnership__name", "pk"),
    Sort.PARTNERSHIP: ("partnership__name", "pk"),
    Sort.STATUS: ("status", "lk_sent_back", "partnership__name", "pk"),
    Sort.SUBMITTED: (F("last_submitted").desc(nulls_last=True), "partnership__name", "pk"),
    Sort.TOTAL: ((F("owner_total") + F("partner_total")).desc(), "partnership__name", "pk"),
}


class WorklistFilter(forms.Form):
    """The list's filters, from the address (GET). A value that is not one of the choices is left out."""

    network = forms.ChoiceField(label=_("Network"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.choices)

    def __init__(self, data: Any, *, networks: list[Network], schemes: list[Scheme]) -> None:
        super().__init__(data)
        # The choices are the round's own: an id is compared as text with these, never converted («²»).
        network_choices = [("", _("All networks")), *((str(n.pk), n.name) for n in networks)]
        self.fields["network"].choices = [*network_choices, (NO_NETWORK, _("No network"))]  # type: ignore[attr-defined]
        self.fields["scheme"].choices = [("", _("All schemes")), *((str(s.pk), s.name) for s in schemes)]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        self.is_valid()
        ignored = tuple(str(self.fields[name].label) for name in self.errors)
        values = {name: "" if name in self.errors else self.cleaned_data.get(name) or "" for name in self.fields}
        return Filters(
            network=values["network"],
            scheme=int(values["scheme"]) if values["scheme"] else None,
            status=values["status"],
            sort=values["sort"] or Sort.NETWORK,
            ignored=ignored,
        )


@dataclass(frozen=True)
class Filters:
    network: str = ""  # a network's id (as text), NO_NETWORK, or "" for all
    scheme: int | None = None
    status: str = ""
    sort: str = Sort.NETWORK
    ignored: tuple[str, ...] = ()  # the labels of the filters whose value was not valid

    def params(self, **changes: Any) -> dict[str, str]:
        """The filters as the address's parameters, without those at their default."""
        values = {"network": self.network, "scheme": self.scheme or "", "status": self.status, "sort": self.sort}
        values.update(changes)
        values["sort"] = "" if values["sort"] == Sort.NETWORK else values["sort"]
        return {key: str(value) for key, value in values.items() if value}

    def query(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))


def compiled_ids(round: Round) -> set[int] | None:
    """The round's reports in a delivered network compilation; None while no app tells (allocation does)."""
    if not panels.compiled_report_ids:
        return None
    return set().union(*(provider(round) for provider in panels.compiled_report_ids))


# ── The reports ──────────────────────────────────────────────────────────────────────────


def round_reports(round: Round, filters: Filters, *, with_status: bool = True) -> QuerySet[NeedsReport]:
    """The round's reports under the network and scheme filters (and the status filter, unless told not to)."""
    reports = NeedsReport.objects.filter(round=round)
    if filters.network == NO_NETWORK:
        reports = reports.filter(partnership__network__isnull=True)
    elif filters.network:
        reports = reports.filter(partnership__network_id=int(filters.network))
    if filters.scheme:
        covers = NeedsReportScheme.objects.filter(report=OuterRef("pk"), scheme_id=filters.scheme)
        reports = reports.filter(Exists(covers))
    return reports


def status_q(status: str, compiled: set[int] | None) -> Q | None:
    """The reports in one status of the work list (see the module's docstring); None for every report."""
    submitted = Q(status=NeedsReport.Status.SUBMITTED)
    in_compilation = Q(pk__in=compiled or [])
    if status == Status.DRAFT:
        return Q(status=NeedsReport.Status.DRAFT) & ~sent_back_q()
    if status == Status.SENT_BACK:
        return sent_back_q()
    if status == Status.SUBMITTED:
        return submitted & ~in_compilation if compiled else submitted
    if status == Status.COMPILED:
        return submitted & in_compilation
    return None


def with_status(reports: QuerySet[NeedsReport], status: str, compiled: set[int] | None) -> QuerySet[NeedsReport]:
    """The reports in one status of the work list (see the module's docstring)."""
    if status == Status.NOT_STARTED or (status == Status.COMPILED and not compiled):
        return reports.none()  # not started means no report
    chosen = status_q(status, compiled)
    return reports if chosen is None else reports.filter(chosen)


def status_counts(reports: QuerySet[NeedsReport], compiled: set[int] | None) -> dict[str, int]:
    """How many of the reports are in each status, in one query."""
    counted = [Status.DRAFT, Status.SENT_BACK, Status.SUBMITTED] + ([Status.COMPILED] if compiled else [])
    counts = reports.order_by().aggregate(
        **{str(status): Count("pk", filter=status_q(status, compiled)) for status in counted}
    )
    return {Status.COMPILED: 0, **counts}


def with_scheme_totals(reports: QuerySet[NeedsReport], schemes: list[Scheme]) -> QuerySet[NeedsReport]:
    """Owner and UH totals per scheme and in all (`NeedsReportQuerySet.with_totals`: a submitted report's as
    it submitted them), whether it was sent back, and when it was last submitted."""
    last = NeedsReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values("submitted_at")[:1]
    totals = reports.with_totals([scheme.pk for scheme in schemes])  # type: ignore[attr-defined]
    return totals.with_reopening().annotate(last_submitted=Subquery(last))  # type: ignore[no-any-return]


def report_values(reports: QuerySet[NeedsReport], schemes: list[Scheme], sort: str) -> QuerySet[Any]:
    """The list's rows as plain values, in the chosen order."""
    columns = [f"{side}_{scheme.pk}" for scheme in schemes for side in ("owner", "partner")]
    rows = with_scheme_totals(reports, schemes).order_by(*ORDER.get(sort, ORDER[Sort.NETWORK]))
    return rows.values(
        "pk",
        "partnership__name",
        "partnership__network__name",
        "status",
        "lk_sent_back",
        "last_submitted",
        "owner_total",
        "partner_total",
        *columns,
    )


def status_of(row: dict[str, Any], compiled: set[int] | None) -> str:
    if row["status"] == NeedsReport.Status.SUBMITTED:
        return Status.COMPILED if compiled and row["pk"] in compiled else Status.SUBMITTED
    return Status.SENT_BACK if row["lk_sent_back"] else Status.DRAFT


@dataclass(frozen=True)
class ReportRow:
    pk: int
    url: str
    partnership: str
    network: str
    status: str
    status_label: str
    submitted: dt.datetime | None
    schemes: list[tuple[Scheme, Totals]]  # in the order of the round's schemes
    total: Totals


def report_rows(rows: Any, schemes: list[Scheme], compiled: set[int] | None) -> list[ReportRow]:
    """The rows of a page: one reverse() for the page, not one per row."""
    marker = 987654321
    before, after = reverse("needs:report", args=[marker]).split(str(marker))
    labels = dict(Status.choices)
    result = []
    for row in rows:
        status = status_of(row, compiled)
        result.append(
            ReportRow(
                pk=row["pk"],
                url=f"{before}{row['pk']}{after}",
                partnership=row["partnership__name"],
                network=row["partnership__network__name"] or "",
                status=status,
                status_label=str(labels[status]),
                submitted=row["last_submitted"],
                schemes=[(s, Totals(row[f"owner_{s.pk}"], row[f"partner_{s.pk}"])) for s in schemes],
                total=Totals(row["owner_total"], row["partner_total"]),
            )
        )
    return result


# ── Partnerships without a report ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class MissingRow:
    pk: int
    partnership: str
    network: str
    last_status: str  # the status of last year's report
    addresses: int  # contact persons with an e-mail address
    reminded: dt.date | None = None
    remind_url: str = ""


def reported_the_year_before(round: Round) -> QuerySet[Partnership]:
    """The office's partnerships with a report in its round of the year before: those expected in this round."""
    last_year = NeedsReport.objects.filter(round__office_id=round.office_id, round__year=round.year - 1)
    return Partnership.objects.filter(office_id=round.office_id, pk__in=last_year.values("partnership_id"))


def missing_partnerships(round: Round, filters: Filters) -> list[tuple[Any, ...]]:
    """Partnerships that had a report in the office's round of the year before and have none in this one.

    (pk, name, network, last year's status, contact addresses), by network and name, in one query.
    The network filter applies; the scheme filter does not (a scheme of last year may not run this year).
    """
    last_year = NeedsReport.objects.filter(round__office_id=round.office_id, round__year=round.year - 1)
    partnerships = reported_the_year_before(round).exclude(
        pk__in=NeedsReport.objects.filter(round=round).values("partnership_id")
    )
    if filters.network == NO_NETWORK:
        partnerships = partnerships.filter(network__isnull=True)
    elif filters.network:
        partnerships = partnerships.filter(network_id=int(filters.network))
    addresses = (
        Contact.objects.filter(participant__partnership=OuterRef("pk"))
        .exclude(email="")
        .order_by()
        .values("participant__partnership")
        .annotate(n=Count("email", distinct=True))
        .values("n")
    )
    return list(
        partnerships.annotate(
            lk_last_status=Subquery(last_year.filter(partnership=OuterRef("pk")).values("status")[:1]),
            lk_addresses=Coalesce(Subquery(addresses), 0),
        )
        .order_by(F("network__name").asc(nulls_last=True), "name", "pk")
        .values_list("pk", "name", "network__name", "lk_last_status", "lk_addresses")
    )


def missing_rows(round: Round, rows: list[tuple[Any, ...]]) -> list[MissingRow]:
    """A page of partnerships without a report, with when each was last reminded and where to remind it."""
    reminder = panels.partnership_reminders[0] if panels.partnership_reminders else None
    reminded = reminder.last_sent(round, [row[0] for row in rows]) if reminder and rows else {}
    labels = dict(NeedsReport.Status.choices)
    return [
        MissingRow(
            pk=pk,
            partnership=name,
            network=network or "",
            last_status=str(labels.get(status, status)),
            addresses=addresses,
            reminded=reminded.get(pk),
            remind_url=reminder.url(round, pk) if reminder else "",
        )
        for pk, name, network, status, addresses in rows
    ]


# ── The page ─────────────────────────────────────────────────────────────────────────────


@dataclass
class Worklist:
    round: Round
    form: WorklistFilter
    filters: Filters
    schemes: list[Scheme]
    counts: list[dict[str, Any]] = field(default_factory=list)
    missing: Any = None  # a page of MissingRow
    reports: Any = None  # a page of ReportRow
    total_reports: int = 0


def round_schemes(round: Round) -> list[Scheme]:
    return [rs.scheme for rs in RoundScheme.objects.filter(round=round).select_related("scheme")]


def filter_form(round: Round, data: Any) -> tuple[WorklistFilter, list[Scheme]]:
    """The filters in `data` (the request's GET) checked against the round's networks and schemes."""
    networks = list(Network.objects.filter(office_id=round.office_id).order_by("name"))
    schemes = round_schemes(round)
    return WorklistFilter(data, networks=networks, schemes=schemes), schemes


def build(round: Round, data: Any) -> Worklist:
    """The work list under the filters in `data` (the request's GET)."""
    form, schemes = filter_form(round, data)
    filters = form.filters()
    compiled = compiled_ids(round)
    scope = round_reports(round, filters)
    counts = status_counts(scope, compiled)
    missing = missing_partnerships(round, filters)
    counts[Status.NOT_STARTED] = len(missing)
    page_of_missing = EstimatedCountPaginator(missing, MISSING_PER_PAGE).get_page(data.get("mside"))
    page_of_missing.object_list = missing_rows(round, list(page_of_missing.object_list))
    rows = report_values(with_status(scope, filters.status, compiled), schemes, filters.sort)
    page = EstimatedCountPaginator(rows, REPORTS_PER_PAGE).get_page(data.get("side"))
    page.object_list = report_rows(page.object_list, schemes, compiled)
    shown = [Status.NOT_STARTED, Status.DRAFT, Status.SENT_BACK, Status.SUBMITTED]
    shown += [Status.COMPILED] if compiled is not None else []
    labels = dict(Status.choices)
    return Worklist(
        round=round,
        form=form,
        filters=filters,
        schemes=schemes,
        counts=[
            {
                "status": status,
                "label": labels[status],
                "n": counts[status],
                "query": filters.query(status=status),
                "current": filters.status == status,
            }
            for status in shown
        ],
        missing=page_of_missing,
        reports=page,
        total_reports=sum(counts[s] for s in shown if s != Status.NOT_STARTED),
    )
