"""Accounts changed in the admin, and contacts made by accepting an invitation, go on record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.accounts import invitations
from lokalkomp.accounts.models import AuditEvent, Invitation, Membership, Role
from lokalkomp.needs.models import Contact, FieldEdit, NeedsReport
from lokalkomp.testing import admin_form_data, make_invitation, make_user, sign_in_with_two_factor


@pytest.fixture
def staff(client, db):
    user = make_user(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, user)
    return client, user


def test_making_someone_staff_and_superuser_in_the_admin_is_recorded_as_from_the_admin(staff):
    client, user = staff
    person = make_user("person@example.test")
    url = reverse("admin:accounts_user_change", args=[person.pk])

    response = client.post(url, admin_form_data(client.get(url), is_staff="on", is_superuser="on"))

    assert response.status_code == 302
    events = {e.key: e for e in AuditEvent.objects.filter(kind="changed", key__startswith=f"user:{person.pk}:")}
    assert {k: (e.old_value, e.new_value, e.actor, e.source) for k, e in events.items()} == {
        f"user:{person.pk}:is_staff": ("false", "true", user, "admin"),
        f"user:{person.pk}:is_superuser": ("false", "true", user, "admin"),
    }


def test_a_role_granted_in_the_admin_is_recorded_as_from_the_admin(staff, cast):
    client, user = staff
    url = reverse("admin:accounts_membership_add")
    data = admin_form_data(client.get(url), user=cast.outsider.pk, role=Role.CASE_OFFICER, office=cast.office.pk)

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=cast.outsider, role=Role.CASE_OFFICER)
    event = AuditEvent.objects.get(kind="changed", key=f"membership:{membership.pk}:added")
    assert (event.actor, event.source, event.office_id) == (user, "admin", cast.office.pk)


def test_a_role_granted_in_the_users_inline_is_recorded(staff, cast):
    client, user = staff
    url = reverse("admin:accounts_user_change", args=[cast.outsider.pk])
    data = admin_form_data(client.get(url))
    data.update({"memberships-TOTAL_FORMS": "1", "memberships-0-role": Role.FORUM_MEMBER})
    data["memberships-0-office"] = str(cast.office.pk)
    data["memberships-0-active"] = "on"
    data["memberships-0-user"] = str(cast.outsider.pk)

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=cast.outsider, role=Role.FORUM_MEMBER)
    assert AuditEvent.objects.filter(key=f"membership:{membership.pk}:added", actor=user, source="admin").exists()


def test_invitations_are_read_only_in_the_admin(staff, cast):
    client, _user = staff
    invitation = make_invitation(cast.governor, Role.FORUM_DEPUTY)
    url = reverse("admin:accounts_invitation_change", args=[invitation.pk])

    assert client.get(url).status_code == 200  # to read
    client.post(url, {"email": "annen@example.test", "role": Role.CASE_OFFICER})
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403
    assert (
        client.post(reverse("admin:accounts_invitation_delete", args=[invitation.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Invitation.objects.get(pk=invitation.pk).email == invitation.email


# Accepting an invitation adds a contact: on record, and an existing contact keeps its name and address.


def partner_invitation(cast, email):
    partner = cast.report.partnership.participants.get(side="partner").organisation
    return make_invitation(
        cast.owner_contact,
        Role.PARTNER_CONTACT,
        email,
        office=cast.office,
        organisation=partner,
        partnership=cast.report.partnership,
    )


def accept(client, user, invitation):
    client.force_login(user)
    return client.post(reverse("accounts:accept", args=[invitations.make_token(invitation)]))


def test_a_contact_added_by_accepting_an_invitation_is_on_the_reports_record(client, cast):
    person = make_user("ny.kontakt@example.test", first_name="Nina", last_name="Ny")

    response = accept(client, person, partner_invitation(cast, person.email))

    assert response.status_code == 302
    contact = Contact.objects.get(user=person)
    edit = FieldEdit.objects.get(report=cast.report, key=f"contact:{contact.pk}:added")
    assert (edit.old_value, edit.value, edit.by, edit.source) == (
        "",
        "Nina Ny, ny.kontakt@example.test",
        person,
        "form",
    )


def test_without_a_draft_the_contact_from_an_invitation_is_on_the_audit_record(client, cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status="submitted")
    person = make_user("ny.kontakt@example.test", first_name="Nina", last_name="Ny")

    accept(client, person, partner_invitation(cast, person.email))

    contact = Contact.objects.get(user=person)
    event = AuditEvent.objects.get(kind="changed", key=f"contact:{contact.pk}:added")
    assert (event.new_value, event.actor, event.source, event.office_id) == (
        "Nina Ny, ny.kontakt@example.test",
        person,
        "form",
        cast.office.pk,
    )
    assert not FieldEdit.objects.filter(key=f"contact:{contact.pk}:added").exists()


def test_accepting_an_invitation_does_not_overwrite_an_existing_contact(client, cast):
    contact = Contact.objects.get(user=cast.partner_contact)
    Contact.objects.filter(pk=contact.pk).update(name="Navnet partnerskapet ga", email="jobb@hogskole.no")
    edits = FieldEdit.objects.count()

    response = accept(client, cast.partner_contact, partner_invitation(cast, cast.partner_contact.email))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.email) == ("Navnet partnerskapet ga", "jobb@hogskole.no")
    assert Contact.objects.filter(user=cast.partner_contact).count() == 1
    assert FieldEdit.objects.count() == edits
