"""Limits: throttled failed logins, expiring sessions, re-authentication before sensitive changes.

Through the pages as a browser uses them (issue 8): the client checks CSRF as the site does, every form is
posted with its page's token, and people sign in on the sign-in page (with the code, where they have one)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.accounts.tests.real_flow import PASSWORD, browser, submit
from lokalkomp.accounts.tests.real_flow import sign_in as sign_in_as
from lokalkomp.testing import give_totp, make_governor_admin, make_user

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LATER = dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)  # the sign-in is no longer recent


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def client():
    """A browser: CSRF is checked as on the site."""
    return browser()


def sign_in(client, email, password=PASSWORD):
    """The sign-in page's form, with its token."""
    return submit(client, reverse("account_login"), {"login": email, "password": password})


def throttle_message(response) -> bool:
    """Whether the form shows allauth's rate-limit message (in bokmål, the default language)."""
    with translation.override("nb"):
        message = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    return message in response.context["form"].non_field_errors()


def test_repeated_wrong_passwords_close_the_door_even_to_the_right_one_until_time_passes(client, db):
    person = make_user("utestengt@example.test")
    with time_machine.travel(START, tick=False) as traveller:
        for _attempt in range(5):
            refused = sign_in(client, person.email, "wrong-password")
            assert refused.status_code == 200 and not throttle_message(refused)

        blocked = sign_in(client, person.email)
        assert blocked.status_code == 200
        assert throttle_message(blocked)
        assert not client.get(reverse("home")).context["user"].is_authenticated

        traveller.shift(dt.timedelta(minutes=6))
        assert sign_in(client, person.email).status_code == 302
    assert AuditEvent.objects.filter(kind="login_failed", user=person).count() == 5


def test_a_failed_login_for_an_unknown_address_is_recorded_with_the_address_tried(client, db):
    sign_in(client, "ukjent@example.test", "guess")

    event = AuditEvent.objects.get(kind="login_failed")
    assert (event.user, event.email) == (None, "ukjent@example.test")
    assert event.ip == "127.0.0.1"


def test_an_old_session_is_signed_out(client, db):
    person = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, person.email)
        assert client.get(reverse("accounts:me")).status_code == 200

        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get(reverse("accounts:me"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_session_is_short_enough(db):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_giving_a_role_asks_for_the_password_first_and_then_does_it(client, cast):
    admin = make_governor_admin(cast.office)
    data = {"person": cast.forum_member.pk, "target": f"{Role.READER}.office"}
    people = reverse("accounts:people", args=[cast.office.slug]) + f"?person={cast.forum_member.pk}"
    with time_machine.travel(START, tick=True) as traveller:
        assert sign_in_as(client, admin).status_code == 302  # password and code
        traveller.shift(LATER)

        asked = submit(client, people, data, to=reverse("accounts:add_role", args=[cast.office.slug]))
        assert asked.status_code == 302
        assert asked.url.startswith(reverse("account_reauthenticate"))
        assert not Membership.objects.filter(user=cast.forum_member, role=Role.READER).exists()

        done = submit(client, asked.url, {"password": PASSWORD})

    assert done.status_code == 302
    assert Membership.objects.filter(user=cast.forum_member, role=Role.READER, office=cast.office).exists()
    kinds = list(AuditEvent.objects.filter(user__in=[admin, cast.forum_member]).values_list("kind", flat=True))
    assert "reauthenticated" in kinds and "role_changed" in kinds


def test_the_invitation_form_asks_for_the_password_again_after_the_timeout_and_not_once_confirmed(client, cast):
    give_totp(cast.governor)
    invite = reverse("accounts:invite")
    with time_machine.travel(START, tick=True) as traveller:
        sign_in_as(client, cast.governor)
        assert client.get(invite).status_code == 200  # just signed in: no need to ask

        traveller.shift(LATER)
        response = client.get(invite)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))

        wrong = submit(client, response.url, {"password": "not-the-password"})
        assert wrong.status_code == 200 and client.get(invite).status_code == 302
        confirmed = submit(client, response.url, {"password": PASSWORD})
        assert confirmed.status_code == 302 and confirmed.url == invite
        assert client.get(invite).status_code == 200

        traveller.shift(LATER)
        assert client.get(invite).status_code == 302  # a confirmation, too, holds for the timeout only
    assert AuditEvent.objects.filter(kind="reauthenticated", user=cast.governor).count() == 1


def test_someone_signed_out_is_sent_to_sign_in_before_a_sensitive_page(client, db):
    response = client.get(reverse("accounts:invite"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
