"""The demo's Nordland rounds have their budget frames, and the 2024 regional scheme its key by staff."""

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.demo.build import build
from lokalkomp.demo.frames import FRAMES, KEY_BASE_AMOUNT, STAFF
from lokalkomp.schemes.models import DistributionKey, KeyInput, Round, RoundScheme

TODAY = "2026-11-22 10:00 +01:00"


@pytest.fixture
def demo(db):
    with time_machine.travel(TODAY, tick=False):
        build()
        yield


def test_each_demo_round_has_its_frames(demo):
    for year, frames in FRAMES.items():
        stored = dict(
            RoundScheme.objects.filter(round__office__slug="nordland", round__year=year).values_list(
                "scheme__code", "budget"
            )
        )
        assert stored == frames


def test_the_regional_scheme_is_divided_between_ytre_and_indre_helgeland_by_staff(demo):
    round = Round.objects.get(office__slug="nordland", year=2024)
    frame = next(f for f in round.frames() if f.scheme.code == "rekomp")

    assert frame.key.basis == DistributionKey.Basis.STAFF and frame.key.base_amount == KEY_BASE_AMOUNT
    shares = {share.network.slug: (share.count, share.total) for share in frame.division.shares}
    assert {slug: count for slug, (count, _total) in shares.items()} == STAFF
    assert sum(total for _count, total in shares.values()) == frame.amount == 3_780_000
    assert shares["indre-helgeland"][1] > shares["ytre-helgeland"][1] > KEY_BASE_AMOUNT


def test_loading_the_demo_again_changes_nothing_and_records_nothing(demo):
    rows = (list(RoundScheme.objects.values_list("pk", "budget")), list(KeyInput.objects.values_list("pk", "count")))
    events = AuditEvent.objects.count()

    with time_machine.travel(TODAY, tick=False):
        build()

    assert (
        list(RoundScheme.objects.values_list("pk", "budget")),
        list(KeyInput.objects.values_list("pk", "count")),
    ) == rows
    assert DistributionKey.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_round_page_shows_the_division(client, demo):
    html = client.get(reverse("schemes:round", args=["nordland", 2024])).content.decode().replace("\u00a0", " ")

    assert "Ytre Helgeland</th>" in html and "kr 3 780 000" in html
