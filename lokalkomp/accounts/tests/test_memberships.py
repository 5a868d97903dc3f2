"""The Statsforvalter's administrator gives and takes roles in the office; every change is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.testing import make_governor_admin, make_network, mark_reauthenticated


@pytest.fixture
def admin(cast):
    return make_governor_admin(cast.office, "admin@cast.test")


def signed_in(client, user):
    client.force_login(user)
    mark_reauthenticated(client, user)
    return client


def test_the_people_page_lists_the_offices_people_and_their_roles(client, cast, admin, django_assert_max_num_queries):
    signed_in(client, admin)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:people", args=[cast.office.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    for person in (cast.governor, cast.forum_member, cast.coordinator, cast.owner_contact, cast.partner_contact):
        assert person.email in body
    for stranger in (cast.outsider, cast.other_office_governor):
        assert stranger.email not in body


def test_the_query_count_does_not_grow_with_the_number_of_people(client, cast, admin, django_assert_max_num_queries):
    for _ in range(15):
        make_governor_admin(cast.office)
    signed_in(client, admin)

    with django_assert_max_num_queries(14):
        assert client.get(reverse("accounts:people", args=[cast.office.slug])).status_code == 200


def test_the_administrator_gives_a_network_coordinator_role(client, cast, admin):
    network = make_network(cast.office)
    signed_in(client, admin)

    response = client.post(
        reverse("accounts:add_role", args=[cast.office.slug]),
        {"person": cast.owner_contact.pk, "target": f"coordinator.{network.pk}"},
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.owner_contact, role=Role.NETWORK_COORDINATOR, network=network).exists()
    event = AuditEvent.objects.get(kind="role_changed")
    assert (event.user, event.actor, event.office) == (cast.owner_contact, admin, cast.office)
    assert event.details == {"change": "added", "role": "network_coordinator", "place": str(network)}


def test_the_administrator_takes_a_role_away(client, cast, admin):
    membership = cast.forum_member.memberships.get()
    signed_in(client, admin)

    response = client.post(reverse("accounts:remove_role", args=[cast.office.slug, membership.pk]))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    assert AuditEvent.objects.get(kind="role_changed").details["change"] == "removed"


def test_giving_a_role_twice_is_refused_and_the_choices_stay(client, cast, admin):
    signed_in(client, admin)

    response = client.post(
        reverse("accounts:add_role", args=[cast.office.slug]),
        {"person": cast.forum_member.pk, "target": f"{Role.FORUM_MEMBER}.office"},
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert f'type="hidden" name="person" value="{cast.forum_member.pk}"' in body  # still the chosen person
    assert cast.forum_member.email in body.split('id="chosen-person"')[1].split("</p>")[0]
    assert not AuditEvent.objects.filter(kind="role_changed").exists()


def test_a_case_officer_sees_the_people_but_may_not_change_roles(client, cast):
    signed_in(client, cast.governor)

    assert client.get(reverse("accounts:people", args=[cast.office.slug])).status_code == 200
    response = client.post(
        reverse("accounts:add_role", args=[cast.office.slug]),
        {"person": cast.outsider.pk, "target": f"{Role.GOVERNOR_ADMIN}.office"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_another_offices_administrator_gets_404(client, cast):
    other_admin = make_governor_admin(cast.other_office_governor.memberships.get().office)
    signed_in(client, other_admin)
    membership = cast.forum_member.memberships.get()

    assert client.get(reverse("accounts:people", args=[cast.office.slug])).status_code == 404
    assert client.post(reverse("accounts:remove_role", args=[cast.office.slug, membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.active


def test_a_membership_of_another_office_cannot_be_removed_through_this_one(client, cast, admin):
    foreign = cast.other_office_governor.memberships.get()
    signed_in(client, admin)

    assert client.post(reverse("accounts:remove_role", args=[cast.office.slug, foreign.pk])).status_code == 404


def test_someone_who_is_not_the_statsforvalter_gets_404(client, cast):
    signed_in(client, cast.forum_member)

    assert client.get(reverse("accounts:people", args=[cast.office.slug])).status_code == 404


@pytest.mark.parametrize("person", ["²", "١٢", "1" * 19, "-1", " 1"])
def test_a_person_parameter_that_is_not_a_plain_number_chooses_nobody_and_gives_no_500(client, cast, admin, person):
    signed_in(client, admin)

    response = client.get(reverse("accounts:people", args=[cast.office.slug]), {"person": person})

    assert response.status_code == 200
    assert response.context["chosen"] is None


def test_a_nul_byte_in_the_people_search_is_dropped_and_the_search_still_works(client, cast, admin):
    signed_in(client, admin)

    response = client.get(reverse("accounts:people", args=[cast.office.slug]), {"q": "owner\x00_contact"})

    assert response.status_code == 200
    assert response.context["search"] == "owner_contact"
    assert cast.owner_contact.email in response.content.decode()
