"""An account number changes only after a fresh sign-in, and only by that side's contacts, on every path that writes one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.models import Participant
from lokalkomp.testing import mark_reauthenticated

NEW_ACCOUNT = "12345678903"
REAUTH = "/konto/reauthenticate/"


@pytest.fixture
def sides(cast):
    participants = cast.report.partnership.participants
    return participants.get(side="owner"), participants.get(side="partner")


def signed_in(user, *, reauthenticated: bool = False) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if reauthenticated:
        mark_reauthenticated(client, user)
    return client


def post(client: Client, cast, url: str, data: dict, *, htmx: bool = False):
    """Open the form page first (the CSRF cookie), then post with the token, as the browser does."""
    client.get(reverse("needs:edit_section", args=[cast.report.pk, "partnership"]))
    token = client.cookies["csrftoken"].value
    headers = {"X-CSRFToken": token, **({"HX-Request": "true"} if htmx else {})}
    return client.post(url, {**data, "csrfmiddlewaretoken": token}, headers=headers)


def key(participant: Participant) -> str:
    return f"participant:{participant.pk}:account_number"


def account_of(participant: Participant) -> str:
    return Participant.objects.get(pk=participant.pk).account_number


def paths(cast, participant: Participant) -> dict[str, tuple[str, dict]]:
    """The four paths that save posted fields, each with the account number in its POST."""
    measure = cast.report.measures.create(scheme=cast.report.report_schemes.first().scheme, name="T", position=1)
    return {
        "autosave": (
            reverse("needs:save", args=[cast.report.pk]),
            {"key": key(participant), key(participant): NEW_ACCOUNT},
        ),
        "section": (
            reverse("needs:save_section", args=[cast.report.pk, "partnership"]),
            {key(participant): NEW_ACCOUNT},
        ),
        "measure": (reverse("needs:save_measure", args=[cast.report.pk, measure.pk]), {key(participant): NEW_ACCOUNT}),
        "units": (reverse("needs:save_section", args=[cast.report.pk, "units"]), {key(participant): NEW_ACCOUNT}),
    }


@pytest.mark.parametrize("path", ["section", "measure", "units"])
def test_a_form_save_that_changes_an_account_number_asks_for_the_password_first(cast, sides, path):
    owner, _partner = sides
    url, data = paths(cast, owner)[path]

    response = post(signed_in(cast.owner_contact), cast, url, data)

    assert response.status_code == 302 and response.url.startswith(REAUTH)
    assert account_of(owner) == ""


def test_autosave_of_an_account_number_asks_for_the_password_first(cast, sides):
    owner, _partner = sides
    url, data = paths(cast, owner)["autosave"]

    response = post(signed_in(cast.owner_contact), cast, url, data, htmx=True)

    assert response.status_code == 401 and REAUTH in response.content.decode()
    assert account_of(owner) == ""


def test_adding_a_participant_with_an_account_number_asks_for_the_password_first(cast):
    url = reverse("needs:add_row", args=[cast.report.pk, "participant"])
    data = {
        "participant-side": "owner",
        "participant-name": "Ny kommune",
        "participant-org_number": "974760673",
        "participant-account_number": NEW_ACCOUNT,
    }

    response = post(signed_in(cast.owner_contact), cast, url, data)

    assert response.status_code == 302 and response.url.startswith(REAUTH)
    assert not Participant.objects.filter(account_number=NEW_ACCOUNT).exists()


@pytest.mark.parametrize("path", ["autosave", "section", "measure", "units"])
def test_a_contact_of_one_side_cannot_change_the_other_sides_account(cast, sides, path):
    owner, partner = sides
    url, data = paths(cast, partner)[path]

    response = post(signed_in(cast.owner_contact, reauthenticated=True), cast, url, data)

    assert response.status_code == 403
    assert "eller Statsforvalteren, kan endre" in response.content.decode()
    assert account_of(partner) == ""


def test_the_uh_contact_cannot_add_an_owner_with_an_account_number(cast):
    url = reverse("needs:add_row", args=[cast.report.pk, "participant"])
    data = {
        "participant-side": "owner",
        "participant-name": "Ny kommune",
        "participant-org_number": "974760673",
        "participant-account_number": NEW_ACCOUNT,
    }

    response = post(signed_in(cast.partner_contact, reauthenticated=True), cast, url, data)

    assert response.status_code == 403
    assert not Participant.objects.filter(account_number=NEW_ACCOUNT).exists()


@pytest.mark.parametrize("path", ["autosave", "section", "measure", "units"])
def test_that_sides_contact_changes_its_account_after_confirming_the_password(cast, sides, path):
    _owner, partner = sides
    url, data = paths(cast, partner)[path]

    response = post(signed_in(cast.partner_contact, reauthenticated=True), cast, url, data)

    assert response.status_code in {200, 302}
    assert account_of(partner) == NEW_ACCOUNT


def test_a_section_save_with_the_account_number_unchanged_needs_no_password(cast, sides):
    owner, _partner = sides
    Participant.objects.filter(pk=owner.pk).update(account_number=NEW_ACCOUNT)
    url = reverse("needs:save_section", args=[cast.report.pk, "partnership"])

    response = post(signed_in(cast.partner_contact), cast, url, {key(owner): "1234.56.78903"})

    assert response.status_code in {200, 302}
    assert not response.headers.get("Location", "").startswith(REAUTH)
