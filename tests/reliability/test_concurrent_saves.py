"""Fifty people saving at the same moment: compare-and-set refuses all but one, and never loses an update."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from lokalkomp.accounts.models import User
from lokalkomp.needs.autosave import MEASURE_TEXTS, SaveResult, save_field
from lokalkomp.needs.models import FieldEdit, Measure, NeedsReport
from lokalkomp.testing import make_measure, make_report, make_round, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 50


def _in_threads(work: Callable[[int], SaveResult]) -> list[SaveResult]:
    """Run work(i) in THREADS threads released together, each on its own connection, closed at the end."""
    results: list[Any] = [None] * THREADS
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier, so the saves really collide
            start.wait(timeout=60)
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001  (re-raised in the main thread below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return results


@pytest.fixture
def report() -> NeedsReport:
    return make_report(make_round(year=2027))


def test_fifty_saves_of_one_field_with_the_same_base_let_exactly_one_win(report: NeedsReport) -> None:
    measure = make_measure(report, name="Felles tiltak", description="Utgangspunkt")
    key = f"measure:{measure.pk}:description"
    people = [make_user() for _ in range(THREADS)]

    def save(index: int) -> SaveResult:
        mine = NeedsReport.objects.get(pk=report.pk)
        return save_field(
            mine, key, f"Tekst fra person {index}", "Utgangspunkt", by=User.objects.get(pk=people[index].pk)
        )

    results = _in_threads(save)

    saved = [r for r in results if r.status == "saved"]
    refused = [r for r in results if r.status == "conflict"]
    assert len(saved) == 1 and len(refused) == THREADS - 1
    winner = saved[0].shown
    measure.refresh_from_db()
    assert measure.description == winner  # no lost update: the stored text is the one that was acknowledged
    for result in refused:  # every refused save is told why, and what the field holds now
        assert result.theirs == winner and result.error and result.theirs_by
    assert FieldEdit.objects.filter(report=report, key=key).count() == 1
    assert NeedsReport.objects.get(pk=report.pk).version == report.version + 1


def test_fifty_saves_of_fifty_different_fields_all_succeed_and_are_all_stored(report: NeedsReport) -> None:
    measures = [make_measure(report, name=f"Tiltak {n}") for n in range(-(-THREADS // len(MEASURE_TEXTS)))]
    keys = [(m, field) for m in measures for field in MEASURE_TEXTS][:THREADS]
    user = make_user()

    def save(index: int) -> SaveResult:
        measure, field = keys[index]
        base = str(Measure.objects.values_list(field, flat=True).get(pk=measure.pk))
        mine = NeedsReport.objects.get(pk=report.pk)
        return save_field(mine, f"measure:{measure.pk}:{field}", f"Verdi {index}", base, by=user)

    results = _in_threads(save)

    assert [r.status for r in results] == ["saved"] * THREADS
    for index, (measure, field) in enumerate(keys):
        assert Measure.objects.values_list(field, flat=True).get(pk=measure.pk) == f"Verdi {index}"
    assert FieldEdit.objects.filter(report=report).count() == THREADS
    assert NeedsReport.objects.get(pk=report.pk).version == report.version + THREADS
