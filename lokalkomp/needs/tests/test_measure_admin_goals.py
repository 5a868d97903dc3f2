"""The measure admin shows a measure's goals but cannot change them: they are chosen on the measure's page
(needs/goals.py), which keeps a submitted report as it was and offers only the office's goals."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import LongTermPlan
from lokalkomp.testing import admin_form_data, complete, make_office, make_user, sign_in_with_two_factor


def test_the_measure_admin_cannot_give_a_submitted_measure_another_offices_goal(client, cast):
    measure = complete(cast.report)
    own = LongTermPlan.make(office=cast.office, first_year=2023, last_year=2027, by=None).add_goal("Lesing", by=None)
    measure.goals.add(own)
    with time_machine.travel(dt.datetime(cast.round.year - 1, 12, 1, 12, 0, tzinfo=dt.UTC)):
        NeedsReport.objects.get(pk=cast.report.pk).submit(by=cast.owner_contact)
    plan = LongTermPlan.make(office=make_office(), first_year=2023, last_year=2027, by=None)
    foreign = plan.add_goal("Fremmed mål", by=None)
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:needs_measure_change", args=[measure.pk])

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="goals"' not in html and "Fremmed mål" not in html and "Lesing" in html
    response = client.post(url, admin_form_data(page, goals=[str(foreign.pk)]))
    assert response.status_code == 302
    assert list(measure.goals.values_list("text", flat=True)) == ["Lesing"]
