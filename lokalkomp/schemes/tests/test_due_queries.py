"""«My tasks» on the start page costs the same queries for one draft as for several (needs adds the drafts)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lokalkomp.schemes.models import Milestone, Transition
from lokalkomp.testing import add_contact, make_partnership, make_report

from .helpers import body


def my_tasks(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return body(response).split('id="due-heading"', 1)[1].split("</section>", 1)[0], len(captured)


def test_an_owner_with_three_drafts_costs_the_same_queries_as_with_one_and_sees_each(client, people):
    deadline = timezone.localdate() + dt.timedelta(days=30)
    Milestone.objects.create(round=people.round, title="Frist", starts_on=deadline, governs=Transition.NEEDS_REPORTS)
    client.force_login(people.owner_contact)
    _tasks, one = my_tasks(client)
    more = [make_report(people.round, make_partnership(people.office, people.network)) for _ in range(2)]
    for report in more:
        add_contact(report, people.owner_contact)

    tasks, three = my_tasks(client)

    assert one == three
    for report in [people.report, *more]:
        assert f'href="{report.get_absolute_url()}">Send inn behovsmeldingen for {report.partnership}</a>' in tasks
    assert tasks.count(f"frist {deadline:%d.%m.%Y}") == 3


def deadline_of(people, first: int, last: int | None) -> Milestone:
    today = timezone.localdate()
    return Milestone.objects.create(
        round=people.round,
        title="Frist",
        starts_on=today + dt.timedelta(days=first),
        ends_on=today + dt.timedelta(days=last) if last is not None else None,
        governs=Transition.NEEDS_REPORTS,
    )


def test_a_deadline_of_several_days_is_due_until_its_last_day(client, people):
    milestone = deadline_of(people, -3, 2)
    client.force_login(people.owner_contact)

    tasks, _queries = my_tasks(client)

    assert people.report.get_absolute_url() in tasks
    assert f"frist {milestone.ends_on:%d.%m.%Y}" in tasks


def test_a_draft_whose_deadline_has_passed_is_not_due(client, people):
    deadline_of(people, -3, -1)
    client.force_login(people.owner_contact)

    tasks, _queries = my_tasks(client)

    assert people.report.get_absolute_url() not in tasks
    assert "Du har ingen frister nå." in tasks


def test_a_submitted_report_is_not_due(client, people):
    deadline_of(people, 10, None)
    people.report.status = "submitted"
    people.report.save(update_fields=["status"])
    client.force_login(people.owner_contact)

    tasks, _queries = my_tasks(client)

    assert people.report.get_absolute_url() not in tasks
