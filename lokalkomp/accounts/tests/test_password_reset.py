"""Password reset by e-mail (allauth)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.testing import make_user

NEW_PASSWORD = "a-New-passphrase-42"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def reset_link(email: str) -> str:
    message = mail.outbox[-1]
    assert message.to == [email]
    match = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_a_person_resets_a_forgotten_password_through_the_emailed_link(client, db):
    person = make_user("glemsk@example.test")

    response = client.post(reverse("account_reset_password"), {"email": "glemsk@example.test"})
    assert response.status_code == 302
    form_page = client.get(reset_link(person.email), follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(kind="password_reset", user=person).exists()
    login = client.post(reverse("account_login"), {"login": person.email, "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("home")).context["user"] == person


def test_the_link_works_only_once(client, db):
    person = make_user("glemsk@example.test")
    client.post(reverse("account_reset_password"), {"email": person.email})
    link = reset_link(person.email)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.context["token_fail"]


def test_an_unknown_address_gets_no_mail_with_a_link(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})

    assert response.status_code == 302  # the same answer as for a known address: no account enumeration
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)
