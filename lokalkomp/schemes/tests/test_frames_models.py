"""A round's frames and keys: every change an event (who, when, old → new, source), and `round.frames()`
gives each scheme's frame with each network's share in two queries."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Network
from lokalkomp.schemes.budgets import MAX_COUNT, MAX_FRAME, DistributionKey, KeyInput
from lokalkomp.schemes.models import RoundScheme
from lokalkomp.testing import make_network, make_office, make_user, sign_in_with_two_factor


@pytest.fixture
def regional(people):
    return RoundScheme.objects.select_related("round").filter(round=people.round).first()


def networks_of(people):
    return list(Network.objects.filter(office=people.office).order_by("name", "pk"))


def test_setting_a_frame_records_who_old_new_and_source(people, regional):
    assert regional.set_frame(1_200_000, by=people.governor) is True
    assert regional.set_frame(1_500_000, by=people.governor) is True

    regional.refresh_from_db()
    assert regional.budget == 1_500_000
    events = AuditEvent.objects.filter(key=f"roundscheme:{regional.pk}:budget").order_by("pk")
    assert [(e.old_value, e.new_value, e.actor, e.source, e.office_id) for e in events] == [
        ("", "1200000", people.governor, "form", people.office.pk),
        ("1200000", "1500000", people.governor, "form", people.office.pk),
    ]


def test_setting_the_same_frame_again_records_nothing(people, regional):
    regional.set_frame(1_200_000, by=people.governor)

    assert regional.set_frame(1_200_000, by=people.governor) is False
    assert AuditEvent.objects.filter(key=f"roundscheme:{regional.pk}:budget").count() == 1


def test_a_frame_out_of_range_is_refused_and_nothing_changes(people, regional):
    for amount in (-1, MAX_FRAME + 1):
        with pytest.raises(ValidationError):
            regional.set_frame(amount, by=people.governor)
    regional.refresh_from_db()
    assert regional.budget is None
    assert not AuditEvent.objects.filter(key__startswith="roundscheme:").exists()


def test_a_key_is_made_changed_and_removed_each_with_an_event(people, regional):
    key = DistributionKey.put(regional, basis="staff", base_amount=100_000, by=people.governor)
    DistributionKey.put(regional, basis="children", base_amount=100_000, by=people.governor)
    DistributionKey.put(regional, basis="children", base_amount=150_000, by=people.governor)
    key.refresh_from_db()
    key.set_counts({networks_of(people)[0].pk: 12}, by=people.governor)
    pk = key.pk
    key.remove(by=people.governor)

    events = AuditEvent.objects.filter(key__startswith=f"distributionkey:{pk}:").order_by("pk")
    assert [(e.key.rpartition(":")[2], e.old_value, e.new_value) for e in events] == [
        ("added", "", "staff; base 100000"),
        ("basis", "staff", "children"),
        ("base_amount", "100000", "150000"),
        ("removed", f"children; base 150000; {networks_of(people)[0]}: 12", ""),
    ]
    assert not DistributionKey.objects.exists() and not KeyInput.objects.exists()


def test_counts_are_set_per_network_with_an_event_for_each_change(people, regional):
    first, second = networks_of(people)
    key = DistributionKey.put(regional, basis="staff", base_amount=0, by=people.governor)

    assert key.set_counts({first.pk: 40, second.pk: None}, by=people.governor) == 1  # None: not in the key
    assert key.set_counts({first.pk: 40, second.pk: 0}, by=people.governor) == 1  # in the key with 0
    assert key.set_counts({first.pk: 40, second.pk: 60}, by=people.governor) == 1
    assert key.set_counts({first.pk: 45, second.pk: 60}, by=people.governor) == 1
    assert dict(key.inputs.values_list("network_id", "count")) == {first.pk: 45, second.pk: 60}
    assert key.set_counts({first.pk: None}, by=people.governor) == 1  # taken out

    assert dict(key.inputs.values_list("network_id", "count")) == {second.pk: 60}
    events = AuditEvent.objects.filter(key__startswith="keyinput:").order_by("pk")
    assert [
        (e.key.rpartition(":")[2], e.object_repr.rpartition(": ")[2], e.old_value, e.new_value) for e in events
    ] == [
        ("added", first.name, "", "40"),
        ("added", second.name, "", "0"),
        ("count", second.name, "0", "60"),
        ("count", first.name, "40", "45"),
        ("removed", first.name, "45", ""),
    ]
    assert all(e.actor == people.governor and e.source == "form" for e in events)


def test_a_network_that_joins_the_office_moves_no_money_until_it_is_given_a_count(people, regional):
    first, second = networks_of(people)
    regional.set_frame(1_000_000, by=people.governor)
    key = DistributionKey.put(regional, basis="staff", base_amount=100_000, by=people.governor)
    key.set_counts({first.pk: 10, second.pk: 10}, by=people.governor)
    before = AuditEvent.objects.count()

    newcomer = make_network(people.office)
    frame = next(f for f in people.round.frames() if f.key == key)

    assert [frame.share_of(n) for n in (first, second, newcomer)] == [500_000, 500_000, None]
    assert AuditEvent.objects.count() == before
    key.set_counts({newcomer.pk: 0}, by=people.governor)  # in the key: the base amount, on record
    frame = next(f for f in people.round.frames() if f.key == key)
    assert [frame.share_of(n) for n in (first, second, newcomer)] == [450_000, 450_000, 100_000]
    assert AuditEvent.objects.filter(key__endswith=":added", key__startswith="keyinput:").count() == 3


def test_a_network_that_leaves_the_office_keeps_its_share_until_it_is_taken_out(people, regional):
    first, second = networks_of(people)
    regional.set_frame(1_000_000, by=people.governor)
    key = DistributionKey.put(regional, basis="staff", base_amount=0, by=people.governor)
    key.set_counts({first.pk: 1, second.pk: 3}, by=people.governor)
    Network.objects.filter(pk=second.pk).update(office=make_office())

    frames = people.round.frames()
    frame = next(f for f in frames if f.key == key)
    assert frame.share_of(second) == 750_000 and frames.networks == [first]  # the office's networks
    with pytest.raises(ValidationError):
        key.set_counts({second.pk: 4}, by=people.governor)  # no new count for another office's network
    assert key.set_counts({second.pk: 3}, by=people.governor) == 0  # as it was: nothing to refuse
    assert key.set_counts({second.pk: None}, by=people.governor) == 1
    frame = next(f for f in people.round.frames() if f.key == key)
    assert frame.share_of(first) == 1_000_000 and frame.share_of(second) is None


def test_a_count_for_another_offices_network_is_refused(people, regional):
    key = DistributionKey.put(regional, basis="staff", base_amount=0, by=people.governor)
    stranger = make_network(make_office())

    with pytest.raises(ValidationError):
        key.set_counts({stranger.pk: 10}, by=people.governor)
    assert not KeyInput.objects.exists()


def test_counts_and_base_amounts_out_of_range_are_refused(people, regional):
    with pytest.raises(ValidationError):
        DistributionKey.put(regional, basis="staff", base_amount=MAX_FRAME + 1, by=people.governor)
    with pytest.raises(ValidationError):
        DistributionKey.put(regional, basis="pets", base_amount=0, by=people.governor)
    key = DistributionKey.put(regional, basis="staff", base_amount=0, by=people.governor)
    with pytest.raises(ValidationError):
        key.set_counts({networks_of(people)[0].pk: MAX_COUNT + 1}, by=people.governor)


def test_the_database_refuses_what_the_methods_refuse(people, regional):
    key = DistributionKey.objects.create(round_scheme=regional)
    network = networks_of(people)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyInput.objects.create(key=key, network=network, count=MAX_COUNT + 1)
    KeyInput.objects.create(key=key, network=network, count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyInput.objects.create(key=key, network=network, count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        DistributionKey.objects.filter(pk=key.pk).update(base_amount=MAX_FRAME + 1)


def test_round_frames_gives_each_scheme_its_frame_and_each_network_its_share(people, regional):
    first, second = networks_of(people)
    regional.set_frame(1_000_000, by=people.governor)
    key = DistributionKey.put(regional, basis="staff", base_amount=100_000, by=people.governor)
    key.set_counts({first.pk: 1, second.pk: 3}, by=people.governor)

    frames = people.round.frames()

    frame = next(f for f in frames if f.round_scheme.pk == regional.pk)
    assert frame.amount == 1_000_000 and frame.key == key
    assert (frame.share_of(first), frame.share_of(second)) == (100_000 + 200_000, 100_000 + 600_000)
    others = [f for f in frames if f.round_scheme.pk != regional.pk]
    assert all(f.key is None and f.division is None and f.share_of(first) is None for f in others)
    assert frames.networks == [first, second]
    assert len(frames) == people.round.round_schemes.count()


def test_round_frames_is_two_queries_however_many_schemes_networks_and_counts(people, regional):
    def count_queries() -> int:
        round = type(people.round).objects.get(pk=people.round.pk)
        with CaptureQueriesContext(connection) as queries:
            frames = round.frames()
            [(f.amount, [f.share_of(n) for n in frames.networks]) for f in frames]
        return len(queries)

    assert count_queries() == 2
    for rs in people.round.round_schemes.all():
        rs.set_frame(900_000, by=None)
        DistributionKey.put(rs, basis="units", base_amount=10_000, by=None)
    for _ in range(4):
        make_network(people.office)
    for key in DistributionKey.objects.all():
        key.set_counts({n.pk: n.pk % 5 + 1 for n in networks_of(people)}, by=None)

    assert count_queries() == 2


def test_a_frame_the_key_cannot_divide_has_no_shares_and_says_why(people, regional):
    key = DistributionKey.put(regional, basis="staff", base_amount=100_000, by=people.governor)
    frame = next(f for f in people.round.frames() if f.key == key)
    assert frame.division.problem == "Rammen er ikke satt, så det er ingenting å fordele."
    assert frame.share_of(networks_of(people)[0]) is None

    regional.set_frame(150_000, by=people.governor)
    frame = next(f for f in people.round.frames() if f.key == key)
    assert frame.division.problem == (
        "Ingen kompetansenettverk er med i nøkkelen ennå. "
        "Skriv inn tallet for hvert kompetansenettverk som skal dele rammen."
    )

    key.set_counts({n.pk: 1 for n in networks_of(people)}, by=people.governor)  # two networks × 100 000 > 150 000
    frame = next(f for f in people.round.frames() if f.key == key)
    assert "150" in frame.division.problem and frame.share_of(networks_of(people)[0]) is None


def test_the_admin_shows_keys_and_counts_but_cannot_change_them(client, people, regional):
    key = DistributionKey.put(regional, basis="staff", base_amount=100_000, by=people.governor)
    key.set_counts({networks_of(people)[0].pk: 12}, by=people.governor)
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:schemes_distributionkey_change", args=[key.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r'name="[^"]*(base_amount|basis|count|budget)"', html)
    assert client.get(reverse("admin:schemes_distributionkey_add")).status_code == 403
    assert (
        client.post(reverse("admin:schemes_distributionkey_delete", args=[key.pk]), {"post": "yes"}).status_code == 403
    )
    assert DistributionKey.objects.filter(pk=key.pk).exists()
