"""The change record as a person reads it: the report's change history and the audit page, with
their filters and CSV link, without accessibility violations."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lokalkomp.needs.models import FieldEdit
from lokalkomp.testing import make_measure

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Any, live_server: Any, user: Any) -> None:
    """The browser carries a session of `user` (the sign-in flow itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_report_history_and_the_audit_page_show_old_to_new_without_violations(live_server, page, cast):
    measure = make_measure(cast.report, 120_000, 50_000, name="Magisk måned")
    FieldEdit.record(cast.report, f"measure:{measure.pk}:owner_amount", old=120_000, new=150_000, by=cast.owner_contact)

    signed_in(page, live_server, cast.owner_contact)
    page.goto(live_server.url + cast.report.get_absolute_url())
    row = page.locator("#change-history tbody tr").first.inner_text().replace("\u00a0", " ")
    assert "kr 120 000" in row and "kr 150 000" in row and "skjemaet" in row
    assert axe_violations(page) == []

    page.context.clear_cookies()
    signed_in(page, live_server, cast.governor)
    page.goto(f"{live_server.url}/personer/revisjon/?person=owner")
    assert "kr 150 000" in page.locator("table").inner_text().replace("\u00a0", " ")
    assert "person=owner" in (page.locator("#audit-csv").get_attribute("href") or "")
    assert axe_violations(page) == []
