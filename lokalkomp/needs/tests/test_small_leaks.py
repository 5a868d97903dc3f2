"""Smaller leaks: a draft in a past round, any organisation as participant, draft counts, a 500 for a bad kind, caching."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from stdnum.no import orgnr

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import NeedsReport, Participant
from lokalkomp.testing import make_municipality, make_organisation, make_round

_numbers = iter(range(91000000, 92000000, 37))


def org_number() -> str:
    """A valid org. number (MOD11) that no organisation has yet."""
    while True:
        base = str(next(_numbers))
        remainder = sum(int(d) * w for d, w in zip(base, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if remainder == 1:
            continue  # no check digit makes this base valid
        number = base + str((11 - remainder) % 11)
        if orgnr.is_valid(number) and not Organisation.objects.filter(org_number=number).exists():
            return number


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, page: str, url: str, data: dict):
    client.get(page)
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_a_draft_cannot_be_started_in_a_past_round_that_no_page_offers(cast):
    past = make_round(cast.office, year=2024)
    client = csrf_client(cast.owner_contact)
    url = reverse("needs:start", args=[cast.report.partnership.pk, past.pk])

    response = post(client, reverse("needs:mine"), url, {})

    assert response.status_code == 403
    assert "tar ikke imot nye behovsmeldinger" in response.content.decode()
    assert not NeedsReport.objects.filter(round=past).exists()


def add_participant(cast, side: str, number: str, name: str = "Skrevet navn"):
    client = csrf_client(cast.owner_contact)
    data = {"participant-side": side, "participant-name": name, "participant-org_number": number}
    page = reverse("needs:edit_section", args=[cast.report.pk, "partnership"])
    return post(client, page, reverse("needs:add_row", args=[cast.report.pk, "participant"]), data)


def test_an_owner_from_another_offices_county_cannot_be_added(cast):
    elsewhere = make_municipality()  # a county of another office
    stranger = make_organisation(org_number=org_number(), municipality=elsewhere)

    response = add_participant(cast, "owner", stranger.org_number)

    assert response.status_code == 422
    assert "utenfor Statsforvalterens fylker" in response.content.decode()
    assert not Participant.objects.filter(organisation=stranger).exists()


def test_an_owner_from_the_offices_counties_can_be_added(cast):
    here = make_municipality(cast.office)
    neighbour = make_organisation(org_number=org_number(), municipality=here)

    response = add_participant(cast, "owner", neighbour.org_number)

    assert response.status_code == 302
    assert Participant.objects.filter(organisation=neighbour, side="owner").exists()


def test_a_university_cannot_join_as_an_owner(cast):
    university = make_organisation(Organisation.Kind.UNIVERSITY, org_number=org_number())

    response = add_participant(cast, "owner", university.org_number)

    assert response.status_code == 422
    assert not Participant.objects.filter(organisation=university).exists()


def test_a_new_org_number_creates_an_unconfirmed_organisation_outside_the_directory(cast):
    number = org_number()

    response = add_participant(cast, "owner", number, name="Hvilket som helst navn")

    assert response.status_code == 302
    created = Organisation.objects.get(org_number=number)
    assert (created.name, created.reviewed) == ("Hvilket som helst navn", False)
    assert not Organisation.objects.reviewed().filter(pk=created.pk).exists()


def network_line(page: str, network) -> str:
    match = re.search(rf"{re.escape(str(network))}</a>[^<]*</li>", page)
    assert match, page
    return match.group(0)


def test_anonymous_and_outsiders_see_no_draft_counts_on_the_round_page(cast):
    url = cast.round.get_absolute_url()
    outsider = Client()
    outsider.force_login(cast.outsider)
    coordinator = Client()
    coordinator.force_login(cast.coordinator)

    assert "behovsmelding" not in network_line(Client().get(url).content.decode(), cast.network)
    assert "0 behovsmeldinger" in network_line(outsider.get(url).content.decode(), cast.network)
    assert "1 behovsmelding" in network_line(coordinator.get(url).content.decode(), cast.network)


def test_removing_a_row_of_an_unknown_kind_is_404(cast):
    client = csrf_client(cast.owner_contact)
    page = reverse("needs:edit_section", args=[cast.report.pk, "partnership"])

    response = post(client, page, f"/behovsmeldinger/{cast.report.pk}/skjema/rader/foo/1/fjern/", {})

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["needs:report", "needs:pdf", "needs:report_xlsx"])
def test_report_pages_and_exports_are_not_stored_by_browsers_or_proxies(cast, name):
    client = Client()
    client.force_login(cast.owner_contact)

    response = client.get(reverse(name, args=[cast.report.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_measures_export_is_not_stored_either(cast):
    client = Client()
    client.force_login(cast.governor)

    response = client.get(reverse("needs:measures_xlsx"))

    assert response["Cache-Control"] == "private, no-store"
