"""The round page's «After the money» section: statistics and open data for everyone, the follow-up and the Udir
export for the round's Statsforvalter only, at no query of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lokalkomp.allocation.tests.payment_helpers import decided_round

pytestmark = pytest.mark.cast(year=2024)

EVERYONE = ("round-statistics-link", "round-opendata-link")
GOVERNOR_ONLY = ("round-followup-link", "round-udir-link")


@pytest.fixture
def r(cast: Any) -> Any:
    return decided_round(cast)


def shown(client: Any, r: Any) -> set[str]:
    page = client.get(reverse("schemes:round", args=[r.round.office.slug, r.round.year])).content.decode()
    return {link for link in (*EVERYONE, *GOVERNOR_ONLY) if f'id="{link}"' in page}


def test_the_statsforvalter_gets_every_link_and_each_one_opens(
    client: Any, r: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(r.governor)
    with django_assert_max_num_queries(15):
        assert shown(client, r) == {*EVERYONE, *GOVERNOR_ONLY}
    office, year = r.round.office.slug, r.round.year
    for url in (
        reverse("reporting:followup_list", args=[office, year]),
        reverse("reporting:udir_export", args=[office, year]),
        reverse("reporting:statistics", args=[office]),
        reverse("reporting:opendata_round", args=[office, year]),
    ):
        assert client.get(url).status_code == 200, url


def test_others_get_only_the_public_links(client: Any, r: Any) -> None:
    client.force_login(r.secretary)
    assert shown(client, r) == set(EVERYONE)
    client.logout()
    assert shown(client, r) == set(EVERYONE)
