"""What a reviewer found: reopening comments, unreviewed organisations, removals on record, and a
participant's record read in the reader's language."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Organisation
from lokalkomp.needs.history import report_history
from lokalkomp.needs.models import Contact, FieldEdit, NeedsReport, NeedsReportEvent, Participant
from lokalkomp.needs.tests.test_edit_submit import AFTER, DEADLINE, submitted
from lokalkomp.needs.tests.test_small_leaks import add_participant, org_number
from lokalkomp.testing import (
    complete,
    make_organisation,
    make_partnership,
    make_user,
    mark_reauthenticated,
    sign_in_with_two_factor,
)

VALID_ACCOUNT = "45162794918"
pytestmark = pytest.mark.cast(deadline=DEADLINE)  # the reopening tests submit before it, reopen after


def reopen(client, cast, comment):
    submitted(cast)
    with time_machine.travel(AFTER, tick=False):
        client.force_login(cast.coordinator)
        return client.post(reverse("needs:reopen", args=[cast.report.pk]), {"comment": comment})


@pytest.mark.parametrize("comment", ["Rett\x00 opp", "x" * 2001])
def test_a_reopening_comment_with_a_nul_or_over_2000_characters_is_refused_in_norwegian_and_kept(client, cast, comment):
    complete(cast.report)
    response = reopen(client, cast, comment)

    assert response.status_code == 422
    body = response.content.decode()
    assert "usynlig kontrolltegn" in body if "\x00" in comment else "2000 eller færre tegn" in body
    assert f'value="{comment}"' in body  # what was typed is there to correct
    assert NeedsReport.objects.get(pk=cast.report.pk).status == "submitted"
    assert NeedsReportEvent.objects.filter(report=cast.report).count() == 1


def test_a_reopening_comment_of_2000_characters_is_kept_whole(client, cast):
    complete(cast.report)
    response = reopen(client, cast, "y" * 2000)

    assert response.status_code == 302
    assert NeedsReportEvent.objects.filter(report=cast.report).last().comment == "y" * 2000


# Organisations first typed into a form are outside the directory until the Statsforvalter confirms them.


def test_an_organisation_made_by_an_import_awaits_review(db):
    from lokalkomp.needs.importer import parse_needs_report
    from lokalkomp.needs.imports import import_report
    from lokalkomp.needs.tests.forms import default_text
    from lokalkomp.testing import make_office, make_round

    before = set(Organisation.objects.values_list("pk", flat=True))
    import_report(parse_needs_report(default_text()), round=make_round(make_office(), year=2024), by=make_user())

    created = Organisation.objects.exclude(pk__in=before)
    assert created.exists()
    assert not created.filter(reviewed=True).exists()


def test_an_unreviewed_organisation_from_another_partnership_is_not_offered(cast):
    stranger = make_organisation(org_number=org_number(), name="Skrevet inn et annet sted", reviewed=False)
    Participant.objects.create(partnership=make_partnership(cast.office), organisation=stranger, side="owner")

    response = add_participant(cast, "owner", stranger.org_number)

    assert response.status_code == 422
    assert "venter på at Statsforvalteren bekrefter" in response.content.decode()
    assert not Participant.objects.filter(partnership=cast.report.partnership, organisation=stranger).exists()


def test_the_statsforvalter_confirms_an_organisation_in_the_admin_and_it_is_recorded(client, db):
    staff = make_user(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, staff)
    typed = make_organisation(org_number=org_number(), reviewed=False)

    response = client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "confirm_reviewed", "_selected_action": [typed.pk]},
    )

    assert response.status_code == 302
    assert Organisation.objects.get(pk=typed.pk).reviewed
    event = AuditEvent.objects.get(key=f"organisation:{typed.pk}:reviewed")
    assert (event.old_value, event.new_value, event.actor, event.source) == ("false", "true", staff, "admin")


# Removing a participant removes its contacts: each one goes on record.


def test_removing_a_participant_records_the_removal_of_each_of_its_contacts(client, cast):
    other = Participant.objects.create(
        partnership=cast.report.partnership, organisation=make_organisation(org_number=org_number()), side="owner"
    )
    first = Contact.objects.create(participant=other, name="Kari Nordmann", email="kari@kommune.no")
    second = Contact.objects.create(participant=other, name="Ola Nordmann")
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)

    client.post(reverse("needs:remove_row", args=[cast.report.pk, "participant", other.pk]))

    assert not Contact.objects.filter(pk__in=[first.pk, second.pk]).exists()
    removed = {e.key: e for e in FieldEdit.objects.filter(report=cast.report, key__startswith="contact:")}
    assert removed[f"contact:{first.pk}:removed"].old_value == "Kari Nordmann, kari@kommune.no"
    assert removed[f"contact:{second.pk}:removed"].old_value == "Ola Nordmann"
    assert {(e.by, e.source, e.value) for e in removed.values()} == {(cast.owner_contact, "form", "")}


# A participant's record holds codes and numbers, and reads in the reader's language.


def test_a_removed_participant_reads_in_the_readers_language(client, cast):
    other = Participant.objects.create(
        partnership=cast.report.partnership,
        organisation=make_organisation(name="Træna kommune", org_number="974760673"),
        side="owner",
        account_number=VALID_ACCOUNT,
    )
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    client.post(reverse("needs:remove_row", args=[cast.report.pk, "participant", other.pk]))

    stored = FieldEdit.objects.get(key=f"participant:{other.pk}:removed").old_value
    assert "konto" not in stored and "Eier" not in stored and "owner" in stored
    with translation.override("nb"):
        nb = [c.old for c in report_history(cast.report) if "Træna" in c.old]
    with translation.override("en"):
        en = [c.old for c in report_history(cast.report) if "Træna" in c.old]
    assert nb == ["Træna kommune, Eier, org.nr. 974760673, konto 4516.27.94918"]
    assert en == ["Træna kommune, Owner, org. no. 974760673, account 4516.27.94918"]
