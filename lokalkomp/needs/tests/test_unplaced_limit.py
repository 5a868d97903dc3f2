"""What an import cannot place in a field is kept up to a limit the import page states; a longer text is cut
where the report says so (issue 8: «give every text field a maximum length»: 480 000 characters there took
the PDF worker 109 s)."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalkomp.accounts.tests.real_flow import browser, sign_in, submit
from lokalkomp.needs.models import NeedsReport
from lokalkomp.needs.models.report import LONG_TEXT, UNPLACED_TEXT
from lokalkomp.needs.tests.forms import default_form, form_text
from lokalkomp.testing import admin_form_data, give_totp, make_user, sign_in_with_two_factor

CUT = (
    "[Cut here: an import keeps at most %(max)s characters of text it could not place. "
    "The other %(left)s characters are only in the uploaded file.]"
)
WARNED = (
    "The text that could not be placed in a field is longer than %(max)s characters: "
    "the report keeps its beginning and says where it was cut."
)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def said(msgid: str, **values: str) -> str:
    with translation.override("nb"):
        return gettext(msgid) % values


@pytest.fixture
def governor(cast):
    give_totp(cast.governor)
    client = browser()
    assert sign_in(client, cast.governor).status_code == 302
    return client


def import_with_description(client, cast, description: str):
    form = default_form()
    form.measures[0] = replace(form.measures[0], description=description)
    file = SimpleUploadedFile("behovsmelding.txt", form_text(form).encode())
    response = submit(client, reverse("needs:import"), {"round": cast.round.pk, "file": file})
    assert response.status_code == 302
    return NeedsReport.objects.exclude(pk=cast.report.pk).get(), client.get(response.url)


def test_an_imported_text_over_the_limit_is_cut_where_the_report_says_and_the_import_warns(cast, governor):
    long = "Lang tekst uten avsnitt. " * 20_000  # 500 000 characters, over the field's limit: all of it unplaced

    report, page = import_with_description(governor, cast, long)

    kept = report.unplaced_text
    assert len(kept) <= UNPLACED_TEXT
    before, notice = kept.rsplit("\n", 1)
    pattern = re.escape(said(CUT, max="20 000", left="LEFT")).replace("LEFT", "([0-9 ]+)")
    found = re.fullmatch(pattern, notice)
    assert found, notice
    assert before.endswith("…") and "Lang tekst uten avsnitt." in before
    assert len(before) + int(found[1].replace(" ", "")) >= len(long)  # what was left out is counted
    text = page_text(page)
    assert notice in text  # on the report page, in the imported text's box
    assert said(WARNED, max="20 000") in text
    assert NeedsReport._meta.get_field("unplaced_text").max_length == UNPLACED_TEXT


def test_an_imported_text_within_the_limit_is_kept_whole(cast, governor):
    long = "Lang tekst. " * (LONG_TEXT // 10)  # 12 000 characters: over the field's limit, under the report's

    report, page = import_with_description(governor, cast, long)

    assert long.strip() in report.unplaced_text and len(report.unplaced_text) < UNPLACED_TEXT
    assert "[" not in report.unplaced_text.rsplit("\n", 1)[-1][:1]
    assert said(WARNED, max="20 000") not in page_text(page)


def test_the_import_page_states_the_limit(cast, governor):
    page = page_text(governor.get(reverse("needs:import")))

    assert "20 000" in page.split('id="import-limits"')[1].split("</p>")[0]


def test_the_admin_refuses_an_unplaced_text_over_the_limit(cast):
    admin = Client()
    sign_in_with_two_factor(admin, make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:needs_needsreport_change", args=[cast.report.pk])
    data = admin_form_data(admin.get(url), unplaced_text="x" * (UNPLACED_TEXT + 1))

    response = admin.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    assert f"{UNPLACED_TEXT}" in page_text(response).replace(" ", "").replace("\u00a0", "")
    assert NeedsReport.objects.get(pk=cast.report.pk).unplaced_text == ""
