"""Two changes to one scheme's key at the same moment take turns: the second sees the first, no error.

On PostgreSQL only: SQLite has one writer at a time, so there is no race to lose there. The first
change holds its transaction open until the second is seen waiting for a lock (pg_stat_activity);
without the round scheme's lock the second would insert the same key or count and fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Network
from lokalkomp.schemes.budgets import DistributionKey, KeyInput
from lokalkomp.schemes.models import RoundScheme
from lokalkomp.testing import make_cast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs two writers at once (PostgreSQL)"),
]


def in_thread(work: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = work()
        except Exception as error:  # noqa: BLE001 - the test reports what the second change raised
            results[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def someone_waits_for_a_lock(timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def race(first: Callable[[], Any], second: Callable[[], Any]) -> dict[str, Any]:
    """Run `first` in a transaction held open until `second` (in another thread) waits for it; their results."""
    results: dict[str, Any] = {}
    started, release = threading.Event(), threading.Event()

    def hold() -> Any:
        with transaction.atomic():
            value = first()
            started.set()
            release.wait(10)
        return value

    one = in_thread(hold, results, "first")
    assert started.wait(10), "the first change ran"
    two = in_thread(second, results, "second")
    waited = someone_waits_for_a_lock()
    release.set()
    one.join(10)
    two.join(10)
    assert waited, "the second change waited for the first"
    return results


def test_two_first_saves_of_a_key_make_one_key_and_the_second_changes_it():
    cast = make_cast()
    scheme = RoundScheme.objects.filter(round=cast.round).order_by("pk").first()

    results = race(
        lambda: DistributionKey.put(scheme, basis="staff", base_amount=100_000, by=cast.governor),
        lambda: DistributionKey.put(scheme, basis="children", base_amount=200_000, by=cast.governor),
    )

    assert not isinstance(results["second"], Exception), results["second"]
    key = DistributionKey.objects.get(round_scheme=scheme)
    assert (key.basis, key.base_amount) == ("children", 200_000)
    events = AuditEvent.objects.filter(key__startswith=f"distributionkey:{key.pk}:").order_by("pk")
    assert [e.key.rpartition(":")[2] for e in events] == ["added", "basis", "base_amount"]


def test_two_first_counts_of_a_network_make_one_count_and_the_second_changes_it():
    cast = make_cast()
    scheme = RoundScheme.objects.filter(round=cast.round).order_by("pk").first()
    key = DistributionKey.put(scheme, basis="staff", base_amount=0, by=None)
    network = Network.objects.filter(office=cast.office).order_by("pk").first()

    results = race(
        lambda: key.set_counts({network.pk: 5}, by=cast.governor),
        lambda: DistributionKey.objects.get(pk=key.pk).set_counts({network.pk: 7}, by=cast.governor),
    )

    assert results == {"first": 1, "second": 1}
    assert KeyInput.objects.get(key=key, network=network).count == 7
    events = AuditEvent.objects.filter(key__startswith="keyinput:").order_by("pk")
    assert [(e.key.rpartition(":")[2], e.old_value, e.new_value) for e in events] == [
        ("added", "", "5"),
        ("count", "5", "7"),
    ]
