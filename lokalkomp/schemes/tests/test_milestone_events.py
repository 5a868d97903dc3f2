"""Every change to a round's annual cycle (a deadline above all) is on the audit record:
who, when, old → new, from where — in the cycle editor and in the admin."""

import datetime as dt

import pytest
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.schemes.models import Milestone, Round
from lokalkomp.testing import admin_form_data, make_user, sign_in_with_two_factor


@pytest.fixture
def governor(client, people):
    client.force_login(people.governor)
    return client


@pytest.fixture
def deadline(people):
    return Milestone.objects.create(
        round=people.round,
        title="Frist for behovsmeldinger",
        starts_on=dt.date(2026, 12, 15),
        governs="needs_reports",
        audience="partnerships",
    )


def url(name, round, *args):
    return reverse(f"schemes:{name}", args=[round.office.slug, round.year, *args])


def test_moving_a_deadline_records_the_old_and_the_new_date(governor, people, deadline):
    response = governor.post(
        url("edit_milestone", people.round, deadline.pk),
        {"title": deadline.title, "starts_on": "08.01.2027", "audience": "partnerships", "governs": "needs_reports"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(key=f"milestone:{deadline.pk}:starts_on")
    assert (event.old_value, event.new_value, event.actor, event.source, event.office_id) == (
        "15.12.2026",
        "08.01.2027",
        people.governor,
        "form",
        people.office.pk,
    )
    assert not AuditEvent.objects.filter(key=f"milestone:{deadline.pk}:title").exists()  # unchanged: no event


def test_adding_a_milestone_is_recorded(governor, people):
    governor.post(
        url("add_milestone", people.round),
        {"title": "Samling", "starts_on": "20.10.2026", "audience": "all", "governs": ""},
    )

    milestone = Milestone.objects.get(round=people.round, title="Samling")
    event = AuditEvent.objects.get(key=f"milestone:{milestone.pk}:added")
    assert (event.old_value, event.new_value, event.actor) == ("", "Samling, 20.10.2026", people.governor)


def test_deleting_a_milestone_is_recorded_with_what_it_was(governor, people, deadline):
    response = governor.post(url("delete_milestone", people.round, deadline.pk))

    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=deadline.pk).exists()
    event = AuditEvent.objects.get(key=f"milestone:{deadline.pk}:removed")
    assert event.old_value == "Frist for behovsmeldinger, 15.12.2026 (needs_reports)"
    assert (event.new_value, event.actor, event.source, event.office_id) == (
        "",
        people.governor,
        "form",
        people.office.pk,
    )


def test_copying_last_years_cycle_is_recorded(governor, people, deadline):
    following = Round.objects.create(office=people.office, year=people.round.year + 1)

    governor.post(url("copy_previous", following))

    event = AuditEvent.objects.get(key=f"round:{following.pk}:cycle_copied")
    assert (event.new_value, event.actor, event.source) == (
        "Frist for behovsmeldinger, 15.12.2027 (needs_reports)",
        people.governor,
        "form",
    )


def test_a_deadline_moved_in_the_admin_is_recorded_as_from_the_admin(client, people, deadline):
    admin_user = make_user(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, admin_user)
    change = reverse("admin:schemes_round_change", args=[people.round.pk])
    page = client.get(change)
    data = admin_form_data(page)
    prefix = next(k for k, v in data.items() if k.startswith("milestones-") and k.endswith("-id"))[: -len("-id")]

    response = client.post(change, {**data, f"{prefix}-starts_on": "2027-01-10"})

    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.starts_on == dt.date(2027, 1, 10)
    event = AuditEvent.objects.get(key=f"milestone:{deadline.pk}:starts_on")
    assert (event.old_value, event.new_value, event.actor, event.source, event.office_id) == (
        "15.12.2026",
        "10.01.2027",
        admin_user,
        "admin",
        people.office.pk,
    )
