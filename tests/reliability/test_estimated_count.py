"""The admin's measure list takes PostgreSQL's row estimate for the whole table, and counts filtered lists exactly."""

import pytest
from django.db import connection

from lokalkomp import paging
from lokalkomp.needs.models import Measure
from lokalkomp.paging import EstimatedCountPaginator
from lokalkomp.testing import make_measure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_whole_large_table_is_counted_from_the_estimate_and_a_filtered_list_exactly(cast, monkeypatch):
    for n in range(5):
        make_measure(cast.report, n, n, name=f"Tiltak {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_measure")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'needs_measure'::regclass")
        estimate = cursor.fetchone()[0]
    assert EstimatedCountPaginator(Measure.objects.order_by("-id"), 100).count == 5  # small: counted exactly
    monkeypatch.setattr(paging, "EXACT_BELOW", 0)  # as if the table were large
    Measure.objects.filter(name="Tiltak 0").delete()  # the estimate does not see this until the next ANALYZE
    assert EstimatedCountPaginator(Measure.objects.order_by("-id"), 100).count == estimate == 5
    assert EstimatedCountPaginator(Measure.objects.filter(owner_amount__gte=3).order_by("-id"), 100).count == 2
