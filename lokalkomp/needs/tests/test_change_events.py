"""Every change to a report's money, accounts, participants, contacts and schemes is on record:
who, when, the old value and the new one, and from where (the form, an import, the admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.needs.models import (
    Contact,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    Participant,
    UnionParticipant,
)
from lokalkomp.testing import (
    admin_form_data,
    make_measure,
    make_organisation,
    make_user,
    mark_reauthenticated,
    sign_in_with_two_factor,
)

VALID_ORG = "974760673"  # Brønnøysundregistrene's own, MOD11-valid
VALID_ACCOUNT = "45162794918"


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    return client


@pytest.fixture
def staff(client, db):
    user = make_user(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, user)
    return client, user


def the_edit(report, key):
    return FieldEdit.objects.get(report=report, key=key)


def text(response):
    return response.content.decode().replace("\u00a0", " ")


def test_an_autosaved_amount_is_recorded_with_its_old_and_new_value_by_whom_from_the_form(owner, cast):
    measure = make_measure(cast.report, 120_000, 50_000)
    key = f"measure:{measure.pk}:owner_amount"

    response = owner.post(reverse("needs:save", args=[cast.report.pk]), {"key": key, key: "150 000"})

    assert response.status_code == 200
    edit = the_edit(cast.report, key)
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("120000", "150000", cast.owner_contact, "form")


def test_adding_a_participant_is_recorded_with_its_org_and_account_number(owner, cast):
    response = owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "participant"]),
        {
            "participant-side": "owner",
            "participant-name": "Leirfjord kommune",
            "participant-org_number": VALID_ORG,
            "participant-account_number": VALID_ACCOUNT,
        },
    )

    assert response.status_code == 302
    added = Participant.objects.get(partnership=cast.report.partnership, organisation__org_number=VALID_ORG)
    edit = the_edit(cast.report, f"participant:{added.pk}:added")
    assert (edit.old_value, edit.by, edit.source) == ("", cast.owner_contact, "form")
    assert "Leirfjord kommune" in edit.value and VALID_ORG in edit.value and "4516.27.94918" in edit.value


def test_removing_a_participant_is_recorded_with_what_it_was(owner, cast):
    other = Participant.objects.create(
        partnership=cast.report.partnership,
        organisation=make_organisation(name="Træna kommune", org_number=VALID_ORG),
        side="owner",
        account_number=VALID_ACCOUNT,
    )

    owner.post(reverse("needs:remove_row", args=[cast.report.pk, "participant", other.pk]))

    assert not Participant.objects.filter(pk=other.pk).exists()
    edit = the_edit(cast.report, f"participant:{other.pk}:removed")
    assert (edit.value, edit.by, edit.source) == ("", cast.owner_contact, "form")
    assert "Træna kommune" in edit.old_value and "4516.27.94918" in edit.old_value


def test_adding_and_removing_a_contact_is_recorded(owner, cast):
    lead = cast.report.partnership.participants.get(side="owner", is_lead=True)
    owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "contact"]),
        {"contact-participant": lead.pk, "contact-name": "Kari Nordmann", "contact-email": "kari@kommune.no"},
    )
    contact = Contact.objects.get(name="Kari Nordmann")
    added = the_edit(cast.report, f"contact:{contact.pk}:added")
    assert (added.old_value, added.value, added.by) == ("", "Kari Nordmann, kari@kommune.no", cast.owner_contact)

    owner.post(reverse("needs:remove_row", args=[cast.report.pk, "contact", contact.pk]))

    removed = the_edit(cast.report, f"contact:{contact.pk}:removed")
    assert (removed.old_value, removed.value, removed.by) == ("Kari Nordmann, kari@kommune.no", "", cast.owner_contact)


def test_adding_and_removing_a_union_participant_is_recorded(owner, cast):
    owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "union"]),
        {"union-role": "Plasstillitsvalgt", "union-name": "Ola"},
    )
    union = UnionParticipant.objects.get(report=cast.report, name="Ola")
    assert the_edit(cast.report, f"union:{union.pk}:added").value == "Plasstillitsvalgt: Ola"

    owner.post(reverse("needs:remove_row", args=[cast.report.pk, "union", union.pk]))

    removed = the_edit(cast.report, f"union:{union.pk}:removed")
    assert (removed.old_value, removed.value, removed.by, removed.source) == (
        "Plasstillitsvalgt: Ola",
        "",
        cast.owner_contact,
        "form",
    )


def test_removing_a_measure_is_recorded_with_its_name_and_amounts(owner, cast):
    measure = make_measure(cast.report, 70_000, 0, name="Koordinator")

    owner.post(reverse("needs:delete_measure", args=[cast.report.pk, measure.pk]))

    assert not Measure.objects.filter(pk=measure.pk).exists()
    edit = the_edit(cast.report, f"measure:{measure.pk}:removed")
    assert (edit.old_value, edit.value, edit.by) == ("Koordinator (70000 + 0)", "", cast.owner_contact)


def test_changing_the_schemes_is_recorded_old_to_new(client, cast):
    from lokalkomp.testing import add_contact, make_report, make_round

    round_2024 = make_round(cast.office, year=2024)
    report = make_report(round_2024, cast.report.partnership)
    report.report_schemes.exclude(scheme__code="dekomp").delete()
    add_contact(report, cast.owner_contact)
    client.force_login(cast.owner_contact)
    rekomp, dekomp = (round_2024.schemes.get(code=code) for code in ("rekomp", "dekomp"))

    client.post(reverse("needs:set_schemes", args=[report.pk]), {"schemes": [rekomp.pk, dekomp.pk]})

    edit = the_edit(report, "report:schemes")
    assert (edit.old_value, edit.value, edit.by, edit.source) == (
        "Desentralisert ordning",
        "Desentralisert ordning, Regional ordning",
        cast.owner_contact,
        "form",
    )


def test_the_report_page_shows_each_change_old_to_new_by_whom_and_from_where(owner, cast):
    measure = make_measure(cast.report, 120_000, 50_000, name="Magisk måned")
    key = f"measure:{measure.pk}:owner_amount"
    owner.post(reverse("needs:save", args=[cast.report.pk]), {"key": key, key: "150 000"})

    page = text(owner.get(reverse("needs:report", args=[cast.report.pk])))

    assert 'id="change-history"' in page
    row = page[page.index("Tiltak «Magisk måned»") :].split("</tr>")[0]
    assert "kr 120 000" in row and "kr 150 000" in row
    assert str(cast.owner_contact) in row and "skjemaet" in row


def test_a_system_comment_reads_in_the_readers_language_whatever_the_actors(cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status="submitted")
    cast.report.refresh_from_db()
    with translation.override("en"):  # the coordinator's UI is in English
        event = cast.report.reopen(by=cast.coordinator)

    event = NeedsReportEvent.objects.get(pk=event.pk)
    assert (event.note, event.code) == ("", "reopened")
    with translation.override("nb"):
        assert event.comment == "Gjenåpnet for endringer"
    with translation.override("nn"):
        assert event.comment == "Opna på nytt for endringar"


def test_a_persons_own_comment_is_kept_as_they_wrote_it(cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status="submitted")
    cast.report.refresh_from_db()

    event = cast.report.reopen(by=cast.coordinator, comment="Rett opp beløpet")

    with translation.override("en"):
        assert (NeedsReportEvent.objects.get(pk=event.pk).comment, event.code) == ("Rett opp beløpet", "")


# The Django admin: money, accounts, status and `reopened` are read-only; other changes are recorded.


def test_the_admin_keeps_amounts_read_only_and_records_a_changed_name_as_from_the_admin(staff, cast):
    client, user = staff
    measure = make_measure(cast.report, 120_000, 50_000, name="Lesing")
    url = reverse("admin:needs_measure_change", args=[measure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="owner_amount"' not in page.content.decode()

    response = client.post(url, admin_form_data(page, name="Lesing og skriving", owner_amount="999999"))

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.name, measure.owner_amount) == ("Lesing og skriving", 120_000)
    edit = the_edit(cast.report, f"measure:{measure.pk}:name")
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("Lesing", "Lesing og skriving", user, "admin")


def test_the_admin_cannot_change_a_reports_status_or_reopened(staff, cast):
    client, user = staff
    url = reverse("admin:needs_needsreport_change", args=[cast.report.pk])
    page = client.get(url)
    html = page.content.decode()
    for name in ("status", "reopened", "partnership", "round"):
        assert f'name="{name}"' not in html

    response = client.post(url, admin_form_data(page, status="submitted", reopened="on", public_schools="4"))

    assert response.status_code == 302
    report = NeedsReport.objects.get(pk=cast.report.pk)
    assert (report.status, report.reopened, report.public_schools) == ("draft", False, 4)
    edit = the_edit(report, f"report:{report.pk}:public_schools")
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("", "4", user, "admin")


def test_a_union_participant_removed_in_the_admin_is_recorded_as_from_the_admin(staff, cast):
    client, user = staff
    union = cast.report.union_participants.get()
    url = reverse("admin:needs_needsreport_change", args=[cast.report.pk])
    page = client.get(url)
    data = admin_form_data(page)
    prefix = next(
        k for k, v in data.items() if k.startswith("union_participants-") and k.endswith("-id") and v == str(union.pk)
    )[: -len("-id")]

    response = client.post(url, {**data, f"{prefix}-DELETE": "on"})

    assert response.status_code == 302
    assert not UnionParticipant.objects.filter(pk=union.pk).exists()
    edit = the_edit(cast.report, f"union:{union.pk}:removed")
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("Hovedtillitsvalgt: T", "", user, "admin")


def test_the_admin_shows_a_partnerships_account_numbers_read_only(staff, cast):
    client, _user = staff
    lead = cast.report.partnership.participants.get(side="owner", is_lead=True)
    Participant.objects.filter(pk=lead.pk).update(account_number=VALID_ACCOUNT)
    url = reverse("admin:needs_partnership_change", args=[cast.report.partnership.pk])
    page = client.get(url)
    html = page.content.decode()
    assert VALID_ACCOUNT in html and "account_number" not in "".join(
        line for line in html.splitlines() if "<input" in line
    )

    client.post(url, admin_form_data(page, **{"participants-0-account_number": "76940500660"}))

    lead.refresh_from_db()
    assert lead.account_number == VALID_ACCOUNT


def test_a_contact_changed_in_the_admin_is_on_the_audit_record_from_the_admin(staff, cast):
    client, user = staff
    contact = Contact.objects.get(user=cast.owner_contact)
    url = reverse("admin:needs_contact_change", args=[contact.pk])
    page = client.get(url)

    response = client.post(url, admin_form_data(page, email="ny@kommune.no"))

    assert response.status_code == 302
    event = AuditEvent.objects.get(kind="changed", key=f"contact:{contact.pk}:email")
    assert (event.old_value, event.new_value, event.actor, event.source, event.office_id) == (
        cast.owner_contact.email,
        "ny@kommune.no",
        user,
        "admin",
        cast.office.pk,
    )


def test_the_admin_may_not_delete_a_report_and_with_it_its_history(staff, cast):
    client, _user = staff
    response = client.post(reverse("admin:needs_needsreport_delete", args=[cast.report.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert NeedsReport.objects.filter(pk=cast.report.pk).exists()


def test_the_migration_turns_stored_system_comments_into_codes_and_keeps_a_persons_own(cast):
    import importlib

    from lokalkomp.testing import RenamedModels

    migration = importlib.import_module(
        "lokalkomp.needs.migrations.0004_change_record_old_value_source_and_system_comments"
    )
    submitted = NeedsReportEvent.objects.create(
        report=cast.report, to_status="submitted", note="Sendt inn til Nettverk 1"
    )
    reopened = NeedsReportEvent.objects.create(report=cast.report, to_status="draft", note="Reopened for changes")
    own = NeedsReportEvent.objects.create(report=cast.report, to_status="draft", note="Rett opp beløpet")

    migration.to_codes(RenamedModels(), None)

    rows = {e.pk: (e.note, e.code, e.params) for e in NeedsReportEvent.objects.filter(report=cast.report)}
    assert rows[submitted.pk] == ("", "submitted", {"to": "Nettverk 1"})
    assert rows[reopened.pk] == ("", "reopened", {})
    assert rows[own.pk] == ("Rett opp beløpet", "", {})
    with translation.override("en"):
        assert NeedsReportEvent.objects.get(pk=submitted.pk).comment == "Submitted to Nettverk 1"


def test_an_import_records_the_participants_and_contacts_it_added_as_from_an_import(db):
    from lokalkomp.needs.importer import parse_needs_report
    from lokalkomp.needs.imports import import_report
    from lokalkomp.needs.tests.forms import OWNER_ACCOUNT, default_text
    from lokalkomp.testing import make_office, make_round

    importer = make_user()
    outcome = import_report(
        parse_needs_report(default_text()), round=make_round(make_office(), year=2024), by=importer, filename="a.txt"
    )

    report = outcome.report
    edits = list(FieldEdit.objects.filter(report=report))
    participants = [e for e in edits if e.key.startswith("participant:") and e.key.endswith(":added")]
    contacts = [e for e in edits if e.key.startswith("contact:") and e.key.endswith(":added")]
    assert len(participants) == report.partnership.participants.count()
    assert len(contacts) == Contact.objects.filter(participant__partnership=report.partnership).count() > 0
    assert {(e.old_value, e.by, e.source) for e in participants + contacts} == {("", importer, "import")}
    assert any(f"{OWNER_ACCOUNT[:4]}.{OWNER_ACCOUNT[4:6]}.{OWNER_ACCOUNT[6:]}" in e.value for e in participants)
