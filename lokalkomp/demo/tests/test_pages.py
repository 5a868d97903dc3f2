"""Every first page, anonymous and signed in, with a bounded number of SQL queries."""

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.accounts.models import User
from lokalkomp.demo.build import build
from lokalkomp.needs.models import NeedsReport
from lokalkomp.testing import sign_in_with_two_factor

TODAY = "2026-11-22 10:00 +01:00"


@pytest.fixture
def demo(db):
    with time_machine.travel(TODAY, tick=False):
        build()
        yield


def _report():
    return NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)


def _body(response):
    """The page's HTML with non-breaking spaces (used in «kr 1 544 000») read as spaces."""
    return response.content.decode().replace("\u00a0", " ")


def _login(client, email):
    client.force_login(User.objects.get(email=email))


@pytest.mark.parametrize("email", [None, "eier@lokalkomp.test", "statsforvalter@lokalkomp.test"])
def test_the_start_page_shows_the_current_rounds_annual_cycle(client, demo, email, django_assert_max_num_queries):
    if email:
        _login(client, email)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    body = _body(response)
    assert "Statsforvalteren i Nordland 2027" in body
    assert "15.12.2026" in body  # the needs-report deadline of the 2027 round, Norwegian date format


def test_the_owner_contact_sees_the_2027_report_due(client, demo):
    _login(client, "eier@lokalkomp.test")
    body = _body(client.get(reverse("home")))
    assert "Mine oppgaver" in body
    assert "God opplæring for alle" in body


def test_an_anonymous_visitor_has_no_tasks(client, demo):
    body = _body(client.get(reverse("home")))
    assert "Mine oppgaver" not in body
    assert "Logg inn" in body


@pytest.mark.parametrize("email", [None, "koordinator@lokalkomp.test", "leser@lokalkomp.test"])
def test_the_round_page_lists_schemes_cycle_and_networks(client, demo, email, django_assert_max_num_queries):
    if email:
        _login(client, email)
    # The target (≤ 15): one each for the gatherings, the compilations and the office's years.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("schemes:round", args=["nordland", 2024]))
    assert response.status_code == 200
    body = _body(response)
    for text in ("Desentralisert ordning", "Regional ordning", "Kompetanseløftet", "15.12.2023", "Ytre Helgeland"):
        assert text in body


def test_an_anonymous_visitor_sees_no_needs_reports_on_the_round_page(client, demo):
    body = _body(client.get(reverse("schemes:round", args=["nordland", 2024])))
    assert "God opplæring for alle" not in body


def test_the_network_coordinator_sees_the_networks_reports(client, demo, django_assert_max_num_queries):
    _login(client, "koordinator@lokalkomp.test")
    # The target (≤ 15): one each for the office's rounds (the overviews) and the compilations.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("directory:network", args=["nordland", "ytre-helgeland"]))
    body = _body(response)
    assert "God opplæring for alle" in body
    assert "kr 1 544 000" in body


@pytest.mark.parametrize("email", [None, "koordinator-ih@lokalkomp.test"])
def test_the_network_page_works_for_everyone(client, demo, email, django_assert_max_num_queries):
    if email:
        _login(client, email)
    # The target (≤ 15): one each for the office's rounds (the overviews) and the compilations.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("directory:network", args=["nordland", "indre-helgeland"]))
    assert response.status_code == 200
    assert "Hattfjelldal" in response.content.decode()


@pytest.mark.parametrize(
    "email",
    [
        "eier@lokalkomp.test",
        "uh@lokalkomp.test",
        "koordinator@lokalkomp.test",
        "forum@lokalkomp.test",
        "statsforvalter@lokalkomp.test",
        "tillitsvalgt@lokalkomp.test",
    ],
)
def test_the_report_page_shows_eight_measures_and_computed_totals(client, demo, email, django_assert_max_num_queries):
    _login(client, email)
    with django_assert_max_num_queries(20):
        response = client.get(_report().get_absolute_url())
    assert response.status_code == 200
    body = _body(response)
    assert body.count('href="#measure-') == 8
    for amount in ("kr 625 000", "kr 919 000", "kr 1 544 000"):
        assert amount in body
    assert "Datainnsamling for å analysere egne behov" in body
    assert "4516.27.94918" in body


def test_the_report_page_keeps_the_forms_own_totals_table_for_comparison(client, demo):
    _login(client, "eier@lokalkomp.test")
    body = _body(client.get(_report().get_absolute_url()))
    for amount in ("kr 1 299 000", "kr 580 000", "kr 3 423 000"):
        assert amount in body


def test_an_anonymous_visitor_gets_404_for_a_report(client, demo):
    assert client.get(_report().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("email", ["koordinator-ih@lokalkomp.test"])  # the office's reader reads it: test_reader.py
def test_people_outside_the_report_get_404(client, demo, email):
    _login(client, email)
    assert client.get(_report().get_absolute_url()).status_code == 404


def test_the_report_page_does_not_accept_post(client, demo):
    _login(client, "eier@lokalkomp.test")
    assert client.post(_report().get_absolute_url()).status_code == 405


def test_an_unknown_round_is_404(client, demo):
    assert client.get(reverse("schemes:round", args=["nordland", 1999])).status_code == 404


def test_the_login_form_accepts_the_email_address(client, demo):
    response = client.post(reverse("account_login"), {"login": "eier@lokalkomp.test", "password": "demo"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "eier@lokalkomp.test"


def test_the_admin_login_accepts_the_email_address(client, demo):
    response = client.post(reverse("admin:login"), {"username": "admin@lokalkomp.test", "password": "demo"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "model",
    [
        "directory/municipality",
        "directory/organisation",
        "needs/needsreport",
        "needs/measure",
        "schemes/round",
        "accounts/user",
    ],
)
def test_the_admin_lists_are_in_norwegian_with_bounded_queries(client, demo, model, django_assert_max_num_queries):
    sign_in_with_two_factor(client, User.objects.get(email="admin@lokalkomp.test"))  # the admin asks for a code
    with django_assert_max_num_queries(15):
        response = client.get(f"/admin/{model}/")
    assert response.status_code == 200
    assert "Velg" in response.content.decode()


def test_the_health_endpoint_answers(client, db):
    assert client.get("/health/").content == b"ok"
