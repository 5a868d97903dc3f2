"""Earlier years' allocations (historikk), imported from a spreadsheet in the shape of seed 004's table.

An import is an event: who, when, which file, how many rows and their sum (`HistoryImport`). Its rows
(`HistoryLine`) are records: written once, in one transaction, never changed. A row is either one measure
with its owner and UH amounts, or a sum the source gives without its measures (`unsplit_amount`): then the
owner/UH split is not known and the row says so, rather than inventing a split.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryImport(models.Model):
    """One accepted file: the event of the import."""

    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="history_imports", verbose_name=_("office")
    )
    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="history_imports", verbose_name=_("network")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"))
    total = models.PositiveBigIntegerField(_("total (kr)"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class HistoryLineQuerySet(models.QuerySet["HistoryLine"]):
    def of_office(self, office: Any) -> HistoryLineQuerySet:
        return self.filter(network__office=office)

    def total(self) -> int:
        sums = self.aggregate(
            o=Sum("owner_amount", default=0), p=Sum("partner_amount", default=0), u=Sum("unsplit_amount", default=0)
        )
        return int(sums["o"] + sums["p"] + sums["u"])


class HistoryLine(models.Model):
    """One row of an imported file: a measure (owner + UH amounts), or a sum without its measures."""

    source = models.ForeignKey(HistoryImport, on_delete=models.PROTECT, related_name="lines", verbose_name=_("import"))
    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="history_lines", verbose_name=_("network")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Blank where the source does not say which scheme (a year's total).
    scheme = models.ForeignKey(
        "schemes.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="history_lines",
        verbose_name=_("scheme"),
    )
    position = models.PositiveIntegerField(_("row"))
    owner_name = models.CharField(_("owner"), max_length=300, blank=True)
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), null=True, blank=True)
    partner_name = models.CharField(_("UH"), max_length=300, blank=True)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), null=True, blank=True)
    # A sum the source gives without a list of measures: its owner/UH split is not known.
    unsplit_amount = models.PositiveBigIntegerField(_("sum without a list of measures (kr)"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)

    objects = HistoryLineQuerySet.as_manager()

    class Meta:
        ordering = ["year", "source", "position"]
        verbose_name = _("history line")
        verbose_name_plural = _("history lines")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unsplit_amount__isnull=True, owner_amount__isnull=False, partner_amount__isnull=False)
                    | Q(unsplit_amount__isnull=False, owner_amount__isnull=True, partner_amount__isnull=True)
                ),
                name="history_line_is_a_measure_or_a_sum",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="history_line_year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.description}: {self.amount}"

    @property
    def is_sum_only(self) -> bool:
        return self.unsplit_amount is not None

    @property
    def amount(self) -> int:
        return (self.owner_amount or 0) + (self.partner_amount or 0) + (self.unsplit_amount or 0)
