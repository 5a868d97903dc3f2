"""The audit record: what is recorded, and who may read which part of it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from lokalkomp.accounts import audit
from lokalkomp.accounts.models import AuditEvent
from lokalkomp.testing import make_user

PASSWORD = "pw-Secret-123"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def test_sign_in_and_sign_out_are_recorded_with_address_and_browser(client, cast):
    client.post(
        reverse("account_login"),
        {"login": cast.coordinator.email, "password": PASSWORD},
        HTTP_USER_AGENT="Testleser/1.0",
    )
    client.post(reverse("account_logout"))

    login, logout = AuditEvent.objects.filter(user=cast.coordinator).order_by("at", "pk")
    assert (login.kind, login.ip, login.user_agent) == ("login", "127.0.0.1", "Testleser/1.0")
    assert login.details["methods"] == ["password"]
    assert logout.kind == "logout"


def test_confirming_the_password_again_is_recorded(client, cast):
    client.force_login(cast.coordinator)

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    assert AuditEvent.objects.filter(kind="reauthenticated", user=cast.coordinator).exists()


def test_the_statsforvalter_reads_the_events_of_its_own_people_only(client, cast):
    audit.record("login", user=cast.owner_contact)  # a contact in the office's partnership
    audit.record("login", user=cast.coordinator)  # a coordinator of the office's network
    audit.record("login_failed", user=cast.forum_member)
    audit.record("login", user=cast.other_office_governor)
    audit.record("login_failed", email="nobody@example.test")
    client.force_login(cast.governor)

    body = client.get(reverse("accounts:audit")).content.decode()

    for person in (cast.owner_contact, cast.coordinator, cast.forum_member):
        assert str(person) in body
    assert str(cast.other_office_governor) not in body
    assert "nobody@example.test" not in body


def test_a_superuser_reads_everything(client, cast):
    audit.record("login_failed", email="nobody@example.test")
    client.force_login(make_user(is_superuser=True, is_staff=True))

    assert "nobody@example.test" in client.get(reverse("accounts:audit")).content.decode()


def test_the_record_is_paginated_with_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    AuditEvent.objects.bulk_create(AuditEvent(kind="login", user=cast.coordinator) for _ in range(120))
    client.force_login(cast.governor)

    with django_assert_max_num_queries(12):
        first = client.get(reverse("accounts:audit"))
    with django_assert_max_num_queries(12):
        last = client.get(reverse("accounts:audit"), {"side": 3})

    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert len(last.context["page"].object_list) >= 20


@pytest.mark.parametrize("who", ["forum_member", "coordinator", "owner_contact", "outsider"])
def test_others_may_not_read_the_record(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(reverse("accounts:audit")).status_code == 403
