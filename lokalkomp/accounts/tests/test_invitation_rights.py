"""Nobody gets a role they were not given: no invitation to oneself, none beyond the inviter's rights, links not forgeable."""

from __future__ import annotations

import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lokalkomp.accounts import invitations
from lokalkomp.accounts.access import invitation_targets
from lokalkomp.accounts.models import Invitation, Membership, Role
from lokalkomp.accounts.rules import can_invite
from lokalkomp.testing import make_invitation, mark_reauthenticated

PASSWORD = "a-Long-passphrase-42"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def owner(cast):
    organisation = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(organisation)
    return organisation


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    mark_reauthenticated(client, user)
    return client


def post_form(client: Client, url: str, data: dict) -> object:
    """Open the form, then send it with its CSRF token, as a browser does."""
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, page.content.decode()[:500]
    return client.post(url, {**data, "csrfmiddlewaretoken": token.group(1)})


def test_a_coordinator_cannot_invite_his_own_address_as_an_owner_contact(cast, owner):
    client = csrf_client(cast.coordinator)

    response = post_form(
        client,
        reverse("accounts:invite"),
        {"email": cast.coordinator.email.upper(), "target": f"owner.{cast.network.pk}.{owner.pk}"},
    )

    assert response.status_code == 403
    assert "Du kan ikke invitere deg selv" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_case_officer_cannot_invite_herself_as_coordinator_at_any_of_her_addresses(cast):
    EmailAddress.objects.create(user=cast.governor, email="privat@example.test", verified=True)
    client = csrf_client(cast.governor)

    for address in (cast.governor.email, "privat@example.test"):
        response = post_form(
            client, reverse("accounts:invite"), {"email": address, "target": f"coordinator.network.{cast.network.pk}"}
        )
        assert response.status_code == 403, address
    assert not Invitation.objects.exists()


def test_a_case_officer_invites_someone_else_as_coordinator(cast):
    client = csrf_client(cast.governor)

    response = post_form(
        client,
        reverse("accounts:invite"),
        {"email": "ny.koordinator@example.test", "target": f"coordinator.network.{cast.network.pk}"},
    )

    assert response.status_code == 302
    assert Invitation.objects.get().email == "ny.koordinator@example.test"


def test_every_choice_of_the_invitation_form_is_one_the_rule_allows(cast, owner):
    for person in (cast.governor, cast.coordinator, cast.owner_contact, cast.forum_member, cast.outsider):
        for target in invitation_targets(person):
            assert can_invite(person, target.invitation("someone.else@example.test")), (person, target.key)
            assert not can_invite(person, target.invitation(person.email)), (person, target.key)


def test_an_invitation_whose_inviter_lost_the_right_to_give_the_role_cannot_be_accepted(cast):
    invitation = make_invitation(cast.governor, Role.FORUM_MEMBER, "ny@example.test")
    Membership.objects.filter(user=cast.governor).update(active=False)
    client = Client(enforce_csrf_checks=True)
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    response = post_form(
        client, url, {"first_name": "N", "last_name": "N", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 410
    assert "ikke lenger gi denne rollen" in response.content.decode()
    assert not Membership.objects.filter(user__email="ny@example.test").exists()


def test_the_link_is_a_random_token_stored_only_as_its_hash(cast, django_capture_on_commit_callbacks):
    client = csrf_client(cast.governor)
    with django_capture_on_commit_callbacks(execute=True):
        post_form(
            client,
            reverse("accounts:invite"),
            {"email": "medlem@example.test", "target": f"{Role.FORUM_MEMBER}.office.{cast.office.pk}"},
        )
    (message,) = mail.outbox
    token = re.search(r"/personer/invitasjon/([^/\s]+)/", str(message.body)).group(1)
    invitation = Invitation.objects.get()

    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())  # the database holds no usable link
    assert Client().get(reverse("accounts:accept", args=[token])).status_code == 200


def test_a_link_signed_with_the_secret_key_is_not_an_invitation(cast, settings):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    invitations.make_token(invitation)
    forged = signing.dumps(invitation.pk, salt="lokalkomp.accounts.invitation")  # what the old links were

    response = Client().get(reverse("accounts:accept", args=[forged]))

    assert response.status_code == 410
    assert Invitation.objects.get().accepted_at is None


def test_the_link_does_not_depend_on_the_secret_key(cast, settings):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    token = invitations.make_token(invitation)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert Client().get(reverse("accounts:accept", args=[token])).status_code == 200


def test_an_invitation_is_still_used_once_only(cast):
    invitation = make_invitation(cast.governor, Role.FORUM_MEMBER, "ny@example.test")
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])
    data = {"first_name": "N", "last_name": "N", "password1": PASSWORD, "password2": PASSWORD}

    first = post_form(Client(enforce_csrf_checks=True), url, data)
    second = Client().get(url)

    assert first.status_code == 302
    assert second.status_code == 410
