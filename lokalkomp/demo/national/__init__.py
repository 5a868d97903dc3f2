"""National-scale generated data: ten offices, ten years, about 150 000 measures (issue 5).

Built for the benchmarks, not for people to read: names of places and institutions are
real, everything else is made up. One `random.Random(seed)` drives every choice in a
fixed order (offices by code, municipalities by number), so the same seed, scale and
years give the same organisations, partnerships, measure names and amounts. Rows go in
with `bulk_create` in batches; every person shares one password hash, computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lokalkomp.accounts.models import Membership, User
from lokalkomp.directory.models import County, Forum, ForumMember, Municipality, Network, Office, Organisation, Unit
from lokalkomp.needs.models import (
    Contact,
    Continuation,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    NeedsReportVersion,
    NeedsReportVersionParty,
    NeedsReportVersionTotal,
    Participant,
    Partnership,
    ReportPdf,
    UnionParticipant,
)
from lokalkomp.schemes.models import Milestone, Round, RoundScheme

from .builder import ADMIN_EMAIL, PASSWORD, NationalData

__all__ = ["ADMIN_EMAIL", "PASSWORD", "clear", "counts", "fingerprint", "generate", "is_empty"]


def current_year() -> int:
    """The round whose needs reports are written now: next year's until its deadline (15 December) has passed."""
    today = timezone.localdate()
    return today.year + 1 if (today.month, today.day) <= (12, 15) else today.year + 2


# The tables generate_national fills, children first (the order SQLite's deletes need).
GENERATED: Sequence[type[models.Model]] = (
    UnionParticipant,
    NeedsReportEvent,
    Continuation,
    Measure,
    NeedsReportScheme,
    NeedsReport,
    Contact,
    Participant,
    Partnership,
    Milestone,
    RoundScheme,
    Round,
    Membership,
    ForumMember,
    Forum,
    Network,
    Unit,
    Organisation,
    Municipality,
    County,
    Office,
    User,
)


def is_empty() -> bool:
    return not (Office.objects.exists() or User.objects.exists() or NeedsReport.objects.exists())


def clear() -> None:
    """Empty every table the generator fills (and the rows that point at them); the schemes stay."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in GENERATED)
        with connection.cursor() as cursor:
            # Inside a transaction (a test), deferred foreign-key checks must fire before TRUNCATE may run.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    with transaction.atomic():
        Measure.objects.update(continued_from=None)
        # Versions are records that refuse a delete through the ORM; generated data may go whole.
        ReportPdf.objects.all().delete()
        totals = NeedsReportVersionTotal.objects.all()  # a version's totals are part of its record
        totals._raw_delete(totals.db)
        parties = NeedsReportVersionParty.objects.all()  # and so are its parties
        parties._raw_delete(parties.db)
        versions = NeedsReportVersion.objects.all()
        versions._raw_delete(versions.db)
        for model in GENERATED:
            model._default_manager.all().delete()


def generate(
    *,
    years: int = 10,
    seed: int = 1,
    scale: float = 1.0,
    last_year: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Build the national data set in one transaction; returns the number of rows per kind."""
    builder = NationalData(years=years, seed=seed, scale=scale, last_year=last_year or current_year(), log=log)
    with transaction.atomic():
        builder.build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics for the benchmarks that follow
    builder.step("done")
    return counts()


def counts() -> dict[str, int]:
    """Rows per generated table, parents first."""
    models_ = [*reversed(GENERATED), Network.owners.through]
    return {str(m._meta.model_name): m._default_manager.count() for m in models_}


def fingerprint() -> list[tuple[Any, ...]]:
    """What must be equal for equal seeds: every measure's report, position, name and amounts."""
    return list(
        Measure.objects.order_by("report__round__year", "report__partnership_id", "position").values_list(
            "report__partnership__name", "report__round__year", "position", "name", "owner_amount", "partner_amount"
        )
    )
