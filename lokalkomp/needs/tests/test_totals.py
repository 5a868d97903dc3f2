import pytest
from django.db import IntegrityError, transaction

from lokalkomp.needs.models import Measure, Totals
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import make_measure, make_report, make_round


@pytest.mark.django_db
def test_totals_are_summed_per_scheme_and_in_all():
    round = make_round(year=2024)
    report = make_report(round)
    rekomp, dekomp = Scheme.objects.get(code="rekomp"), Scheme.objects.get(code="dekomp")
    make_measure(report, 50_000, 174_000, scheme=dekomp)
    make_measure(report, 70_000, 0, scheme=dekomp)
    make_measure(report, 1, 2, scheme=rekomp)
    totals = report.totals_by_scheme()
    assert totals[dekomp] == Totals(120_000, 174_000)
    assert totals[dekomp].total == 294_000
    assert totals[rekomp].total == 3
    assert report.grand_total() == Totals(120_001, 174_002)
    assert Measure.objects.filter(report=report).totals() == Totals(120_001, 174_002)


@pytest.mark.django_db
def test_a_covered_scheme_without_measures_shows_zero():
    report = make_report(make_round(year=2024))
    assert all(t == Totals(0, 0) for t in report.totals_by_scheme().values())
    assert len(report.totals_by_scheme()) == 3


@pytest.mark.django_db
def test_the_database_refuses_negative_amounts():
    report = make_report(make_round(year=2027))
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_measure(report, -1, 0)


def test_money_is_integer_kroner():
    assert Measure._meta.get_field("owner_amount").get_internal_type() == "PositiveBigIntegerField"
    assert not any(
        f.get_internal_type() in {"FloatField", "DecimalField"}
        for f in Measure._meta.get_fields()
        if hasattr(f, "get_internal_type")
    )
