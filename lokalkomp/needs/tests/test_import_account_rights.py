"""The Word import writes an account number only as the form would: that side's contacts, or the Statsforvalter,
after a recent sign-in (issue 8). Otherwise it leaves it empty and the report page says why, and where to fill
it in (a form that asks for the password). Everything through the real pages: sign-in, CSRF, the upload."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalkomp.accounts.tests.real_flow import PASSWORD, browser, csrf_of, sign_in, submit
from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import FieldEdit, NeedsReport, Participant
from lokalkomp.needs.tests.forms import (
    OWNER_ACCOUNT,
    OWNER_ORG_NUMBER,
    PARTNER_ACCOUNT,
    PARTNER_ORG_NUMBER,
    default_form,
    default_text,
    form_text,
)
from lokalkomp.testing import give_totp, make_round

BEFORE_THE_DEADLINE = "2026-12-10 12:00 +01:00"
LONG_AGO = dt.timedelta(minutes=30)  # the sign-in is no longer recent (ACCOUNT_REAUTHENTICATION_TIMEOUT: 5 min)

pytestmark = pytest.mark.cast(deadline=dt.date(2026, 12, 15))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # sign-in limits


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def own_partnership_form(cast) -> bytes:
    """The form, naming the cast's own partnership (its two paid organisations by number), with both accounts."""
    leads = {p.side: p.organisation for p in cast.report.partnership.participants.filter(is_lead=True)}
    Organisation.objects.filter(pk=leads["owner"].pk).update(org_number=OWNER_ORG_NUMBER)
    Organisation.objects.filter(pk=leads["partner"].pk).update(org_number=PARTNER_ORG_NUMBER)
    return form_text(default_form()).encode()


def upload(client, round, data: bytes):
    """The import page's form, posted as the browser posts it; then the page it lands on."""
    file = SimpleUploadedFile("behovsmelding.txt", data)
    response = submit(client, reverse("needs:import"), {"round": round.pk, "file": file})
    assert response.status_code == 302, page_text(response)[:500]
    return response, client.get(response.url)


def leads_of(report: NeedsReport) -> dict[str, Participant]:
    return {p.side: p for p in Participant.objects.filter(partnership=report.partnership, is_lead=True)}


def said(msgid: str, **values: str) -> str:
    """A message as the page says it (bokmål, the site's language)."""
    with translation.override("nb"):
        return (gettext(msgid) % values).replace("\u00a0", " ")


NOT_RECENT = (
    "The account number %(account)s for %(organisation)s was not filled in from the form, because you "
    "have not confirmed your password in the last few minutes."
)
NOT_THEIR_SIDE = (
    "The account number %(account)s for %(organisation)s was not filled in from the form: only "
    "that side's contact persons, or the Statsforvalter, may set it. They fill it in the form."
)


def organisation(p: Participant) -> str:
    with translation.override("nb"):
        return f"{p.organisation} ({p.get_side_display()})"


def test_a_contact_who_signed_in_long_ago_imports_with_no_account_number_filled_in_and_is_told_where_to_fill_them(
    cast,
):
    round_2028 = make_round(cast.office, year=2028)
    form = own_partnership_form(cast)
    client = browser()
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True) as clock:
        assert sign_in(client, cast.owner_contact).status_code == 302
        clock.shift(LONG_AGO)
        _response, report_page = upload(client, round_2028, form)

    report = NeedsReport.objects.get(round=round_2028)
    leads = leads_of(report)
    assert (leads["owner"].account_number, leads["partner"].account_number) == ("", "")
    assert not FieldEdit.objects.filter(report=report, key__endswith=":account_number").exists()
    page = page_text(report_page)
    owner, partner = leads["owner"], leads["partner"]
    assert said(NOT_RECENT, account="1503.12.34562", organisation=organisation(owner)) in page
    form_url = reverse("needs:edit_section", args=[report.pk, "partnership"]) + f"#participant-{owner.pk}"
    assert f'href="{form_url}" id="fill-account-{owner.pk}"' in page
    # The other side's account: not theirs to set, whenever they signed in; no link to fill it in.
    assert said(NOT_THEIR_SIDE, account="1506.98.76541", organisation=organisation(partner)) in page
    assert f'id="fill-account-{partner.pk}"' not in page


