"""Changes to the directory in the Django admin go through RecordedAdmin onto the audit record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Municipality, Organisation, Unit
from lokalkomp.testing import (
    admin_form_data,
    make_municipality,
    make_network,
    make_office,
    make_organisation,
    make_user,
    sign_in_with_two_factor,
)


@pytest.fixture
def staff(client, db):
    user = make_user("admin@directory.test", is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, user)
    return client, user


def changes(prefix: str) -> dict[str, tuple[str, str, str, str]]:
    """The recorded changes whose key starts with `prefix`: key → (old, new, actor's e-mail, source)."""
    events = AuditEvent.objects.filter(kind="changed", key__startswith=prefix).select_related("actor")
    return {e.key: (e.old_value, e.new_value, e.actor.email if e.actor else "", e.source) for e in events}


def change(client, model: str, obj, **values):
    url = reverse(f"admin:directory_{model}_change", args=[obj.pk])
    return client.post(url, admin_form_data(client.get(url), **values))


def test_a_renamed_organisation_is_recorded_field_by_field_from_the_admin(staff):
    client, user = staff
    organisation = make_organisation(name="Gammelt navn")

    response = change(client, "organisation", organisation, name="Nytt navn", short_name="NN")

    assert response.status_code == 302
    assert changes(f"organisation:{organisation.pk}:") == {
        f"organisation:{organisation.pk}:name": ("Gammelt navn", "Nytt navn", user.email, "admin"),
        f"organisation:{organisation.pk}:short_name": ("", "NN", user.email, "admin"),
    }


def test_org_and_account_numbers_cannot_be_changed_in_the_admin(staff):
    client, _user = staff
    organisation = make_organisation(org_number="938712441", account_number="45162794918")

    change(client, "organisation", organisation, org_number="918108467", account_number="76940500660")

    organisation.refresh_from_db()
    assert (organisation.org_number, organisation.account_number) == ("938712441", "45162794918")
    assert changes(f"organisation:{organisation.pk}:") == {}


def test_an_organisation_added_in_the_admin_is_recorded_with_its_number(staff):
    client, user = staff
    url = reverse("admin:directory_organisation_add")
    data = admin_form_data(client.get(url), kind="university", name="Nord universitet", org_number="938712441")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="Nord universitet")
    assert organisation.org_number == "938712441"
    assert changes(f"organisation:{organisation.pk}:") == {
        f"organisation:{organisation.pk}:added": ("", "Nord universitet", user.email, "admin")
    }


def test_an_invalid_org_number_is_refused_in_the_admin_with_nothing_recorded(staff):
    client, _user = staff
    url = reverse("admin:directory_organisation_add")

    response = client.post(url, admin_form_data(client.get(url), kind="university", name="X", org_number="938712442"))

    assert response.status_code == 200
    assert "ikke et gyldig organisasjonsnummer" in response.content.decode()
    assert not Organisation.objects.filter(name="X").exists()
    assert not AuditEvent.objects.filter(kind="changed").exists()


def test_confirming_organisations_as_reviewed_records_each_one_that_was_not(staff):
    client, user = staff
    typed = [make_organisation(reviewed=False), make_organisation(reviewed=False)]
    vouched = make_organisation()
    chosen = [o.pk for o in [*typed, vouched]]

    response = client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "confirm_reviewed", "_selected_action": chosen},
    )

    assert response.status_code == 302
    assert set(Organisation.objects.filter(pk__in=chosen, reviewed=True).values_list("pk", flat=True)) == set(chosen)
    assert changes("organisation:") == {
        f"organisation:{o.pk}:reviewed": ("false", "true", user.email, "admin") for o in typed
    }


def test_a_networks_member_owners_changed_in_the_admin_are_recorded_as_lists_for_its_office(staff):
    client, user = staff
    network = make_network(make_office())
    first, second = make_organisation(name="Alstahaug kommune"), make_organisation(name="Brønnøy kommune")
    network.owners.add(first)

    response = change(client, "network", network, owners=[str(first.pk), str(second.pk)])

    assert response.status_code == 302
    key = f"network:{network.pk}:owners"
    assert changes(key) == {key: ("Alstahaug kommune", "Alstahaug kommune, Brønnøy kommune", user.email, "admin")}
    assert AuditEvent.objects.get(key=key).office_id == network.office_id


def test_units_added_and_removed_in_the_organisations_inline_are_recorded(staff):
    client, user = staff
    organisation = make_organisation()
    old = Unit.objects.create(owner=organisation, kind=Unit.Kind.PUBLIC_SCHOOL, name="Gamle skole")
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    data = admin_form_data(client.get(url), **{"units-0-DELETE": "on"})
    data.update(
        {
            "units-TOTAL_FORMS": "2",
            "units-1-owner": str(organisation.pk),
            "units-1-kind": Unit.Kind.MUNICIPAL_KINDERGARTEN,
            "units-1-name": "Nye barnehage",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    new = Unit.objects.get(owner=organisation)
    assert new.name == "Nye barnehage"
    assert changes("unit:") == {
        f"unit:{old.pk}:removed": ("Gamle skole", "", user.email, "admin"),
        f"unit:{new.pk}:added": ("", "Nye barnehage", user.email, "admin"),
    }


def test_a_municipality_deleted_in_the_admin_is_recorded_before_it_goes(staff):
    client, user = staff
    municipality = make_municipality(number="9999")
    pk = municipality.pk

    response = client.post(reverse("admin:directory_municipality_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Municipality.objects.filter(pk=pk).exists()
    assert changes(f"municipality:{pk}:") == {
        f"municipality:{pk}:removed": (str(municipality), "", user.email, "admin")
    }


def test_units_deleted_together_from_the_list_are_each_recorded(staff):
    client, user = staff
    owner = make_organisation()
    units = [Unit.objects.create(owner=owner, kind=Unit.Kind.PP_SERVICE, name=f"PPT {n}") for n in range(2)]

    response = client.post(
        reverse("admin:directory_unit_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Unit.objects.filter(owner=owner).exists()
    assert changes("unit:") == {f"unit:{u.pk}:removed": (u.name, "", user.email, "admin") for u in units}
