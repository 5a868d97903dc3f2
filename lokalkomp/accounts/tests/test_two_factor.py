"""Two-factor authentication: mandatory for the Statsforvalter and the forum, optional for others."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET, activate_totp, current_code
from lokalkomp.testing import TEST_TOTP_SECRET, make_office, make_user, totp_code

PASSWORD = "pw-Secret-123"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # used TOTP codes and rate limits live in the cache


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_the_statsforvalter_with_an_authenticator_is_asked_for_the_code_before_being_signed_in(client, cast):
    response = sign_in(client, cast.governor)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_the_right_code_completes_the_sign_in(client, cast):
    sign_in(client, cast.governor)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == cast.governor
    event = AuditEvent.objects.get(kind="login", user=cast.governor)
    assert event.details["methods"] == ["password", "mfa"]


def test_a_wrong_code_is_refused_and_recorded(client, cast):
    sign_in(client, cast.forum_member)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not client.get(reverse("home")).context["user"].is_authenticated
    assert AuditEvent.objects.filter(kind="mfa_failed", user=cast.forum_member).exists()


@pytest.mark.parametrize("role", [Role.GOVERNOR_ADMIN, Role.CASE_OFFICER, Role.FORUM_MEMBER, Role.FORUM_SECRETARY])
def test_a_role_that_needs_two_factor_is_sent_to_set_it_up_from_every_page(client, db, role):
    person = make_user()
    Membership.objects.create(user=person, role=role, office=make_office())
    sign_in(client, person)

    for url in (reverse("home"), reverse("needs:mine"), reverse("accounts:me")):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp")), url


def test_the_account_pages_stay_open_while_two_factor_is_being_set_up(client, db):
    person = make_user()
    Membership.objects.create(user=person, role=Role.FORUM_DEPUTY, office=make_office())
    sign_in(client, person)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_change_password")).status_code == 200


def test_setting_up_the_authenticator_opens_the_site(client, db, django_capture_on_commit_callbacks):
    person = make_user()
    Membership.objects.create(user=person, role=Role.CASE_OFFICER, office=make_office())
    sign_in(client, person)

    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert done.status_code == 302
    assert Authenticator.objects.filter(user=person, type="totp").exists()
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(kind="mfa_enabled", user=person).exists()
    assert AuditEvent.objects.filter(kind="reauthenticated", user=person).exists()


@pytest.mark.parametrize("who", ["owner_contact", "partner_contact", "coordinator", "union_rep", "outsider"])
def test_two_factor_is_optional_for_everyone_else(client, cast, who):
    sign_in(client, getattr(cast, who))

    assert client.get(reverse("home")).status_code == 200


def test_someone_who_chose_two_factor_is_asked_for_the_code_too(client, cast):
    activate_totp(cast.owner_contact, TEST_TOTP_SECRET)

    assert sign_in(client, cast.owner_contact).url == reverse("mfa_authenticate")


def test_my_account_lists_my_roles_and_links_to_two_factor(client, cast, django_assert_max_num_queries):
    cast.network.owners.add(cast.report.partnership.participants.get(side="owner").organisation)
    client.force_login(cast.coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:me"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Koordinator for kompetansenettverk" in body
    assert str(cast.network) in body
    assert reverse("mfa_index") in body
    assert reverse("accounts:invite") in body


def test_my_account_needs_a_signed_in_person(client, db):
    response = client.get(reverse("accounts:me"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_demo_totp_prints_the_current_code_of_a_demo_user(db):
    person = make_user("statsforvalter@demo.test")
    activate_totp(person, DEMO_TOTP_SECRET)
    out = io.StringIO()

    call_command("demo_totp", person.email, stdout=out)

    assert out.getvalue().strip() == current_code(DEMO_TOTP_SECRET)


def test_demo_totp_refuses_a_real_persons_secret(db):
    person = make_user()
    activate_totp(person, TEST_TOTP_SECRET)

    with pytest.raises(CommandError, match="does not use the demo secret"):
        call_command("demo_totp", person.email)
