"""The Statsforvalter signs in with a password and a TOTP code, and invites a network coordinator,
who opens the e-mailed link in another browser, sets a password and lands signed in with the role.
Every page is scanned with axe-core."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.testing import make_governor_admin, make_network, make_office, totp_code

from .conftest import axe_violations

PASSWORD = "pw-Secret-123"
NEW_PASSWORD = "a-Long-passphrase-42"


@pytest.fixture
def office(transactional_db):
    cache.clear()
    return make_office("nordland")


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def test_the_statsforvalter_signs_in_with_two_factor_and_invites_a_coordinator(office, live_server, browser, page):
    admin = make_governor_admin(office, "statsforvalter@example.test")
    network = make_network(office)

    page.goto(f"{live_server.url}/konto/login/")
    assert_accessible(page)
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/2fa/authenticate/")
    assert_accessible(page)
    page.fill("input[name=code]", totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/personer/meg/")
    assert_accessible(page)
    page.click("main a[href='/personer/invitasjoner/ny/']")
    page.wait_for_load_state()
    # A sensitive action: a sign-in within the last minutes counts, otherwise the password once more.
    if "/konto/reauthenticate/" in page.url:
        assert_accessible(page)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_url("**/personer/invitasjoner/ny/")
    assert_accessible(page)
    page.fill("input[name=email]", "ny.koordinator@example.test")
    page.select_option("select[name=target]", f"coordinator.network.{network.pk}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/personer/invitasjoner/")
    assert page.get_by_role("cell", name="ny.koordinator@example.test").is_visible()
    assert_accessible(page)

    (message,) = mail.outbox
    found = re.search(r"https?://\S+(/personer/invitasjon/\S+/)", str(message.body))
    assert found, message.body
    link = found.group(1)
    invitee = browser.new_context(locale="nb-NO").new_page()
    invitee.goto(live_server.url + link)
    assert_accessible(invitee)
    invitee.fill("input[name=first_name]", "Nora")
    invitee.fill("input[name=last_name]", "Koordinator")
    invitee.fill("input[name=password1]", NEW_PASSWORD)
    invitee.fill("input[name=password2]", NEW_PASSWORD)
    invitee.click("main button[type=submit]")
    invitee.wait_for_url(f"{live_server.url}/")
    assert invitee.locator("header").get_by_text("Nora Koordinator", exact=True).is_visible()
    assert_accessible(invitee)

    invitee.goto(f"{live_server.url}/personer/meg/")
    assert invitee.get_by_text(str(network)).first.is_visible()
    assert_accessible(invitee)
    assert Membership.objects.filter(
        user__email="ny.koordinator@example.test", role=Role.NETWORK_COORDINATOR, network=network
    ).exists()
    invitee.context.close()
