"""The granted funds of an office (or of one network): the app's decisions and the imported history together.

Each figure is built from a fixed number of grouped queries, whatever the number of decisions or rows:
the office page asks three, the network page two. The app's decisions count from the year the app
decided; the history holds the years before (the importer refuses a year and scheme the app has decided).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lokalkomp.allocation.models import Decision, DecisionLine
from lokalkomp.schemes.models import Use

from ..models.history import HistoryLine

PARTNER = Decision.Side.PARTNER


def _ranked(table: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Figures:
    per_year: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    per_scheme: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_network: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_owner: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_partner: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    split: dict[str, int] = field(default_factory=lambda: {"owner": 0, "partner": 0, "unsplit": 0})
    purposes: list[tuple[str, int, int]] = field(default_factory=list)  # (label, measures, kroner)

    @property
    def total(self) -> int:
        return sum(self.per_year.values())

    def years(self) -> list[tuple[str, int]]:
        return [(str(year), amount) for year, amount in sorted(self.per_year.items())]

    def schemes(self) -> list[tuple[str, int]]:
        return _ranked(self.per_scheme)

    def networks(self) -> list[tuple[str, int]]:
        return _ranked(self.per_network)

    def owners(self) -> list[tuple[str, int]]:
        return _ranked(self.per_owner)

    def partners(self) -> list[tuple[str, int]]:
        return _ranked(self.per_partner)

    def split_items(self) -> list[tuple[str, int]]:
        items = [(_("Owners"), self.split["owner"]), (_("Universities and colleges"), self.split["partner"])]
        if self.split["unsplit"]:
            items.append((_("Not split (the source gives only the sum)"), self.split["unsplit"]))
        return items


def office_figures(office: Any) -> Figures:
    """Everything the office page shows, in three queries."""
    figures = Figures()
    not_stated = _("Not stated")
    lines = (
        DecisionLine.objects.filter(decision__round__office=office)
        .values_list(
            "decision__round__year",
            "scheme__short_name",
            "measure__report__partnership__network__name",
            "decision__side",
            "decision__recipient_name",
        )
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for year, scheme, network, side, recipient, amount in lines:
        _add(figures, year, scheme, network or _("Not in a network (pool)"), int(amount or 0))
        if side == PARTNER:
            figures.per_partner[recipient] += int(amount or 0)
            figures.split["partner"] += int(amount or 0)
        else:
            figures.per_owner[recipient] += int(amount or 0)
            figures.split["owner"] += int(amount or 0)
    history = HistoryLine.objects.of_office(office).values_list(
        "year",
        "scheme__short_name",
        "network__name",
        "owner_name",
        "owner_amount",
        "partner_name",
        "partner_amount",
        "unsplit_amount",
    )
    for year, scheme, network, owner, owner_amount, partner, partner_amount, unsplit in history:
        amount = (owner_amount or 0) + (partner_amount or 0) + (unsplit or 0)
        _add(figures, year, scheme or not_stated, network, amount)
        if unsplit is not None:
            figures.split["unsplit"] += unsplit
            continue
        figures.split["owner"] += owner_amount or 0
        figures.split["partner"] += partner_amount or 0
        if owner_amount:
            figures.per_owner[owner or not_stated] += owner_amount
        if partner_amount:
            figures.per_partner[partner or not_stated] += partner_amount
    figures.purposes = measures_by_purpose(office)
    return figures


def _add(figures: Figures, year: int, scheme: str, network: str, amount: int) -> None:
    figures.per_year[year] += amount
    figures.per_scheme[scheme] += amount
    figures.per_network[network] += amount


def measures_by_purpose(office: Any) -> list[tuple[str, int, int]]:
    """(purpose, decided measures, kroner), from the needs report's «what the grant is for»; one query."""
    labels = dict(Use.choices)
    rows = (
        DecisionLine.objects.filter(decision__round__office=office, measure__isnull=False)
        .values_list("measure__purpose")
        .annotate(n=Count("measure", distinct=True), s=Sum("amount"))
        .order_by()
    )
    found = [(str(labels.get(p, _("Not stated"))) if p else _("Not stated"), n, int(s or 0)) for p, n, s in rows]
    return sorted(found, key=lambda row: (-row[2], row[0]))


