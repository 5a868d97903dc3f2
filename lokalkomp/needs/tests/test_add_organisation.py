"""One way to create an organisation: the web form and the import both call `Organisation.objects.for_party`.

A fagskole added on the web used to be stored as a university; the import guessed the kind from the name.
Now the person may choose the kind, and the name decides it only when no kind is chosen, in both.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.importer import parse_needs_report
from lokalkomp.needs.imports import import_report
from lokalkomp.needs.models import Participant
from lokalkomp.needs.tests.forms import PARTNER_ORG_NUMBER, default_text
from lokalkomp.testing import make_office, make_organisation, make_round

FAGSKOLE_NUMBER = "974760673"  # a valid organisation number (MOD11) no organisation in the tests has


@pytest.fixture
def owner(client: Client, cast) -> Client:
    client.force_login(cast.owner_contact)
    return client


def add(client: Client, cast, **data: str):
    fields = {"side": "partner", "name": "Fagskolen i Nordland", "org_number": FAGSKOLE_NUMBER} | data
    url = reverse("needs:add_row", args=[cast.report.pk, "participant"])
    return client.post(url, {f"participant-{name}": value for name, value in fields.items()})


def test_a_fagskole_added_on_the_web_with_its_kind_chosen_is_stored_as_a_fagskole(owner, cast):
    response = add(owner, cast, name="Nordland fagskoletilbud", kind="vocational_college")
    assert response.status_code == 302
    organisation = Organisation.objects.get(org_number=FAGSKOLE_NUMBER)
    assert (organisation.kind, organisation.reviewed) == (Organisation.Kind.VOCATIONAL_COLLEGE, False)
    assert Participant.objects.get(organisation=organisation).side == Participant.Side.PARTNER


def test_a_fagskole_added_on_the_web_without_a_kind_is_known_by_its_name(owner, cast):
    assert add(owner, cast).status_code == 302
    assert Organisation.objects.get(org_number=FAGSKOLE_NUMBER).kind == Organisation.Kind.VOCATIONAL_COLLEGE


def test_a_university_added_on_the_web_is_stored_as_a_university(owner, cast):
    assert add(owner, cast, name="Høgskolen på Haugen").status_code == 302
    assert Organisation.objects.get(org_number=FAGSKOLE_NUMBER).kind == Organisation.Kind.UNIVERSITY


def test_a_county_municipality_added_on_the_web_is_stored_as_one(owner, cast):
    response = add(owner, cast, side="owner", name="Nordland fylkeskommune")
    assert response.status_code == 302
    assert Organisation.objects.get(org_number=FAGSKOLE_NUMBER).kind == Organisation.Kind.COUNTY_MUNICIPALITY


def test_a_kind_of_the_other_side_is_refused_with_a_message_and_nothing_is_created(owner, cast):
    response = add(owner, cast, side="owner", kind="vocational_college")
    assert response.status_code == 422
    assert "Velg en type som hører til på siden du har valgt." in response.content.decode()
    assert not Organisation.objects.filter(org_number=FAGSKOLE_NUMBER).exists()


def test_the_form_offers_the_kinds_of_both_sides(owner, cast):
    page = owner.get(reverse("needs:edit_section", args=[cast.report.pk, "partnership"])).content.decode()
    for kind in (*Organisation.OWNER_KINDS, *Organisation.PARTNER_KINDS):
        assert f'<option value="{kind}">' in page
    assert '<option value="governor">' not in page


def test_a_fagskole_on_an_imported_form_is_stored_as_a_fagskole(db):
    round = make_round(make_office(), year=2024)
    outcome = import_report(
        parse_needs_report(default_text(partner_names="Fagskolen i Nordland")), round=round, by=None, filename="a.txt"
    )
    assert outcome.report is not None
    organisation = Organisation.objects.get(org_number=PARTNER_ORG_NUMBER)
    assert (organisation.name, organisation.kind) == ("Fagskolen i Nordland", Organisation.Kind.VOCATIONAL_COLLEGE)
    assert organisation.reviewed is False


def test_a_university_on_an_imported_form_is_stored_as_a_university(db):
    round = make_round(make_office(), year=2024)
    import_report(parse_needs_report(default_text()), round=round, by=None, filename="a.txt")
    assert Organisation.objects.get(org_number=PARTNER_ORG_NUMBER).kind == Organisation.Kind.UNIVERSITY


def test_for_party_returns_the_organisation_a_number_already_has_unchanged(db):
    known = make_organisation(Organisation.Kind.UNIVERSITY, name="Nord universitet", org_number=FAGSKOLE_NUMBER)
    found, created = Organisation.objects.for_party(name="Fagskolen", owner=False, org_number=FAGSKOLE_NUMBER)
    assert (found, created) == (known, False)
    known.refresh_from_db()
    assert (known.name, known.kind, known.reviewed) == ("Nord universitet", Organisation.Kind.UNIVERSITY, True)


def test_for_party_refuses_a_kind_of_the_other_side(db):
    with pytest.raises(ValueError, match="vocational_college"):
        Organisation.objects.for_party(name="Vefsn kommune", owner=True, kind=Organisation.Kind.VOCATIONAL_COLLEGE)
    assert not Organisation.objects.filter(name="Vefsn kommune").exists()
