"""The criteria a round's measures are assessed against, read from the scheme versions' data.

The five allocation criteria are rows of each scheme version (`Criterion`), and so are Trøndelag's
four central questions; a round asks the questions only when its `AssessmentSetup` says so. A scheme
version without rows (a new `Scheme.new_version`, or a test database that was flushed) gets the
previous version's, else the frozen data of migration 0002, the first time it is asked.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .models import AssessmentSetup, Criterion

_FROZEN = importlib.import_module("lokalkomp.allocation.migrations.0002_criteria")


def ensure_for_scheme(scheme: Any) -> None:
    """Give a scheme version without criteria the previous version's, or the frozen defaults."""
    if Criterion.objects.filter(scheme=scheme).exists():
        return
    previous = (
        Criterion.objects.filter(scheme__code=scheme.code, scheme__valid_from__lt=scheme.valid_from)
        .order_by("-scheme__valid_from")
        .values_list("scheme_id", flat=True)
        .first()
    )
    with transaction.atomic():
        if previous:
            rows = [
                Criterion(scheme=scheme, set=c.set, number=c.number, short=c.short, text=c.text)
                for c in Criterion.objects.filter(scheme_id=previous)
            ]
        else:
            rows = [
                Criterion(scheme=scheme, set=set_name, number=number, short=short, text=text)
                for set_name, items in (
                    (Criterion.Set.CRITERIA, _FROZEN.CRITERIA),
                    (Criterion.Set.CENTRAL_QUESTIONS, _FROZEN.CENTRAL_QUESTIONS),
                )
                for number, (short, text) in enumerate(items, start=1)
            ]
        Criterion.objects.bulk_create(rows, ignore_conflicts=True)


def setup_of(round: Any) -> AssessmentSetup | None:
    """The round's setup, or None (no query when the round was loaded with select_related)."""
    return getattr(round, "assessment_setup", None)


def asks_central_questions(round: Any) -> bool:
    setup = setup_of(round)
    return bool(setup and setup.central_questions)


def sets_of(round: Any) -> list[str]:
    sets = [Criterion.Set.CRITERIA.value]
    if asks_central_questions(round):
        sets.append(Criterion.Set.CENTRAL_QUESTIONS.value)
    return sets


def order(criterion: Criterion) -> tuple[int, int]:
    """The criteria first, then the central questions, each by number."""
    return (0 if criterion.set == Criterion.Set.CRITERIA else 1, criterion.number)


def _rows(scheme_ids: Iterable[int], sets: list[str], schemes: dict[int, Any]) -> list[Criterion]:
    """The criteria of the schemes (one query), seeding any scheme that has none first."""
    wanted = set(scheme_ids)
    rows = list(Criterion.objects.filter(scheme_id__in=wanted, set__in=sets).order_by("pk"))
    missing = wanted - {c.scheme_id for c in rows if c.set == Criterion.Set.CRITERIA}
    if missing:
        for pk in missing:
            ensure_for_scheme(schemes[pk])
        rows = list(Criterion.objects.filter(scheme_id__in=wanted, set__in=sets).order_by("pk"))
    return sorted(rows, key=order)


def for_scheme(scheme: Any, round: Any) -> list[Criterion]:
    """The criteria one measure is assessed against: its scheme's, with the questions if the round asks them."""
    return _rows([scheme.pk], sets_of(round), {scheme.pk: scheme})


def for_round(round: Any) -> list[Criterion]:
    """The criteria of every scheme of the round (and the central questions where the round asks them).

    Schemes share the five criteria, so they are listed once, by set and number, with the first
    scheme's wording; two queries once the criteria exist.
    """
    schemes = {scheme.pk: scheme for scheme in round.schemes.all()}
    ordered = sorted(schemes.values(), key=lambda scheme: (scheme.valid_from, scheme.pk))
    rank = {scheme.pk: n for n, scheme in enumerate(ordered)}
    rows = sorted(_rows(schemes, sets_of(round), schemes), key=lambda c: (*order(c), rank[c.scheme_id]))
    seen: dict[tuple[str, int], Criterion] = {}
    for criterion in rows:
        seen.setdefault((criterion.set, criterion.number), criterion)
    return list(seen.values())
