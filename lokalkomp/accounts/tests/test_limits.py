"""Limits: throttled failed logins, expiring sessions, re-authentication before sensitive changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.accounts.reauth import needs_reauthentication
from lokalkomp.testing import make_governor_admin, make_user, mark_reauthenticated

PASSWORD = "pw-Secret-123"
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


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
    client.force_login(admin)
    data = {"person": cast.forum_member.pk, "target": f"{Role.READER}.office"}

    asked = client.post(reverse("accounts:add_role", args=[cast.office.slug]), data)
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert not Membership.objects.filter(user=cast.forum_member, role=Role.READER).exists()

    done = client.post(asked.url, {"password": PASSWORD})

    assert done.status_code == 302
    assert Membership.objects.filter(user=cast.forum_member, role=Role.READER, office=cast.office).exists()
    kinds = list(AuditEvent.objects.filter(user__in=[admin, cast.forum_member]).values_list("kind", flat=True))
    assert "reauthenticated" in kinds and "role_changed" in kinds


def test_the_invitation_form_asks_for_the_password_again_after_the_timeout(client, cast):
    client.force_login(cast.governor)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        mark_reauthenticated(client, cast.governor)
        assert client.get(reverse("accounts:invite")).status_code == 200

        traveller.shift(dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1))
        response = client.get(reverse("accounts:invite"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_needs_reauthentication_is_true_until_the_person_confirms(client, db):
    person = make_user()
    client.force_login(person)
    request = RequestFactory().get("/")
    request.user = person
    request.session = client.session
    assert needs_reauthentication(request)

    mark_reauthenticated(client, person)
    request.session = client.session
    assert not needs_reauthentication(request)


def test_needs_reauthentication_is_true_for_someone_signed_out(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert needs_reauthentication(request)
