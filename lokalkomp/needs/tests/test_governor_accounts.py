"""The Statsforvalter changes a side's account on the report page (issue 8: «only that side's contacts, or the
Statsforvalter, may change a side's account»): after the password, through the form's evented save, never
the submitted record. Through the real pages: sign-in with the code, CSRF, the report page's form."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.accounts.tests.real_flow import PASSWORD, browser, sign_in, submit
from lokalkomp.needs.models import FieldEdit, NeedsReport, NeedsReportVersion, Participant
from lokalkomp.testing import (
    complete,
    give_totp,
    make_organisation,
    make_partnership,
    make_report,
    make_round,
)

BEFORE_THE_DEADLINE = "2026-12-10 12:00 +01:00"
NEW_ACCOUNT = "12345678903"
OLD_ACCOUNT = "76940500660"  # complete()'s UH account

pytestmark = pytest.mark.cast(deadline=dt.date(2026, 12, 15))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # sign-in limits


@pytest.fixture
def clock():
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True) as traveller:
        yield traveller


@pytest.fixture
def governor(cast, clock):
    """The office's case officer, signed in with password and code a moment ago."""
    give_totp(cast.governor)
    client = browser()
    assert sign_in(client, cast.governor).status_code == 302
    return client


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def said(msgid: str) -> str:
    """The beginning of a message as the page says it (bokmål, the site's language): up to its first full stop."""
    with translation.override("nb"):
        return gettext(msgid).split(". ")[0]


def uh_of(report: NeedsReport) -> Participant:
    return Participant.objects.get(partnership=report.partnership, side="partner", is_lead=True)


def change(client, report, participant, **values):
    """The account form on the report page, posted as the browser posts it (the base is the page's)."""
    page = client.get(reverse("needs:report", args=[report.pk]))
    assert page.status_code == 200
    base = {"base_account_number": participant.account_number, "base_payment_reference": participant.payment_reference}
    data = {"account_number": participant.account_number, "payment_reference": participant.payment_reference}
    return submit(
        client,
        reverse("needs:report", args=[report.pk]),
        base | data | values,
        to=reverse("needs:change_account", args=[report.pk, participant.pk]),
    )


def submitted(cast) -> NeedsReport:
    complete(cast.report)
    NeedsReport.objects.get(pk=cast.report.pk).submit(by=cast.owner_contact)
    return NeedsReport.objects.get(pk=cast.report.pk)


def test_the_statsforvalter_changes_a_drafts_account_only_after_confirming_the_password(cast, governor, clock):
    uh = uh_of(cast.report)
    clock.shift(dt.timedelta(minutes=30))  # the sign-in is no longer recent

    asked = change(governor, cast.report, uh, account_number="1234 56 78903")

    assert asked.status_code == 302 and asked.url.startswith(reverse("account_reauthenticate"))
    assert Participant.objects.get(pk=uh.pk).account_number == ""
    wrong = submit(governor, asked.url, {"password": "not-the-password"})
    assert wrong.status_code == 200 and Participant.objects.get(pk=uh.pk).account_number == ""
    confirmed = submit(governor, asked.url, {"password": PASSWORD})

    assert confirmed.status_code == 302  # the interrupted change was sent again
    assert Participant.objects.get(pk=uh.pk).account_number == NEW_ACCOUNT
    edit = FieldEdit.objects.get(report=cast.report, key=f"participant:{uh.pk}:account_number")
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("", NEW_ACCOUNT, cast.governor, "form")
    page = page_text(governor.get(reverse("needs:report", args=[cast.report.pk])))
    assert "4516.27.94918" in page  # the form's hint
    assert 'value="1234.56.78903"' in page  # the account form shows the number now stored


def test_on_a_submitted_report_it_changes_the_partnerships_current_data_and_not_the_record(cast, governor):
    report = submitted(cast)
    uh = uh_of(report)
    page = page_text(governor.get(reverse("needs:report", args=[report.pk])))
    note = said(
        "A submitted version keeps the account numbers it was submitted with. What you change here is the "
        "partnership's current data, which its next needs report starts from."
    )
    assert note in page

    response = change(governor, report, uh, account_number=NEW_ACCOUNT)

    assert response.status_code == 302 and response.url.endswith(f"#account-{uh.pk}")
    assert Participant.objects.get(pk=uh.pk).account_number == NEW_ACCOUNT
    [kept] = [p for p in NeedsReportVersion.objects.get(report=report).data["participants"] if p["side"] == "partner"]
    assert kept["account_number"] == OLD_ACCOUNT
    record_table = page_text(governor.get(reverse("needs:report", args=[report.pk]))).split('id="accounts"')[0]
    assert "7694.05.00660" in record_table and "1234.56.78903" not in record_table
    assert not FieldEdit.objects.filter(key=f"participant:{uh.pk}:account_number").exists()
    event = AuditEvent.objects.get(key=f"participant:{uh.pk}:account_number")
    assert (event.old_value, event.new_value, event.actor, event.source, event.office_id) == (
        OLD_ACCOUNT,
        NEW_ACCOUNT,
        cast.governor,
        "form",
        cast.office.pk,
    )


