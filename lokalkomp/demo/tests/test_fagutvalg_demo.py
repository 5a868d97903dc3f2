"""The demo's cross-scheme case (Indre Helgeland's coordinator in all three schemes), its fagutvalg member,
and the header's «Vurdering» leading to 2024, where the demo's assessment is."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.allocation.rules.assessment import is_assessor
from lokalkomp.demo import middle
from lokalkomp.demo.build import build, demo_logins
from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import Round
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FAGUTVALG = middle.FAGUTVALG


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo, built once for the module in a transaction rolled back after its last test (as setUpTestData)."""
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


@pytest.fixture
def demo(_built, db):
    return Round.objects.select_related("office").get(office__slug="nordland", year=2024)


@pytest.fixture
def indre(demo):
    return NeedsReport.objects.get(partnership__name=middle.IH_PARTNERSHIP, round=demo)


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def _login(client, email: str):
    client.force_login(User.objects.get(email=email))
    return _in_english(client)


# ── The cross-scheme view: the coordinator funded in three schemes ──


def test_indre_helgelands_coordinator_is_one_row_of_3_times_70_000_in_the_cross_scheme_view(client, indre):
    _login(client, "koordinator-ih@lokalkomp.test")
    response = client.get(reverse("needs:cross_scheme", args=[indre.pk]))
    assert response.status_code == 200
    assert sorted(s.code for s in response.context["schemes"]) == ["dekomp", "kompetanseloftet", "rekomp"]
    row = next(r for r in response.context["rows"] if r.name == "Koordinator")
    assert [(m.owner_amount, m.partner_amount) for m in row.cells] == [(70_000, 0)] * 3
    assert row.total.total == middle.IH_COORDINATOR_TOTAL == 210_000
    page = _text(response)
    assert "<strong>kr 210 000</strong>" in page
    assert 'id="cross-scheme-grand-total">kr 1 190 000' in page  # 410 000 + 510 000 + 270 000
    assert len(response.context["rows"]) == 6  # the five measures and the coordinator's one row


def test_the_networks_overview_leads_to_the_cross_scheme_view(client, demo, indre):
    _login(client, "koordinator-ih@lokalkomp.test")
    overview = reverse("needs:network_overview", args=["nordland", "indre-helgeland", 2024])
    response = client.get(overview)
    assert response.status_code == 200
    assert reverse("needs:cross_scheme", args=[indre.pk]) in _text(response)


@pytest.mark.parametrize("email", ["forum@lokalkomp.test", "sekretar@lokalkomp.test", FAGUTVALG])
def test_the_forum_the_secretariat_and_the_fagutvalg_read_the_cross_scheme_view(client, indre, email):
    _login(client, email)
    response = client.get(reverse("needs:cross_scheme", args=[indre.pk]))
    assert response.status_code == 200
    assert "<strong>kr 210 000</strong>" in _text(response)


def test_ytre_helgelands_seed_report_keeps_its_numbers(demo):
    ytre = NeedsReport.objects.get(partnership__name="God opplæring for alle", round=demo)
    assert ytre.measures.count() == 8
    assert {s.code: t.total for s, t in ytre.totals_by_scheme().items()} == {"dekomp": 1_544_000}


# ── The fagutvalg member ──


def test_the_demo_has_a_fagutvalg_member_of_nordland_with_two_factor_and_a_login(demo):
    person = User.objects.get(email=FAGUTVALG)
    assert Membership.objects.current().filter(user=person, role=Role.FAGUTVALG_MEMBER, office=demo.office).exists()
    assert person.check_password("demo") or person.has_usable_password()
    assert person.authenticator_set.filter(type="totp").exists()
    assert FAGUTVALG in dict(demo_logins())
    assert is_assessor(person, demo)


def test_the_fagutvalg_member_has_declared_and_sees_every_measure_to_assess_and_the_overview(client, demo):
    _login(client, FAGUTVALG)
    response = client.get(reverse("allocation:assessments", args=["nordland", 2024]))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-status="not_started"') == 16  # Ytre Helgeland's 8 and Indre Helgeland's 8
    overview = client.get(reverse("allocation:assessment_overview", args=["nordland", 2024]))
    assert overview.status_code == 200 and "16 of 16 measures." in _text(overview)


# ── The header's «Vurdering» ──


@pytest.mark.parametrize("email", ["forum@lokalkomp.test", "sekretar@lokalkomp.test", FAGUTVALG])
def test_the_headers_assessment_leads_to_2024_where_the_demos_assessment_is(client, demo, email):
    _login(client, email)
    response = client.get(reverse("allocation:my_assessment"))
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:assessments", args=["nordland", 2024])