def test_the_link_leads_to_the_form_which_saves_the_account_only_after_the_password(cast):
    round_2028 = make_round(cast.office, year=2028)
    form = own_partnership_form(cast)
    client = browser()
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True) as clock:
        sign_in(client, cast.owner_contact)
        clock.shift(LONG_AGO)
        _response, report_page = upload(client, round_2028, form)
        report = NeedsReport.objects.get(round=round_2028)
        owner = leads_of(report)["owner"]
        link = re.search(rf'href="([^"]+)" id="fill-account-{owner.pk}"', page_text(report_page))
        assert link
        key = f"participant:{owner.pk}:account_number"
        form_page = client.get(link[1].split("#")[0])
        assert f'id="{key.replace(":", "-")}"' in page_text(form_page)

        asked = client.post(
            reverse("needs:save_section", args=[report.pk, "partnership"]),
            {key: OWNER_ACCOUNT, "csrfmiddlewaretoken": csrf_of(form_page)},
        )
        assert asked.status_code == 302 and asked.url.startswith(reverse("account_reauthenticate"))
        assert Participant.objects.get(pk=owner.pk).account_number == ""
        confirmed = submit(client, asked.url, {"password": PASSWORD})

    assert confirmed.status_code == 302
    assert Participant.objects.get(pk=owner.pk).account_number == OWNER_ACCOUNT
    edit = FieldEdit.objects.get(report=report, key=key)
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("", OWNER_ACCOUNT, cast.owner_contact, "form")


def test_a_contact_just_signed_in_fills_in_the_own_sides_account_from_the_import_and_not_the_other_sides(cast):
    round_2028 = make_round(cast.office, year=2028)
    form = own_partnership_form(cast)
    client = browser()
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True):
        sign_in(client, cast.owner_contact)
        _response, report_page = upload(client, round_2028, form)

    report = NeedsReport.objects.get(round=round_2028)
    leads = leads_of(report)
    assert (leads["owner"].account_number, leads["partner"].account_number) == (OWNER_ACCOUNT, "")
    edit = FieldEdit.objects.get(report=report, key=f"participant:{leads['owner'].pk}:account_number")
    assert (edit.value, edit.by, edit.source) == (OWNER_ACCOUNT, cast.owner_contact, "import")
    assert not FieldEdit.objects.filter(report=report, key=f"participant:{leads['partner'].pk}:account_number")
    page = page_text(report_page)
    assert said(NOT_THEIR_SIDE, account="1506.98.76541", organisation=organisation(leads["partner"])) in page
    assert "fill-account-" not in page


def test_the_statsforvalter_just_signed_in_fills_in_both_accounts_of_a_new_partnership(cast):
    give_totp(cast.governor)
    client = browser()
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True):
        assert sign_in(client, cast.governor).status_code == 302
        _response, report_page = upload(client, cast.round, default_text().encode())

    report = NeedsReport.objects.exclude(pk=cast.report.pk).get()
    leads = leads_of(report)
    assert (leads["owner"].account_number, leads["partner"].account_number) == (OWNER_ACCOUNT, PARTNER_ACCOUNT)
    assert "fill-account-" not in page_text(report_page)


def test_the_statsforvalter_who_signed_in_long_ago_is_sent_to_the_account_form_on_the_report_page(cast):
    give_totp(cast.governor)
    client = browser()
    with time_machine.travel(BEFORE_THE_DEADLINE, tick=True) as clock:
        sign_in(client, cast.governor)
        clock.shift(LONG_AGO)
        _response, report_page = upload(client, cast.round, default_text().encode())
        report = NeedsReport.objects.exclude(pk=cast.report.pk).get()
        leads = leads_of(report)
        assert (leads["owner"].account_number, leads["partner"].account_number) == ("", "")
        # nor in the directory, where the import made the two organisations
        assert {leads["owner"].organisation.account_number, leads["partner"].organisation.account_number} == {""}
        page = page_text(report_page)
        for side, account in (("owner", "1503.12.34562"), ("partner", "1506.98.76541")):
            lead = leads[side]
            assert said(NOT_RECENT, account=account, organisation=organisation(lead)) in page
            url = reverse("needs:report", args=[report.pk]) + f"#account-{lead.pk}"
            assert f'href="{url}" id="fill-account-{lead.pk}"' in page
            assert f'id="account-{lead.pk}"' in page  # the account form is on that page

        owner = leads["owner"]
        asked = submit(
            client,
            reverse("needs:report", args=[report.pk]),
            {"account_number": OWNER_ACCOUNT, "payment_reference": "Fjordløftet", "base_account_number": ""},
            to=reverse("needs:change_account", args=[report.pk, owner.pk]),
        )
        assert asked.status_code == 302 and asked.url.startswith(reverse("account_reauthenticate"))
        assert Participant.objects.get(pk=owner.pk).account_number == ""
        confirmed = submit(client, asked.url, {"password": PASSWORD})

    assert confirmed.status_code == 302
    assert Participant.objects.get(pk=owner.pk).account_number == OWNER_ACCOUNT
    edit = FieldEdit.objects.get(report=report, key=f"participant:{owner.pk}:account_number")
    assert (edit.old_value, edit.value, edit.by, edit.source) == ("", OWNER_ACCOUNT, cast.governor, "form")
