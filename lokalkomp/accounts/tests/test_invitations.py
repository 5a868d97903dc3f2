"""Invitations: who invites whom, the e-mailed link, accepting it once, expiry and reuse.

The pages are used as a browser uses them (issue 8): the client checks CSRF as the site does, and every
form is posted with the token of the page it is on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from lokalkomp.accounts import invitations
from lokalkomp.accounts.access import invitation_targets
from lokalkomp.accounts.models import AuditEvent, Invitation, Membership, Role, User
from lokalkomp.accounts.rules import can_invite
from lokalkomp.accounts.tests.real_flow import browser, csrf_of, sign_in, submit
from lokalkomp.needs.models import Contact
from lokalkomp.testing import make_invitation, make_network, make_organisation, make_user, mark_reauthenticated

NEW_PASSWORD = "a-Long-passphrase-42"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def client():
    """A browser: CSRF is checked as on the site."""
    return browser()


@pytest.fixture
def owner(cast):
    """The report's owner, a member of the cast's network (so that its coordinator invites its contacts)."""
    organisation = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(organisation)
    return organisation


@pytest.fixture
def partner(cast):
    return cast.report.partnership.participants.get(side="partner").organisation


def invite(client, user, email, target_key):
    client.force_login(user)
    mark_reauthenticated(client, user)
    return submit(client, reverse("accounts:invite"), {"email": email, "target": target_key})


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/personer/invitasjon/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


# Who invites whom


def target_roles(user) -> set[tuple[str, str]]:
    return {(t.role, str(t.partnership or t.network or t.office)) for t in invitation_targets(user)}


def test_the_statsforvalter_invites_the_forum_and_the_networks_coordinators_of_its_office(cast):
    roles = target_roles(cast.governor)

    assert {(Role.FORUM_MEMBER, str(cast.office)), (Role.FORUM_DEPUTY, str(cast.office))} <= roles
    assert (Role.FORUM_SECRETARY, str(cast.office)) in roles
    assert (Role.NETWORK_COORDINATOR, str(cast.network)) in roles
    assert {role for role, _place in roles} == {
        Role.FORUM_MEMBER,
        Role.FORUM_DEPUTY,
        Role.FORUM_SECRETARY,
        Role.FAGUTVALG_MEMBER,
        Role.NETWORK_COORDINATOR,
    }


def test_the_coordinator_invites_contacts_of_the_owners_in_the_network(cast, owner):
    targets = invitation_targets(cast.coordinator)

    assert {t.role for t in targets} == {Role.OWNER_CONTACT}
    assert {t.organisation for t in targets} == {owner}
    assert {t.partnership for t in targets} == {None, cast.report.partnership}


def test_the_owner_contact_invites_the_partner_institutions_contact_into_the_partnership(cast, partner):
    (target,) = invitation_targets(cast.owner_contact)

    assert (target.role, target.organisation, target.partnership) == (
        Role.PARTNER_CONTACT,
        partner,
        cast.report.partnership,
    )


@pytest.mark.parametrize("who", ["partner_contact", "union_rep", "forum_member", "outsider"])
def test_others_invite_nobody(cast, owner, who):
    assert invitation_targets(getattr(cast, who)) == []


def test_the_predicate_refuses_what_the_form_would_not_offer(cast, owner, partner):
    other_office_network = make_network(cast.other_office_governor.memberships.get().office)
    stranger_owner = make_organisation()

    assert not can_invite(
        cast.governor, Invitation(role=Role.NETWORK_COORDINATOR, office=cast.office, network=other_office_network)
    )
    assert not can_invite(cast.governor, Invitation(role=Role.GOVERNOR_ADMIN, office=cast.office))
    assert not can_invite(
        cast.coordinator,
        Invitation(role=Role.OWNER_CONTACT, office=cast.office, network=cast.network, organisation=stranger_owner),
    )
    assert not can_invite(cast.coordinator, Invitation(role=Role.FORUM_MEMBER, office=cast.office))
    assert not can_invite(
        cast.partner_contact,
        Invitation(
            role=Role.PARTNER_CONTACT, office=cast.office, organisation=partner, partnership=cast.report.partnership
        ),
    )
    assert can_invite(
        cast.owner_contact,
        Invitation(
            role=Role.PARTNER_CONTACT, office=cast.office, organisation=partner, partnership=cast.report.partnership
        ),
    )


# Sending


def test_the_statsforvalter_sends_an_invitation_by_email(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client, cast.governor, "Ny.Koordinator@Example.test", f"coordinator.network.{cast.network.pk}"
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.network) == (
        "ny.koordinator@example.test",
        Role.NETWORK_COORDINATOR,
        cast.network,
    )
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=14)) < dt.timedelta(seconds=1)
    (message,) = mail.outbox
    assert message.to == ["ny.koordinator@example.test"]
    token = link_in(message).split("/")[-2]
    assert invitations.token_hash(token) == invitation.token_hash  # only the hash is stored
    assert AuditEvent.objects.filter(kind="invitation_sent", user=cast.governor, office=cast.office).exists()


def test_the_form_keeps_what_was_typed_when_it_is_refused(client, cast):
    response = invite(client, cast.governor, "not-an-address", f"coordinator.network.{cast.network.pk}")

    assert response.status_code == 422
    assert 'value="not-an-address"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_role_the_user_may_not_give_is_not_a_choice(client, cast, owner):
    response = invite(client, cast.coordinator, "x@example.test", f"coordinator.network.{cast.network.pk}")

    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_someone_who_may_invite_nobody_gets_403(client, cast):
    client.force_login(cast.union_rep)
    mark_reauthenticated(client, cast.union_rep)

    assert client.get(reverse("accounts:invite")).status_code == 403


def test_the_same_invitation_is_not_sent_twice_while_the_first_still_works(client, cast):
    key = f"{Role.FORUM_MEMBER}.office.{cast.office.pk}"
    invite(client, cast.governor, "medlem@example.test", key)

    again = invite(client, cast.governor, "medlem@example.test", key)

    assert again.status_code == 422
    assert Invitation.objects.count() == 1


def test_the_list_shows_the_offices_invitations_and_not_others(client, cast, django_assert_max_num_queries):
    mine = make_invitation(cast.governor, email="mine@example.test")
    foreign = make_invitation(cast.other_office_governor, email="foreign@example.test")
    client.force_login(cast.governor)

    with django_assert_max_num_queries(12):
        body = client.get(reverse("accounts:invitations")).content.decode()

    assert mine.email in body
    assert foreign.email not in body


# Accepting


def test_a_new_person_sets_a_password_and_lands_signed_in_with_the_role(client, cast):
    invitation = make_invitation(cast.governor, Role.NETWORK_COORDINATOR, "ny@example.test", network=cast.network)
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    response = submit(
        client, url, {"first_name": "Nora", "last_name": "Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302 and response.url == reverse("home")
    person = User.objects.get(email="ny@example.test")
    assert client.get(reverse("home")).context["user"] == person
    assert Membership.objects.filter(user=person, role=Role.NETWORK_COORDINATOR, network=cast.network).exists()
    assert EmailAddress.objects.get(user=person).verified
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (person, True)
    assert AuditEvent.objects.filter(kind="invitation_accepted", user=person, actor=cast.governor).exists()


def test_the_password_form_keeps_the_names_when_the_passwords_differ(client, cast):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    response = submit(
        client, url, {"first_name": "Nora", "last_name": "Ny", "password1": NEW_PASSWORD, "password2": "something-else"}
    )

    assert response.status_code == 422
    assert 'value="Nora"' in response.content.decode()
    assert not User.objects.filter(email="ny@example.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_person_with_an_account_signs_in_and_then_accepts(client, cast):
    person = make_user("kjent@example.test")
    invitation = make_invitation(cast.governor, Role.FORUM_DEPUTY, person.email)
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    page = client.get(url)
    assert page.status_code == 200
    assert f"{reverse('account_login')}?{urlencode({'next': url})}" in page.content.decode()
    assert not User.objects.filter(email=person.email).exclude(pk=person.pk).exists()

    assert sign_in(client, person).status_code == 302
    response = submit(client, url, {})

    assert response.status_code == 302
    assert Membership.objects.filter(user=person, role=Role.FORUM_DEPUTY, office=cast.office).exists()


def test_the_partner_institutions_contact_becomes_a_contact_person_in_the_partnership(client, cast, partner):
    invitation = make_invitation(
        cast.owner_contact,
        Role.PARTNER_CONTACT,
        "uh@example.test",
        office=cast.office,
        organisation=partner,
        partnership=cast.report.partnership,
    )
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    submit(client, url, {"first_name": "Ulla", "last_name": "Uh", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    person = User.objects.get(email="uh@example.test")
    contact = Contact.objects.get(user=person)
    assert (contact.participant.organisation, contact.participant.partnership) == (partner, cast.report.partnership)
    assert Membership.objects.filter(user=person, role=Role.PARTNER_CONTACT, organisation=partner).exists()
    assert client.get(cast.report.get_absolute_url()).status_code == 200


def test_a_used_link_says_so(client, cast):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    invitations.accept(invitation, user=make_user("ny@example.test"))

    response = client.get(reverse("accounts:accept", args=[invitations.make_token(invitation)]))

    assert response.status_code == 410
    assert "Denne invitasjonen er allerede brukt. Logg inn med kontoen som godtok den." in response.content.decode()


def test_a_link_is_used_once_even_when_accepted_twice_at_the_same_time(cast):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    first, second = Invitation.objects.get(), Invitation.objects.get()
    person = make_user("ny@example.test")

    invitations.accept(first, user=person)
    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(second, user=person)

    assert Membership.objects.filter(user=person).count() == 1
    assert AuditEvent.objects.filter(kind="invitation_accepted").count() == 1
    assert invitation.pk == first.pk


def test_an_expired_link_says_so_and_who_to_ask(client, cast):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    token = csrf_of(client.get(url))  # the form, opened while the link still worked
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = client.get(url)
        posted = client.post(
            url,
            {"first_name": "N", "last_name": "N", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
            | {"csrfmiddlewaretoken": token},
        )

    body = response.content.decode()
    assert response.status_code == 410 and posted.status_code == 410
    assert str(cast.governor) in body
    assert invitation.expires_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y") in body
    assert not User.objects.filter(email="ny@example.test").exists()


def test_a_tampered_link_is_refused(client, cast):
    invitation = make_invitation(cast.governor)
    token = invitations.make_token(invitation)

    response = client.get(reverse("accounts:accept", args=[token[:-2] + "xx"]))

    assert response.status_code == 410
    assert Invitation.objects.get().accepted_at is None


def test_someone_else_signed_in_cannot_take_the_invitation(client, cast):
    invitation = make_invitation(cast.governor, email="ny@example.test")
    client.force_login(cast.outsider)
    url = reverse("accounts:accept", args=[invitations.make_token(invitation)])

    response = submit(client, reverse("account_logout"), {}, to=url)  # a token of this session's, from a form it has

    assert response.status_code == 403
    assert Invitation.objects.get().accepted_at is None
    assert not Membership.objects.filter(user=cast.outsider).exists()
