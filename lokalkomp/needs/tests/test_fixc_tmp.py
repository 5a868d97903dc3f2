import pytest
from lokalkomp.needs.tests.test_autosave_speed import queries_of
from lokalkomp.testing import make_measure

def test_show(client, cast):
    client.force_login(cast.owner_contact)
    made = [make_measure(cast.report, 1_000, 500, name=f"T{n}") for n in range(3)]
    sql = queries_of(client, cast.report, f"measure:{made[0].pk}:owner_amount", "2 000", "1 000")
    print("\nN=", len(sql))
    for q in sql: print(q[:300])
    assert 0
