"""«Partner 2» per measure (seed 002's utviklingspartner 2): chosen in the form, checked, and kept in the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.checks import problems
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.needs.records import record as records
from lokalkomp.needs.records.changes import diff
from lokalkomp.testing import make_measure, make_organisation, mark_reauthenticated

from .test_edit_autosave import autosave, body

ACCOUNT = "15032080119"  # a valid MOD11 account number, made up


@pytest.fixture
def measure(cast):
    return make_measure(cast.report, 100_000, 80_000, name="Lesing i barnehagen")


@pytest.fixture
def ntnu():
    return make_organisation(Organisation.Kind.UNIVERSITY, name="NTNU", org_number="974767880", account_number=ACCOUNT)


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    return client


def codes(report):
    return {p.code for p in problems(NeedsReport.objects.get(pk=report.pk))}


def test_the_owner_names_a_partner_2_of_an_allowed_kind_and_gives_it_part_of_the_uh_amount(owner, cast, measure, ntnu):
    key = f"measure:{measure.pk}:second_partner"
    assert autosave(owner, cast.report, key, str(ntnu.pk), base="").status_code == 200
    key = f"measure:{measure.pk}:second_partner_amount"
    assert autosave(owner, cast.report, key, "30 000", base="0").status_code == 200
    measure.refresh_from_db()
    assert (measure.second_partner_id, measure.second_partner_amount, measure.first_partner_amount) == (
        ntnu.pk,
        30_000,
        50_000,
    )
    assert not {c for c in codes(cast.report) if c.startswith("second-partner")}


def test_the_measure_page_offers_the_partner_kinds_of_the_scheme_and_not_the_partnerships_own_partner(
    owner, cast, measure, ntnu
):
    page = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    own = cast.report.partnership.participants.get(side="partner", is_lead=True).organisation
    select = page.split(f'name="measure:{measure.pk}:second_partner"', 1)[1].split("</select>", 1)[0]
    assert f'value="{ntnu.pk}"' in select
    assert f'value="{own.pk}"' not in select
    assert f'value="{cast.report.partnership.participants.get(side="owner").organisation_id}"' not in select


@pytest.mark.parametrize("which", ["owner kind", "own partner", "unknown"])
def test_partner_2_is_refused_when_it_is_not_an_allowed_other_partner(owner, cast, measure, which):
    org_id = {
        "owner kind": lambda: make_organisation(Organisation.Kind.MUNICIPALITY).pk,
        "own partner": lambda: cast.report.partnership.participants.get(side="partner").organisation_id,
        "unknown": lambda: 999_999_999_999_999_999,  # 18 digits: above an integer column, on PostgreSQL too
    }[which]()
    response = autosave(owner, cast.report, f"measure:{measure.pk}:second_partner", str(org_id), base="")
    assert response.status_code == 422
    assert "ds-validation-message" in body(response)
    measure.refresh_from_db()
    assert measure.second_partner_id is None


def test_partner_2s_part_cannot_be_more_than_the_uh_amount(owner, cast, measure, ntnu):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:second_partner_amount", "80 001", base="0")
    assert response.status_code == 422
    assert "80 000" in body(response)
    measure.refresh_from_db()
    assert measure.second_partner_amount == 0


def test_the_checklist_asks_for_a_partner_2_when_money_is_given_to_one(cast, measure):
    Measure.objects.filter(pk=measure.pk).update(second_partner_amount=10_000)
    assert f"second-partner-{measure.pk}" in codes(cast.report)


def test_the_checklist_refuses_a_partner_2_without_an_account_number_in_the_register(cast, measure):
    nameless = make_organisation(Organisation.Kind.UNIVERSITY, name="UiT")
    Measure.objects.filter(pk=measure.pk).update(second_partner=nameless, second_partner_amount=10_000)
    assert f"second-partner-{measure.pk}-account" in codes(cast.report)
    Organisation.objects.filter(pk=nameless.pk).update(account_number=ACCOUNT)
    assert f"second-partner-{measure.pk}-account" not in codes(cast.report)


def test_the_checklist_catches_a_uh_amount_lowered_below_partner_2s_part(cast, measure, ntnu):
    Measure.objects.filter(pk=measure.pk).update(
        second_partner=ntnu, second_partner_amount=50_000, partner_amount=40_000
    )
    assert f"second-partner-{measure.pk}-amount" in codes(cast.report)


def test_the_checklist_refuses_a_partner_2_its_scheme_does_not_allow(cast, measure):
    college = make_organisation(Organisation.Kind.VOCATIONAL_COLLEGE, name="Fagskolen", account_number=ACCOUNT)
    Measure.objects.filter(pk=measure.pk).update(second_partner=college, second_partner_amount=10_000)
    allowed = measure.scheme.allowed_partner_kinds
    found = f"second-partner-kind-{measure.pk}" in codes(cast.report)
    assert found == (Organisation.Kind.VOCATIONAL_COLLEGE not in allowed)


def test_the_submitted_record_keeps_partner_2_as_the_register_had_it(cast, measure, ntnu):
    from lokalkomp.allocation.tests.assess_helpers import submit

    Measure.objects.filter(pk=measure.pk).update(second_partner=ntnu, second_partner_amount=30_000)
    submit(cast.report)
    Organisation.objects.filter(pk=ntnu.pk).update(name="NTNU (nytt navn)", account_number="")
    version = cast.report.versions.get()
    recorded = records.ReportRecord.from_data(version.data, version).measures[0]
    assert recorded.second_partner is not None
    assert (recorded.second_partner.name, recorded.second_partner.account_number) == ("NTNU", ACCOUNT)
    assert (recorded.second_partner_amount, recorded.first_partner_amount) == (30_000, 50_000)


def test_a_new_version_shows_partner_2_as_a_change(cast, measure, ntnu):
    from lokalkomp.needs.records.data import load, serialise

    before = serialise(load(cast.report.pk))
    Measure.objects.filter(pk=measure.pk).update(second_partner=ntnu, second_partner_amount=30_000)
    after = serialise(load(cast.report.pk))
    changes = {(c.old, c.new) for c in diff(before, after)}
    assert ("–", "NTNU (974 767 880)") in changes
    assert ("–", "kr 30 000") in {(c.old, c.new.replace("\u00a0", " ")) for c in diff(before, after)}
    assert diff(before, before) == []


def test_the_report_page_and_pdf_show_partner_2(owner, cast, measure, ntnu):
    Measure.objects.filter(pk=measure.pk).update(second_partner=ntnu, second_partner_amount=30_000)
    page = body(owner.get(reverse("needs:report", args=[cast.report.pk])))
    shown = page.split(f'id="measure-{measure.pk}-partner2">', 1)[1].split("</dd>", 1)[0]
    assert "NTNU" in shown and "30 000" in shown
