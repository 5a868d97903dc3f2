"""National scale in the admin (issue 9): a report's change page and the measure list do not grow with the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.needs.models import DeclaredTotal, NeedsReportEvent
from lokalkomp.testing import make_measure, make_user, sign_in_with_two_factor

PAGE_QUERIES = 15


def queries(client, url):
    client.get(url)  # once before, so that the caches (content types) are filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def superuser(client):
    admin = make_user("root@cast.test", is_superuser=True, is_staff=True)
    sign_in_with_two_factor(client, admin)  # the admin asks for both
    return admin


def add_history(report, by, n):
    for _ in range(n):
        NeedsReportEvent.objects.create(report=report, actor=by, from_status="draft", to_status="draft")


def test_a_reports_admin_page_runs_the_same_queries_for_1_event_and_for_20(client, cast):
    admin = superuser(client)
    url = reverse("admin:needs_needsreport_change", args=[cast.report.pk])
    scheme = cast.report.report_schemes.select_related("scheme").first().scheme
    for declared in (scheme, None):  # a scheme's row and the sum row, each naming the report
        DeclaredTotal.objects.create(
            report=cast.report, scheme=declared, owner_amount=1, partner_amount=1, total_amount=2
        )
    add_history(cast.report, admin, 1)
    one = queries(client, url)
    add_history(cast.report, admin, 19)
    many = queries(client, url)
    assert len(one) == len(many) <= PAGE_QUERIES, "\n".join(many)


def test_the_admins_measure_list_runs_the_same_queries_for_1_measure_and_for_30(client, cast):
    superuser(client)
    url = reverse("admin:needs_measure_changelist")
    make_measure(cast.report, 1, 2)
    one = queries(client, url)
    for n in range(29):
        make_measure(cast.report, n, n)
    many = queries(client, url)
    assert len(one) == len(many) <= PAGE_QUERIES
    listing = [q for q in many if q.startswith('SELECT "needs_measure"."id"')]
    assert listing and all('ORDER BY "needs_measure"."id" DESC' in q for q in listing), "\n".join(
        many
    )  # the primary key's index, no sort of every row
