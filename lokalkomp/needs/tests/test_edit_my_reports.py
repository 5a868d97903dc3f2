"""`needs:mine`: the partnerships a person writes for, their reports and the rounds open for a new one."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.needs.models import Contact, Participant
from lokalkomp.testing import add_contact, make_partnership, make_report, make_round, make_user

TODAY = "2026-11-22 10:00 +01:00"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def reports_for(user, count, round):
    """`count` partnerships in the round's office with the user as a contact, each with a report."""
    reports = []
    for _ in range(count):
        report = make_report(round, make_partnership(round.office))
        add_contact(report, user)
        reports.append(report)
    return reports


def listed(response):
    return [str(r.partnership) for r in response.context["reports"]]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_the_list_runs_a_bounded_number_of_queries(client, count, django_assert_max_num_queries):
    user = make_user()
    round = make_round(year=2027, deadline=dt.date(2026, 12, 15))
    reports_for(user, count, round)
    make_round(round.office, year=2028, deadline=dt.date(2027, 12, 15))  # open: every partnership may start one
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("needs:mine"))
    assert response.status_code == 200
    assert len(listed(response)) == count
    assert len(response.context["startable"]) == count


def test_it_lists_only_the_users_own_partnerships_reports(client, cast):
    other = make_report(cast.round)
    add_contact(other, make_user())
    client.force_login(cast.owner_contact)
    response = client.get(reverse("needs:mine"))
    assert listed(response) == [str(cast.report.partnership)]
    assert str(other.partnership) not in response.content.decode()


@pytest.mark.parametrize("who", ["governor", "coordinator", "union_rep", "outsider"])
def test_readers_and_strangers_have_no_reports_of_their_own(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("needs:mine"))
    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["startable"] == []


def test_a_contact_without_an_account_gives_no_access(client, cast):
    participant = Participant.objects.get(partnership=cast.report.partnership, side="owner")
    Contact.objects.create(participant=participant, name="Uten konto", email="uten@konto.test")
    client.force_login(cast.outsider)
    assert listed(client.get(reverse("needs:mine"))) == []


@pytest.mark.django_db
def test_it_offers_to_start_a_report_only_in_open_rounds_of_the_partnerships_office(client):
    user = make_user()
    round = make_round(year=2027, deadline=dt.date(2026, 12, 15))
    report = reports_for(user, 1, round)[0]
    closed = make_round(round.office, year=2026, deadline=dt.date(2025, 12, 15))
    open_next = make_round(round.office, year=2028, deadline=dt.date(2027, 12, 15))
    elsewhere = make_round(year=2028, deadline=dt.date(2027, 12, 15))
    client.force_login(user)
    startable = client.get(reverse("needs:mine")).context["startable"]
    assert [(p.pk, r.pk) for p, r in startable] == [(report.partnership.pk, open_next.pk)]
    assert closed and elsewhere
