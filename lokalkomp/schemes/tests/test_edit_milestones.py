"""The Statsforvalter adds, edits and deletes milestones; typed values survive a mistake."""

import datetime as dt

import pytest
from django.urls import reverse

from lokalkomp.schemes.models import Milestone, Transition

from .helpers import add_cycle, body


@pytest.fixture
def governor(client, people):
    client.force_login(people.governor)
    return client


def add(client, round, **data):
    values = {"title": "Samling for nettverkene", "starts_on": "", "audience": "all", **data}
    return client.post(reverse("schemes:add_milestone", args=[round.office.slug, round.year]), values)


@pytest.mark.parametrize("typed", ["15.12.2026", "2026-12-15"])
def test_it_adds_a_milestone_with_a_date_typed_norwegian_or_iso(governor, people, typed):
    response = add(governor, people.round, starts_on=typed, location="Bodø", governs="needs_reports")
    assert response.status_code == 302
    milestone = Milestone.objects.get(round=people.round)
    assert milestone.starts_on == dt.date(2026, 12, 15)
    assert milestone.governs == Transition.NEEDS_REPORTS
    assert milestone.updated_by == people.governor
    assert milestone.updated_at is not None


def test_a_mistyped_date_keeps_everything_typed_and_says_how_to_write_it(governor, people):
    response = add(governor, people.round, title="Møte i fagutvalget", starts_on="31.02.2027", location="Byporten")
    assert response.status_code == 422
    html = body(response)
    assert 'value="31.02.2027"' in html
    assert 'value="Møte i fagutvalget"' in html
    assert 'value="Byporten"' in html
    assert 'aria-invalid="true"' in html
    assert "Skriv datoen som dd.mm.åååå, f.eks. 15.12.2024." in html
    assert not Milestone.objects.exists()


def test_the_last_day_cannot_be_before_the_first(governor, people):
    response = add(governor, people.round, starts_on="14.03.2027", ends_on="13.03.2027")
    assert response.status_code == 422
    assert 'value="13.03.2027"' in body(response)
    assert not Milestone.objects.exists()


def test_a_period_of_one_day_is_saved_as_one_day(governor, people):
    add(governor, people.round, starts_on="14.03.2027", ends_on="14.03.2027")
    assert Milestone.objects.get().ends_on is None


def test_a_round_has_one_deadline_per_step_and_says_which_one_it_has(governor, people):
    add_cycle(people.round)
    response = add(governor, people.round, starts_on="01.02.2027", governs="needs_reports")
    assert response.status_code == 422
    html = body(response)
    assert "Partnerskap leverer behovsmelding til kompetansenettverket" in html  # the one it already has
    assert "15.12.2026" in html
    assert Milestone.objects.filter(round=people.round, governs="needs_reports").count() == 1


def test_editing_shows_the_dates_the_norwegian_way(governor, people):
    milestone = add_cycle(people.round)[5]
    url = reverse("schemes:edit_milestone", args=[people.office.slug, people.round.year, milestone.pk])
    html = body(governor.get(url))
    assert 'value="15.12.2026"' in html


def test_it_saves_an_edited_milestone(governor, people):
    milestone = add_cycle(people.round)[5]
    url = reverse("schemes:edit_milestone", args=[people.office.slug, people.round.year, milestone.pk])
    data = {"title": milestone.title, "starts_on": "01.02.2027", "audience": "partnerships", "governs": "needs_reports"}
    response = governor.post(url, data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.starts_on == dt.date(2027, 2, 1)
    assert milestone.governs == "needs_reports"  # keeping its own deadline is no conflict


def test_an_edit_with_a_mistake_keeps_the_typed_values(governor, people):
    milestone = add_cycle(people.round)[5]
    url = reverse("schemes:edit_milestone", args=[people.office.slug, people.round.year, milestone.pk])
    response = governor.post(url, {"title": "Ny tittel", "starts_on": "1.2.27x", "audience": "all", "governs": ""})
    assert response.status_code == 422
    assert 'value="1.2.27x"' in body(response)
    assert 'value="Ny tittel"' in body(response)
    milestone.refresh_from_db()
    assert milestone.starts_on == dt.date(2026, 12, 15)


def test_moving_a_deadline_onto_a_step_that_has_one_is_refused(governor, people):
    cycle = add_cycle(people.round)
    other = next(m for m in cycle if m.governs == "network_compilation")
    url = reverse("schemes:edit_milestone", args=[people.office.slug, people.round.year, other.pk])
    data = {"title": other.title, "starts_on": "10.01.2027", "audience": "networks", "governs": "needs_reports"}
    assert governor.post(url, data).status_code == 422
    other.refresh_from_db()
    assert other.governs == "network_compilation"


def test_deleting_asks_first_and_then_deletes(governor, people):
    milestone = add_cycle(people.round)[0]
    url = reverse("schemes:delete_milestone", args=[people.office.slug, people.round.year, milestone.pk])
    confirm = governor.get(url)
    assert confirm.status_code == 200
    assert milestone.title in body(confirm)
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert governor.post(url).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_it_saves_the_rounds_reminder_days(governor, people):
    url = reverse("schemes:set_reminder", args=[people.office.slug, people.round.year])
    assert governor.post(url, {"reminder_days": "14"}).status_code == 302
    people.round.refresh_from_db()
    assert people.round.reminder_days == 14


@pytest.mark.parametrize("typed", ["0", "365", "to uker"])
def test_it_refuses_reminder_days_out_of_range_and_keeps_the_typed_value(governor, people, typed):
    url = reverse("schemes:set_reminder", args=[people.office.slug, people.round.year])
    response = governor.post(url, {"reminder_days": typed})
    assert response.status_code == 422
    assert f'value="{typed}"' in body(response)
    people.round.refresh_from_db()
    assert people.round.reminder_days == 7


def test_the_editor_lists_the_milestones_with_bounded_queries(governor, people, django_assert_max_num_queries):
    add_cycle(people.round)
    with django_assert_max_num_queries(14):
        response = governor.get(reverse("schemes:cycle", args=[people.office.slug, people.round.year]))
    html = body(response)
    assert "Uke 43" in html
    assert html.count('id="milestone-') == 16