def test_on_a_submitted_report_with_next_years_draft_the_change_is_on_that_drafts_record(cast, governor):
    report = submitted(cast)
    draft = make_report(make_round(cast.office, year=2028), report.partnership)
    uh = uh_of(report)

    response = change(governor, report, uh, account_number=NEW_ACCOUNT, payment_reference="Fjordløftet 2028")

    assert response.status_code == 302
    edits = FieldEdit.objects.filter(report=draft).values_list("key", "old_value", "value", "by", "source")
    assert set(edits) == {
        (f"participant:{uh.pk}:account_number", OLD_ACCOUNT, NEW_ACCOUNT, cast.governor.pk, "form"),
        (f"participant:{uh.pk}:payment_reference", "", "Fjordløftet 2028", cast.governor.pk, "form"),
    }
    [kept] = [p for p in NeedsReportVersion.objects.get(report=report).data["participants"] if p["side"] == "partner"]
    assert (kept["account_number"], kept["payment_reference"]) == (OLD_ACCOUNT, "")


def test_an_invalid_account_number_is_refused_in_norwegian_and_what_was_typed_is_kept(cast, governor):
    uh = uh_of(cast.report)

    response = change(governor, cast.report, uh, account_number="1234.56.78900", payment_reference="Merk: Haugen")

    assert response.status_code == 422
    page = page_text(response)
    assert "1234.56.78900 er ikke et gyldig kontonummer" in page
    assert 'value="1234.56.78900"' in page and 'value="Merk: Haugen"' in page
    assert 'aria-invalid="true"' in page
    assert Participant.objects.get(pk=uh.pk).account_number == ""
    assert not FieldEdit.objects.filter(report=cast.report).exists()


def test_a_change_made_by_someone_else_meanwhile_is_not_overwritten(cast, governor):
    uh = uh_of(cast.report)
    seen = Participant.objects.get(pk=uh.pk)  # as the page showed it
    Participant.objects.filter(pk=uh.pk).update(account_number=OLD_ACCOUNT)  # the UH's contact, a moment later

    response = change(governor, cast.report, seen, account_number=NEW_ACCOUNT)

    assert response.status_code == 409
    assert said(
        "Someone else changed this field after you started. Your text is kept here; choose what to keep."
    ) in page_text(response)
    assert Participant.objects.get(pk=uh.pk).account_number == OLD_ACCOUNT


def test_a_payment_reference_alone_is_changed_without_the_password(cast, governor, clock):
    uh = uh_of(cast.report)
    clock.shift(dt.timedelta(minutes=30))

    response = change(governor, cast.report, uh, payment_reference="Haugen – Fjordløftet")

    assert response.status_code == 302
    assert Participant.objects.get(pk=uh.pk).payment_reference == "Haugen – Fjordløftet"


def test_only_the_offices_statsforvalter_may_use_it(cast, clock):
    uh = uh_of(cast.report)
    url = reverse("needs:change_account", args=[cast.report.pk, uh.pk])
    data = {"account_number": NEW_ACCOUNT, "payment_reference": ""}
    statuses = {}
    for person in (cast.partner_contact, cast.owner_contact, cast.forum_member, cast.other_office_governor):
        client = browser()
        give_totp(person)
        sign_in(client, person)
        statuses[person] = submit(client, reverse("account_logout"), data, to=url).status_code
        assert f'id="account-{uh.pk}"' not in page_text(client.get(cast.report.get_absolute_url()))

    # The UH's contact changes it in the form, not here; the forum reads; the other office is a stranger.
    assert list(statuses.values()) == [403, 403, 403, 404]
    assert Participant.objects.get(pk=uh.pk).account_number == ""


def test_a_participant_of_another_partnership_is_404_and_a_get_is_405(cast, governor):
    other = make_partnership(cast.office)
    stranger = other.participants.get(side="partner")
    url = reverse("needs:change_account", args=[cast.report.pk, stranger.pk])

    assert submit(governor, cast.report.get_absolute_url(), {"account_number": NEW_ACCOUNT}, to=url).status_code == 404
    assert (
        governor.get(reverse("needs:change_account", args=[cast.report.pk, uh_of(cast.report).pk])).status_code == 405
    )
    assert Participant.objects.get(pk=stranger.pk).account_number == ""


@pytest.mark.parametrize("submit_first", [False, True])
@pytest.mark.parametrize("more", [0, 6])
def test_the_report_page_with_the_account_forms_takes_at_most_15_queries(
    cast, governor, more, submit_first, django_assert_max_num_queries
):
    for _n in range(more):
        Participant.objects.create(partnership=cast.report.partnership, organisation=make_organisation(), side="owner")
    if submit_first:
        submitted(cast)
    url = reverse("needs:report", args=[cast.report.pk])
    governor.get(url)

    with django_assert_max_num_queries(15):
        page = page_text(governor.get(url))

    assert len(re.findall(r'<form [^>]*id="account-[0-9]+"', page)) == 2 + more
