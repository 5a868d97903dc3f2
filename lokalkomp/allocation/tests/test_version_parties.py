"""The parties of a submitted version (`NeedsReportVersionParty`): written with it, from its data, never changed.

The conflicts of interest join on these rows instead of reading every version's JSON, so they must say exactly
what the data says: the migration that fills them for older versions reads the data the same way.
"""

from __future__ import annotations

import importlib

import pytest

from lokalkomp.needs.models import Contact, NeedsReportVersionParty
from lokalkomp.needs.models.events import party_rows

from .assess_helpers import submitted_measure

pytestmark = pytest.mark.django_db


def rows(version):
    return sorted(
        (p.kind, p.organisation_id, p.name, p.user_id, p.email)
        for p in NeedsReportVersionParty.objects.filter(version=version)
    )


def expected(version):
    return sorted(
        (r["kind"], r.get("organisation_id"), r.get("name", ""), r.get("user_id"), r.get("email", ""))
        for r in party_rows(version.data)
    )


def test_a_submitted_version_names_its_organisations_and_contacts_in_rows_of_its_own(cast):
    measure = submitted_measure(cast.round, network=cast.network)
    report = measure.report
    participant = report.partnership.participants.get(side="owner")
    Contact.objects.create(participant=participant, user=None, name="Kari", email="Kari.Nordmann@Eksempel.NO")
    version = report.record_version(by=None)

    found = rows(version)
    organisations = {(kind, org) for kind, org, *_ in found if kind == "organisation"}
    assert organisations == {("organisation", p.organisation_id) for p in report.partnership.participants.all()}
    assert ("contact", None, "", None, "kari.nordmann@eksempel.no") in found  # in lower case, as compared
    assert found == expected(version)
    assert set(NeedsReportVersionParty.objects.filter(version=version).values_list("round", "partnership")) == {
        (report.round_id, report.partnership_id)
    }


def test_the_rows_are_a_record(cast):
    version = submitted_measure(cast.round, network=cast.network).report.versions.get()
    party = NeedsReportVersionParty.objects.filter(version=version).first()
    assert party is not None
    party.name = "Endret"
    with pytest.raises(TypeError):
        party.save()
    with pytest.raises(TypeError):
        party.delete()
    with pytest.raises(TypeError):
        NeedsReportVersionParty.objects.filter(version=version).update(name="Endret")
    with pytest.raises(TypeError):
        NeedsReportVersionParty.objects.filter(version=version).delete()


@pytest.mark.parametrize("read", ["model", "migration"])
def test_malformed_data_is_passed_over_never_raised(read):
    frozen = importlib.import_module("lokalkomp.needs.migrations.0014_version_parties").party_rows
    function = party_rows if read == "model" else frozen
    data = {
        "participants": [
            "not a participant",
            {"organisation_id": True, "organisation": "A bool is no id"},
            {"organisation_id": "12", "contacts": "not a list of contacts"},
            {"organisation_id": 7, "organisation": "Eide kommune", "contacts": [None, {"user": False, "email": ""}]},
            {"contacts": [{"user": 5, "email": " Ola@Eide.kommune.NO "}]},
        ]
    }
    assert function(data) == [
        {"kind": "organisation", "organisation_id": 7, "name": "Eide kommune"},
        {"kind": "contact", "user_id": 5, "email": "ola@eide.kommune.no"},
    ]
    assert function({}) == function({"participants": None}) == function([]) == []


def test_the_migration_reads_a_real_version_as_the_model_does(cast):
    frozen = importlib.import_module("lokalkomp.needs.migrations.0014_version_parties").party_rows
    version = submitted_measure(cast.round, network=cast.network).report.versions.get()
    assert frozen(version.data) == party_rows(version.data) != []
