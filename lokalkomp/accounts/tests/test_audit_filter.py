"""The audit page lists the changes beside the sign-ins: filterable by office, person, object and date,
paginated, with a CSV export under the same filters and the same access."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.accounts import audit
from lokalkomp.accounts.models import AuditEvent
from lokalkomp.needs.models import FieldEdit
from lokalkomp.testing import make_measure, make_office, make_report, make_round, make_user


def elsewhere():
    """A report of another office, and one of its writers."""
    office = make_office()
    return make_report(make_round(office)), make_user()


@pytest.fixture
def governor(client, cast):
    client.force_login(cast.governor)
    return client


def amount_change(report, by, old="120000", new="150000", source="form"):
    measure = make_measure(report, int(old), 0, name="Magisk måned")
    return FieldEdit.record(report, f"measure:{measure.pk}:owner_amount", old=old, new=new, by=by, source=source)


def text(response):
    return response.content.decode().replace("\u00a0", " ")


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_a_report_change_is_on_the_audit_page_old_to_new_by_whom_and_from_where(governor, cast):
    amount_change(cast.report, cast.owner_contact)

    page = text(governor.get(reverse("accounts:audit")))

    assert "Tiltak «Magisk måned»: Beløp til eier (kr)" in page
    assert "kr 120 000" in page and "kr 150 000" in page
    assert str(cast.owner_contact) in page and "skjemaet" in page
    assert str(cast.report) in page


def test_a_statsforvalter_sees_no_changes_to_another_offices_reports(governor, cast):
    report, writer = elsewhere()
    amount_change(report, writer, old="777000", new="888000")

    page = text(governor.get(reverse("accounts:audit")))

    assert "kr 888 000" not in page


def test_the_record_filters_by_person_object_office_and_date(governor, cast):
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False):
        amount_change(cast.report, cast.owner_contact, old="111000", new="222000")
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        amount_change(cast.report, cast.partner_contact, old="333000", new="444000")
        AuditEvent.record_change(
            "milestone:9:starts_on",
            object_repr="Frist for behovsmeldinger",
            old=dt.date(2026, 12, 15),
            new=dt.date(2026, 12, 16),
            by=cast.governor,
            source="form",
            office_id=cast.office.pk,
        )

    def shown(**query):
        page = text(governor.get(reverse("accounts:audit"), query))
        return {n for n in ("222 000", "444 000", "16.12.2026") if n in page}

    assert shown() == {"222 000", "444 000", "16.12.2026"}
    assert shown(person="partner_contact") == {"444 000"}
    assert shown(object="milestone") == {"16.12.2026"}
    assert shown(object=cast.report.partnership.name) == {"222 000", "444 000"}
    assert shown(office=cast.office.pk) == {"222 000", "444 000", "16.12.2026"}
    assert shown(since="10.11.2026") == {"444 000", "16.12.2026"}
    assert shown(until="2026-11-10") == {"222 000"}
    assert shown(kind="accounts") == set()


def test_an_office_the_person_does_not_govern_is_no_filter_choice(governor, cast):
    report, _writer = elsewhere()
    response = governor.get(reverse("accounts:audit"), {"office": report.round.office_id})
    assert response.status_code == 200
    assert response.context["form"].errors["office"]


def test_the_record_is_paginated_across_sign_ins_and_changes_within_15_queries(
    governor, cast, django_assert_max_num_queries
):
    for n in range(40):
        audit.record("login", user=cast.owner_contact)
        amount_change(cast.report, cast.owner_contact, old=str(n + 1), new=str(n + 2))

    with django_assert_max_num_queries(15):
        first = governor.get(reverse("accounts:audit"))
    with django_assert_max_num_queries(15):
        second = governor.get(reverse("accounts:audit"), {"side": 2, "person": "owner"})

    assert first.context["page"].paginator.count == 80 + AuditEvent.objects.exclude(kind="changed").count() - 40
    assert len(first.context["lines"]) == 50
    assert len(second.context["lines"]) == 30
    assert [line.at for line in first.context["lines"]] == sorted(
        (line.at for line in first.context["lines"]), reverse=True
    )


def test_the_csv_has_the_pages_lines_under_the_same_filters(governor, cast):
    amount_change(cast.report, cast.owner_contact, old="120000", new="150000")
    amount_change(cast.report, cast.partner_contact, old="50000", new="60000", source="admin")

    rows = csv_rows(governor.get(reverse("accounts:audit_csv"), {"person": "partner"}))

    header, *lines = rows
    assert header[:4] == ["Tidspunkt", "Hendelse", "Person", "Utført av"]
    assert len(lines) == 1
    line = dict(zip(header, lines[0], strict=True))
    assert (line["Utført av"], line["Gammel verdi"], line["Ny verdi"], line["Fra"]) == (
        str(cast.partner_contact),
        "kr 50 000",
        "kr 60 000",
        "administrasjonen",
    )


def test_the_csv_does_not_let_a_spreadsheet_run_a_typed_formula(governor, cast):
    measure = make_measure(cast.report, name="x")
    FieldEdit.record(cast.report, f"measure:{measure.pk}:name", old="x", new="=HYPERLINK(1)", by=cast.owner_contact)

    rows = csv_rows(governor.get(reverse("accounts:audit_csv")))

    assert "'=HYPERLINK(1)" in {cell for row in rows for cell in row}


@pytest.mark.parametrize("who", ["owner_contact", "coordinator", "forum_member"])
def test_the_csv_is_refused_to_those_who_may_not_read_the_record(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("accounts:audit_csv")).status_code == 403


def test_the_csv_asks_a_visitor_to_sign_in(client, db):
    response = client.get(reverse("accounts:audit_csv"))
    assert response.status_code == 302 and "login" in response.url


def test_a_superuser_exports_every_office(client, cast):
    report, writer = elsewhere()
    amount_change(report, writer, old="1000", new="2000")
    client.force_login(make_user(is_superuser=True, is_staff=True))
    rows = csv_rows(client.get(reverse("accounts:audit_csv")))
    assert any("kr 2 000" in cell for row in rows for cell in row)
