"""Deadline-day speed of autosave (issue 9): a fixed, small number of queries, and the same answer as a reload.

The autosave no longer reads the report a second time after the save: the value just saved is laid
over the report already loaded, and the checklist and the totals are computed from that.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.needs.access import with_relations
from lokalkomp.needs.checks import problems
from lokalkomp.needs.models import Measure
from lokalkomp.needs.views.writing import steps_for
from lokalkomp.testing import make_measure, make_report, make_round

# As in production (sessions read from the shared cache): the user with its two-factor state (1), the
# report with what the checklist reads (6: report with "is a contact" and "has union participants",
# milestones, schemes, caps, participants, measures) and the save (3: lock-and-version of the draft,
# the compare-and-set UPDATE, the FieldEdit). Was 25, then 14 (16 with database sessions).
AUTOSAVE_QUERIES = 10


@pytest.fixture(autouse=True)
def sessions_from_the_cache(settings):
    """Production's session engine with Redis (settings.py); the test cache stands in for Redis."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def autosave(client, report, key, value, base):
    data = {"key": key, key: value, f"base:{key}": base}
    return client.post(reverse("needs:save", args=[report.pk]), data, headers={"HX-Request": "true"})


def queries_of(client, report, key, value, base):
    """The queries of one autosave, without the SAVEPOINTs the test's own transaction adds."""
    with CaptureQueriesContext(connection) as captured:
        response = autosave(client, report, key, value, base)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def step_counts(html):
    """{section: problems} as the autosave's out-of-band step states show them."""
    found = {}
    for code, inner in re.findall(r'id="step-state-([a-z]+)"[^>]*>(.*?)</span>', html, flags=re.S):
        number = re.search(r"\d+", inner)
        found[code] = int(number[0]) if number else 0
    return found


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    return client


@pytest.mark.parametrize("measures", [1, 25])
@pytest.mark.parametrize(
    ("field", "value", "base"), [("description", "Ny tekst", ""), ("owner_amount", "2 000", "1 000")]
)
def test_an_autosave_reads_the_report_once_in_a_few_queries_however_many_measures_it_has(
    owner, cast, measures, field, value, base
):
    made = [make_measure(cast.report, 1_000, 500, name=f"Tiltak {n}") for n in range(measures)]
    sql = queries_of(owner, cast.report, f"measure:{made[0].pk}:{field}", value, base)
    assert len(sql) == AUTOSAVE_QUERIES, "\n".join(sql)
    assert sum(1 for q in sql if q.startswith('SELECT "needs_needsreport"."id"')) == 1  # no reload after the save
    assert sum(1 for q in sql if q.startswith('SELECT "needs_measure"."id"')) == 1  # whole measures, read once


def test_the_autosave_answers_with_the_checklist_and_totals_of_the_report_as_stored(owner, cast):
    measure = make_measure(cast.report, 0, 0, name="")  # no name and no amounts: two problems
    before = step_counts(
        autosave(owner, cast.report, f"measure:{measure.pk}:target_group", "Alle", "").content.decode()
    )
    response = autosave(owner, cast.report, f"measure:{measure.pk}:name", "Lesing i barnehagen", "")
    after = step_counts(response.content.decode())
    assert after["measures"] == before["measures"] - 1

    response = autosave(owner, cast.report, f"measure:{measure.pk}:owner_amount", "120 000", "0")
    stored = with_relations(light=True).get(pk=cast.report.pk)
    expected = {step["code"]: step["problems"] for step in steps_for(problems(stored))}
    assert step_counts(response.content.decode()) == expected
    assert expected["measures"] == after["measures"] - 1  # the amount's problem is gone too
    assert 'data-label="Totalt">kr\u00a0120\u00a0000</td>' in response.content.decode()  # the totals, as stored
    assert Measure.objects.get(pk=measure.pk).owner_amount == 120_000


def test_an_autosave_that_moves_a_measure_to_another_scheme_totals_it_under_that_scheme(client, cast):
    report = make_report(make_round(cast.office, year=2024), cast.report.partnership)  # 2024 has three schemes
    client.force_login(cast.owner_contact)
    first, second = [rs.scheme for rs in report.report_schemes.select_related("scheme").order_by("pk")][:2]
    measure = make_measure(report, 1_000, 500, name="Lesing", scheme=first)
    response = autosave(client, report, f"measure:{measure.pk}:scheme", str(second.pk), str(first.pk))
    assert response.status_code == 200
    totals = with_relations(light=True).get(pk=report.pk).totals_by_scheme()
    assert totals[second].total == 1_500 and totals[first].total == 0
    measure.refresh_from_db()
    assert measure.scheme_id == second.pk


def test_an_autosave_stays_within_the_deadline_day_budget_of_ten_queries(owner, cast, django_assert_max_num_queries):
    measure = make_measure(cast.report, 1_000, 500, name="Lesing")
    key = f"measure:{measure.pk}:owner_amount"
    autosave(owner, cast.report, key, "1 500", "1 000")  # the session is in the cache from here on
    # + 2: inside the test's transaction the save's own is a SAVEPOINT and its RELEASE (BEGIN/COMMIT, no query)
    with django_assert_max_num_queries(AUTOSAVE_QUERIES + 2) as captured:
        response = autosave(owner, cast.report, key, "2 500", "1 500")
    assert response.status_code == 200
    assert len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]) <= AUTOSAVE_QUERIES


def test_an_autosave_reads_the_measures_without_joins_and_takes_their_schemes_from_the_report(owner, cast):
    made = [make_measure(cast.report, 1_000, 500, name=f"Tiltak {n}") for n in range(3)]
    sql = queries_of(owner, cast.report, f"measure:{made[0].pk}:description", "Ny tekst", "")
    (measures,) = [q for q in sql if q.startswith('SELECT "needs_measure"."id"')]
    # The model orders by "report", which would order by the report's round and partnership through joins.
    assert " JOIN " not in measures and 'ORDER BY "needs_measure"."position"' in measures
    assert not [q for q in sql if q.startswith('SELECT "schemes_scheme"."id"')]  # the report's schemes serve


def test_partners_2_and_a_scheme_outside_the_report_take_one_query_each_however_many_measures_have_them(owner, cast):
    from lokalkomp.directory.models import Organisation
    from lokalkomp.schemes.models import Scheme
    from lokalkomp.testing import make_organisation

    partner = make_organisation(Organisation.Kind.UNIVERSITY, name="NTNU")
    outside = Scheme.objects.exclude(pk__in=cast.report.report_schemes.values("scheme")).first()
    assert outside is not None  # the seeded schemes of the years before the merged one
    made = [
        make_measure(cast.report, 1_000, 500, name=f"Tiltak {n}", second_partner=partner, second_partner_amount=100)
        for n in range(4)
    ]
    Measure.objects.filter(pk__in=[m.pk for m in made[:2]]).update(scheme=outside)  # left on a scheme it dropped
    sql = queries_of(owner, cast.report, f"measure:{made[-1].pk}:description", "Ny tekst", "")
    assert len(sql) == AUTOSAVE_QUERIES + 2, "\n".join(sql)  # one for the partners 2, one for the other scheme
    response = autosave(owner, cast.report, f"measure:{made[-1].pk}:target_group", "Alle", "")
    stored = with_relations(light=True).get(pk=cast.report.pk)
    expected = {step["code"]: step["problems"] for step in steps_for(problems(stored))}
    assert step_counts(response.content.decode()) == expected  # the same checklist as a full reload
