"""E-mail addresses: never another account's, and an address counts for signing in and invitations once verified."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lokalkomp.accounts import invitations
from lokalkomp.accounts.models import Membership, Role
from lokalkomp.testing import make_invitation, make_user, mark_reauthenticated

PASSWORD = "pw-Secret-123"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def csrf_of(page) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found, "the page has no form"
    return found.group(1)


def email_page_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    mark_reauthenticated(client, user)
    return client


def add_address(client: Client, address: str):
    page = client.get(reverse("account_email"))
    return client.post(
        reverse("account_email"), {"email": address, "action_add": "", "csrfmiddlewaretoken": csrf_of(page)}
    )


def sign_in(address: str, password: str = PASSWORD):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login"))
    return client.post(
        reverse("account_login"), {"login": address, "password": password, "csrfmiddlewaretoken": csrf_of(page)}
    )


def test_another_accounts_address_cannot_be_added(db):
    victim = make_user("offer@example.test")
    EmailAddress.objects.create(user=victim, email="offer.privat@example.test", verified=True)
    attacker = make_user("angriper@example.test")
    client = email_page_client(attacker)

    for address in ("offer@example.test", "OFFER.PRIVAT@example.test"):
        response = add_address(client, address)
        assert response.status_code == 200, address
        assert "tilhører en annen konto" in response.content.decode()
    assert not EmailAddress.objects.filter(user=attacker, email__icontains="offer").exists()


def test_an_added_address_is_sent_a_link_and_is_unverified_until_then(db):
    person = make_user("meg@example.test")

    response = add_address(email_page_client(person), "ny.adresse@example.test")

    assert response.status_code == 302
    address = EmailAddress.objects.get(user=person, email="ny.adresse@example.test")
    assert not address.verified
    assert [m.to for m in mail.outbox] == [["ny.adresse@example.test"]]


def test_an_unverified_address_does_not_sign_in(db):
    person = make_user("meg@example.test")
    EmailAddress.objects.create(user=person, email="uverifisert@example.test", verified=False)

    assert sign_in("uverifisert@example.test").status_code == 200  # the form again, with the error
    assert sign_in("meg@example.test").status_code == 302


def test_an_unverified_address_cannot_be_made_the_main_one(db):
    person = make_user("meg@example.test")
    EmailAddress.objects.create(user=person, email="meg@example.test", verified=True, primary=True)
    EmailAddress.objects.create(user=person, email="ny@example.test", verified=False)
    client = email_page_client(person)
    page = client.get(reverse("account_email"))

    response = client.post(
        reverse("account_email"),
        {"email": "ny@example.test", "action_primary": "", "csrfmiddlewaretoken": csrf_of(page)},
        follow=True,
    )

    person.refresh_from_db()
    assert person.email == "meg@example.test"
    assert "Bekreft adressen" in response.content.decode()
    assert sign_in("ny@example.test").status_code == 200


def test_a_verified_added_address_signs_in(db):
    person = make_user("meg@example.test")
    EmailAddress.objects.create(user=person, email="ny@example.test", verified=True)

    assert sign_in("ny@example.test").status_code == 302


def test_an_invitation_cannot_be_taken_with_an_unverified_address(cast):
    invitation = make_invitation(cast.governor, Role.FORUM_MEMBER, "medlem@example.test")
    taker = make_user("taker@example.test")
    EmailAddress.objects.create(user=taker, email="medlem@example.test", verified=False)  # added, never confirmed
    client = Client(enforce_csrf_checks=True)
    client.force_login(taker)
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    page = client.get(url)
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert page.status_code == 403 and response.status_code == 403
    assert not Membership.objects.filter(user=taker).exists()
