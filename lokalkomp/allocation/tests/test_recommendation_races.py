"""Two members set the same line from the same version at the same moment: exactly one wins, the other is told
(StaleLine) with the winner's amounts, and nothing is lost: the winner's change is one event, the loser can save
again on the new version and that is a second event.

On PostgreSQL only: SQLite has one writer at a time, so there is no race to lose there. Both threads start
from the same base; a barrier lets them go together, and the row lock in `RecommendationLine.set` makes them
take turns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from lokalkomp.testing import make_cast

from ..models import RecommendationEvent, RecommendationLine
from ..models.recommendation import StaleLine
from .recommendation_helpers import make_recommendation_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs two writers at once (PostgreSQL)"),
]


def together(works: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run the works in threads released at the same moment; each one's result or exception."""
    results: dict[str, Any] = {}
    barrier = threading.Barrier(len(works))

    def run(name: str, work: Callable[[], Any]) -> None:
        try:
            barrier.wait(10)
            results[name] = work()
        except Exception as error:  # noqa: BLE001 - the test looks at what the loser raised
            results[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name, work)) for name, work in works.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_members_setting_one_line_from_the_same_version_take_turns(attempt: int) -> None:
    r = make_recommendation_round(make_cast(year=2024), count=1, assessed=False)
    pk = r.line(r.measures[0]).pk
    amounts = {"member": (100_000, 50_000), "deputy": (80_000, 40_000)}

    def setting(who: str) -> Callable[[], Any]:
        def work() -> Any:
            line = RecommendationLine.objects.select_related("recommendation", "measure").get(pk=pk)
            return line.set(*amounts[who], base=1, by=getattr(r, who), reason=f"{who} sier")

        return work

    results = together({who: setting(who) for who in amounts})

    won = [who for who, result in results.items() if result is True]
    lost = [who for who, result in results.items() if isinstance(result, StaleLine)]
    assert len(won) == 1 and len(lost) == 1, results
    winner, loser = won[0], lost[0]
    line = RecommendationLine.objects.get(pk=pk)
    assert (line.owner_amount, line.partner_amount, line.version) == (*amounts[winner], 2)
    stale = results[loser].line
    assert (stale.owner_amount, stale.partner_amount, stale.version) == (*amounts[winner], 2)

    # The loser saw the winner's amounts and saves again on the new version: both changes are events.
    line.set(*amounts[loser], base=stale.version, by=getattr(r, loser), reason=f"{loser} sier")
    events = RecommendationEvent.objects.filter(line_id=pk, field="owner_amount").order_by("pk")
    assert [(e.old, e.new, e.actor_id) for e in events] == [
        ("", str(amounts[winner][0]), getattr(r, winner).pk),
        (str(amounts[winner][0]), str(amounts[loser][0]), getattr(r, loser).pk),
    ]