@dataclass
class GrantedMeasure:
    name: str
    scheme: str
    owner_amount: int | None
    partner_amount: int | None
    unsplit_amount: int | None = None
    from_history: bool = False
    owner_name: str = ""
    partner_name: str = ""

    @property
    def amount(self) -> int:
        return (self.owner_amount or 0) + (self.partner_amount or 0) + (self.unsplit_amount or 0)


@dataclass
class Year:
    year: int
    measures: list[GrantedMeasure]

    @property
    def total(self) -> int:
        return sum(m.amount for m in self.measures)

    @property
    def rows(self) -> SafeString:
        """The measures' table rows (made in Python: see rows.py)."""
        from .rows import measure_rows

        return measure_rows(self.measures)


def network_years(network: Any) -> list[Year]:
    """The network's years, each with its measures (decided in the app, or imported), in two queries."""
    measures: dict[tuple[int, int], GrantedMeasure] = {}
    lines = (
        DecisionLine.objects.filter(
            decision__round__office_id=network.office_id, measure__report__partnership__network=network
        )
        .values_list("decision__round__year", "measure_id", "measure__name", "scheme__short_name", "decision__side")
        .annotate(s=Sum("amount"))
        .order_by("decision__round__year", "measure__report_id", "measure__position", "measure_id")
    )
    for year, measure, name, scheme, side, amount in lines:
        entry = measures.setdefault((year, measure), GrantedMeasure(name, scheme, 0, 0))
        if side == PARTNER:
            entry.partner_amount = (entry.partner_amount or 0) + int(amount or 0)
        else:
            entry.owner_amount = (entry.owner_amount or 0) + int(amount or 0)
    by_year: dict[int, list[GrantedMeasure]] = defaultdict(list)
    for (year, _measure), entry in measures.items():
        by_year[year].append(entry)
    history = HistoryLine.objects.filter(network=network).values_list(
        "year", "description", "scheme__short_name", "owner_amount", "partner_amount", "unsplit_amount",
        "owner_name", "partner_name",
    )  # fmt: skip
    for year, description, scheme, owner, partner, unsplit, owner_name, partner_name in history:
        by_year[year].append(
            GrantedMeasure(
                description,
                scheme or "",
                owner,
                partner,
                unsplit,
                from_history=True,
                owner_name=owner_name,
                partner_name=partner_name,
            )  # fmt: skip
        )
    return [Year(year, by_year[year]) for year in sorted(by_year)]


@dataclass
class ReportedScheme:
    """The submitted reports on the use of funds, for one scheme: granted, used and co-financing."""

    scheme: str
    granted: int = 0
    used: int = 0
    declared: int = 0  # co-financing the owners declared
    required: int = 0  # the least the scheme asks, per report (the rule of the report's own check)
    reports: int = 0


def reported_use(office: Any) -> list[ReportedScheme]:
    """Per scheme, from the reports submitted or accepted (drafts and returned reports are not yet reported); one query.

    The required co-financing is the scheme's rule (`Scheme.required_co_financing`) on each report's granted sum
    for the scheme, as the report's own check counts it, then added up.
    """
    from lokalkomp.schemes.models import Scheme

    from ..models.funds import FundsReport, FundsReportLine

    rows = (
        FundsReportLine.objects.filter(
            report__round__office=office,
            report__status__in=[FundsReport.Status.SUBMITTED, FundsReport.Status.ACCEPTED],
        )
        .values_list("report_id", "scheme__short_name", "scheme__co_financing_percent", "scheme__co_financing_basis")
        .annotate(
            g=Sum("granted_owner") + Sum("granted_uh") + Sum("granted_partner2"),
            u=Sum("used_owner") + Sum("used_uh") + Sum("used_partner2"),
            c=Sum("cofinancing_amount"),
        )
        .order_by()
    )
    found: dict[str, ReportedScheme] = {}
    for _report, name, percent, basis, granted, used, declared in rows:
        entry = found.setdefault(name, ReportedScheme(name))
        rule = Scheme(co_financing_percent=percent, co_financing_basis=basis)
        entry.granted += int(granted or 0)
        entry.used += int(used or 0)
        entry.declared += int(declared or 0)
        entry.required += rule.required_co_financing(int(granted or 0))
        entry.reports += 1
    return sorted(found.values(), key=lambda r: r.scheme)
