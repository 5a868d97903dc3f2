"""Staff and superusers reach the admin only with two-factor authentication, as the Statsforvalter does."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lokalkomp.testing import give_totp, make_user, sign_in_with_two_factor, totp_code

PASSWORD = "pw-Secret-123"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def csrf_of(page) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found, "the page has no form"
    return found.group(1)


def sign_in_with_password(client: Client, user) -> object:
    page = client.get(reverse("account_login"))
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(page)}
    )


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_staff_without_two_factor_are_sent_to_set_it_up_instead_of_the_admin(db, flags):
    client = Client(enforce_csrf_checks=True)
    person = make_user(**flags)
    sign_in_with_password(client, person)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_a_superuser_signed_in_with_the_password_alone_is_asked_for_a_code_before_the_admin(db):
    person = make_user(is_superuser=True, is_staff=True)
    give_totp(person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)  # a session without a code, however it came about

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))


def test_a_superuser_who_signs_in_with_password_and_code_reaches_the_admin(db):
    person = make_user(is_superuser=True, is_staff=True)
    give_totp(person)
    client = Client(enforce_csrf_checks=True)
    stage = sign_in_with_password(client, person)
    assert stage.status_code == 302 and "/2fa/" in stage.url  # allauth asks for the code first
    page = client.get(stage.url)
    done = client.post(stage.url, {"code": totp_code(), "csrfmiddlewaretoken": csrf_of(page)})
    assert done.status_code == 302

    assert client.get("/admin/").status_code == 200


def test_a_superuser_with_a_two_factor_session_reaches_the_admin(db):
    client = Client()
    sign_in_with_two_factor(client, make_user(is_superuser=True, is_staff=True))

    assert client.get("/admin/").status_code == 200


def test_an_ordinary_person_without_two_factor_still_opens_the_other_pages(db):
    client = Client()
    client.force_login(make_user())

    assert client.get(reverse("home")).status_code == 200
