"""Delivering the compilation to the forum by the deadline, locked after it, reopened by the Statsforvalter
only; version 2 and what changed; the e-mail to the forum's secretariat, once per delivery."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from lokalkomp.accounts.models import Role
from lokalkomp.allocation import announce
from lokalkomp.allocation.models import Compilation, CompilationEvent, CompilationVersion
from lokalkomp.allocation.models.compilation import Locked
from lokalkomp.notifications.actions import notify_compilation_delivered
from lokalkomp.notifications.mail import build_message
from lokalkomp.notifications.models import Notification
from lokalkomp.testing import make_governor_admin

from .compilation_helpers import (
    DEKOMP,
    REKOMP,
    compilation_of,
    hx,
    in_english,
    office_person,
    secretary,
    set_deadline,
    submitted_report,
    text,
    url,
)

pytestmark = pytest.mark.cast(year=2024)
DEADLINE = dt.date(2024, 1, 10)
BEFORE = "2024-01-09 15:00 +01:00"
LAST_MINUTE = "2024-01-10 23:59 +01:00"
AFTER = "2024-01-11 00:00 +01:00"


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture(autouse=True)
def on_time():
    """Every test runs the day before the deadline, unless it travels on."""
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def listed(cast):
    """Two reports of the network (seed 003's amounts in part), its compilation, and the deadline of 10 January."""
    submitted_report(
        cast,
        [("Datainnsamling", 50_000, 174_000), ("Magisk måned", 50_000, 50_000), ("Regional lesing", 10_000, 20_000)],
        name="Ytre Helgeland-partnerskapet",
        codes=[DEKOMP, DEKOMP, REKOMP],
    )
    submitted_report(cast, [("Pedagogisk analyse", 50_000, 241_000)], name="Sørpartnerskapet", codes=[DEKOMP])
    set_deadline(cast, DEADLINE)
    return compilation_of(cast)


def deliver(client, cast):
    compilation = Compilation.objects.get(network=cast.network, round=cast.round)
    return client.post(url(cast, "compilation_deliver"), {"version": compilation.version})


def test_the_coordinator_delivers_before_the_deadline(client, cast, listed):
    client.force_login(cast.coordinator)
    response = deliver(client, cast)
    assert response.status_code == 302
    compilation = Compilation.objects.get(pk=listed.pk)
    assert compilation.status == Compilation.Status.DELIVERED
    version = compilation.versions.get()
    assert (version.number, version.delivered_by) == (1, cast.coordinator)
    event = compilation.events.get(kind=CompilationEvent.Kind.DELIVERED)
    assert (event.actor, event.new_value) == (cast.coordinator, "1")
    record = version.record
    dekomp = next(s for s in record.schemes if s.code == DEKOMP)
    assert [(m.priority, m.name) for m in dekomp.entries] == [
        (1, "Datainnsamling"),
        (2, "Magisk måned"),
        (3, "Pedagogisk analyse"),
    ]
    first = dekomp.entries[0]
    assert first.partnership == "Ytre Helgeland-partnerskapet" and first.report_version == 1
    assert len(first.owners) == 1 and len(first.partners) == 1
    assert (dekomp.totals.owner, dekomp.totals.partner, dekomp.totals.total) == (150_000, 465_000, 615_000)
    assert record.totals.total == 645_000


def test_delivery_is_possible_until_midnight_of_the_deadline(client, cast, listed):
    with time_machine.travel(LAST_MINUTE, tick=False):
        client.force_login(cast.coordinator)
        assert deliver(client, cast).status_code == 302


def test_after_the_deadline_the_compilation_is_locked(client, cast, listed):
    with time_machine.travel(AFTER, tick=False):
        client.force_login(cast.coordinator)
        response = deliver(client, cast)
        page = text(client.get(url(cast)))
        entry = listed.entries.first()
        moved = hx(client, url(cast, "compilation_move", entry=entry.pk, direction="ned"), {"version": listed.version})
    assert response.status_code == 423
    assert "10.01.2024" in text(response)
    assert not CompilationVersion.objects.exists()
    assert "The compilation is locked. The Statsforvalter can reopen it." in page
    assert "Deliver the compilation" not in page and "Move up" not in page
    assert moved.status_code == 423


def test_a_delivered_compilation_cannot_be_changed(client, cast, listed):
    client.force_login(cast.coordinator)
    deliver(client, cast)
    compilation = Compilation.objects.get(pk=listed.pk)
    entry = compilation.entries.first()
    version = {"version": compilation.version}
    responses = [
        hx(client, url(cast, "compilation_move", entry=entry.pk, direction="ned"), version),
        hx(client, url(cast, "compilation_place", entry=entry.pk), {**version, "place": "2"}),
        hx(client, url(cast, "compilation_mark", entry=entry.pk), {**version, "recommended": "no", "reason": "x"}),
        hx(client, url(cast, "compilation_comment"), {"base": "", "comment": "Etterpå"}),
        deliver(client, cast),
    ]
    assert [r.status_code for r in responses] == [423] * 5
    assert "delivered to the forum and is locked" in text(responses[0])
    assert CompilationVersion.objects.count() == 1
    compilation.refresh_from_db()
    assert compilation.comment == "" and compilation.entries.filter(recommended=False).count() == 0


def test_the_model_refuses_changes_to_a_delivered_compilation_too(cast, listed):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    entry = listed.entries.first()
    with pytest.raises(Locked):
        listed.mark(entry, recommended=False, reason="Nei", expected_version=None, by=None)
    with pytest.raises(TypeError):
        CompilationVersion.objects.update(data={})
    with pytest.raises(TypeError):
        listed.versions.get().delete()


def test_nothing_to_deliver_is_refused(client, cast):
    compilation = Compilation.of(cast.round, cast.network)
    client.force_login(cast.coordinator)
    response = client.post(url(cast, "compilation_deliver"), {"version": compilation.version})
    assert response.status_code == 423 and "nothing to deliver" in text(response)


def test_a_delivery_from_a_stale_page_is_refused(client, cast, listed):
    stale = listed.version
    listed.place(listed.entries.get(measure__name="Magisk måned"), 1, expected_version=stale, by=None)
    client.force_login(cast.coordinator)
    response = client.post(url(cast, "compilation_deliver"), {"version": stale})
    assert response.status_code == 409
    assert not CompilationVersion.objects.exists()


def test_a_delivery_while_a_new_report_arrived_is_refused_so_that_the_coordinator_sees_it(client, cast, listed):
    submitted_report(cast, [("Kom sent", 1, 1)], codes=[DEKOMP])  # nobody has opened the page since
    client.force_login(cast.coordinator)
    response = client.post(url(cast, "compilation_deliver"), {"version": listed.version})
    assert response.status_code == 409 and "Kom sent" in text(response)
    assert not CompilationVersion.objects.exists()


# ── Reopening ──


@pytest.mark.parametrize("who", ["coordinator", "forum_member", "owner_contact"])
def test_only_the_statsforvalter_reopens(client, cast, listed, who):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    client.force_login(getattr(cast, who))
    response = client.post(url(cast, "compilation_reopen"), {"comment": "Må rettes"})
    assert response.status_code == 403
    assert Compilation.objects.get(pk=listed.pk).status == Compilation.Status.DELIVERED


def test_reopening_needs_a_comment(client, cast, listed):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    client.force_login(cast.governor)
    response = client.post(url(cast, "compilation_reopen"), {"comment": "  "})
    assert response.status_code == 422 and "Write why the compilation is reopened." in text(response)
    response = client.post(url(cast, "compilation_reopen"), {"comment": "x" * 2001})
    assert response.status_code == 422 and "x" * 2001 in text(response)
    assert Compilation.objects.get(pk=listed.pk).status == Compilation.Status.DELIVERED


def test_reopening_what_is_open_is_refused(client, cast, listed):
    client.force_login(cast.governor)
    response = client.post(url(cast, "compilation_reopen"), {"comment": "Hvorfor ikke"})
    assert response.status_code == 409


def test_the_statsforvalter_reopens_after_the_deadline_and_version_2_shows_what_changed(client, cast, listed):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    with time_machine.travel(AFTER, tick=False):
        client.force_login(cast.governor)
        response = client.post(url(cast, "compilation_reopen"), {"comment": "Rekkefølgen må begrunnes"})
        assert response.status_code == 302
        compilation = Compilation.objects.get(pk=listed.pk)
        assert (compilation.status, compilation.reopened) == (Compilation.Status.DRAFT, True)
        event = compilation.events.get(kind=CompilationEvent.Kind.REOPENED)
        assert (event.actor, event.note) == (cast.governor, "Rekkefølgen må begrunnes")
        # the coordinator changes the list after the deadline, and delivers version 2
        client.force_login(cast.coordinator)
        magisk = compilation.entries.get(measure__name="Magisk måned")
        hx(client, url(cast, "compilation_move", entry=magisk.pk, direction="opp"), {"version": compilation.version})
        compilation.refresh_from_db()
        analyse = compilation.entries.get(measure__name="Pedagogisk analyse")
        hx(
            client,
            url(cast, "compilation_mark", entry=analyse.pk),
            {"version": compilation.version, "recommended": "no", "reason": "Overlapper med Datainnsamling"},
        )
        client.post(url(cast, "compilation_comment"), {"base": "", "comment": "Magisk måned først."})
        assert deliver(client, cast).status_code == 302
    compilation.refresh_from_db()
    assert (compilation.status, compilation.reopened) == (Compilation.Status.DELIVERED, False)
    assert list(compilation.versions.values_list("number", flat=True)) == [1, 2]
    changes = text(client.get(url(cast, "compilation_versions")))
    assert "Moved: 2 → 1" in changes and "Moved: 1 → 2" in changes
    assert "Recommended by the network: Recommended → Not recommended" in changes
    assert "Why not recommended: – → Overlapper med Datainnsamling" in changes
    assert "Comment: – → Magisk måned først." in changes


def test_the_versions_page_compares_the_versions_asked_for_and_refuses_others(client, cast, listed):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    client.force_login(cast.governor)
    assert "Nothing changed between these versions." not in text(client.get(url(cast, "compilation_versions")))
    assert "Choose two different versions" in text(client.get(url(cast, "compilation_versions") + "?a=1&b=1"))
    for bad in ("?a=3", "?b=²", "?a=1%00", "?b=99999999999"):
        assert client.get(url(cast, "compilation_versions") + bad).status_code == 404


def test_amounts_changed_between_versions_are_shown(cast, listed):
    from lokalkomp.allocation.compilation_record import diff

    one = listed.deliver(by=cast.coordinator, expected_version=listed.version).data
    two = {**one, "schemes": [dict(s) for s in one["schemes"]]}
    two["schemes"][0] = {**two["schemes"][0], "entries": [dict(e) for e in two["schemes"][0]["entries"]]}
    two["schemes"][0]["entries"][0]["owner_amount"] = 60_000
    with translation.override("en"):
        (change,) = diff(one, two)
    assert (change.label, change.old, change.new) == ("Owner amount", "kr\xa050\xa0000", "kr\xa060\xa0000")


# ── The e-mail to the forum's secretariat ──


@pytest.fixture
def secretariat(cast):
    return {"secretary": secretary(cast), "admin": make_governor_admin(cast.office, "admin@sf.test")}


def test_delivery_queues_one_email_to_each_secretary_and_administrator(cast, listed, secretariat):
    office_person(cast, Role.FORUM_MEMBER)
    version = listed.deliver(by=cast.coordinator, expected_version=listed.version)
    sent = Notification.objects.filter(kind=Notification.Kind.COMPILATION_DELIVERED)
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(u.pk for u in secretariat.values())
    assert {n.context["compilation_version"] for n in sent} == {version.pk}
    # announcing the same delivery again queues nothing more
    assert notify_compilation_delivered(listed, version) == 0
    assert sent.count() == 2


def test_each_delivery_is_told_once(cast, listed, secretariat):
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    listed.reopen(by=cast.governor, comment="Ny runde")
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    assert Notification.objects.filter(kind=Notification.Kind.COMPILATION_DELIVERED).count() == 4


def test_the_email_says_which_network_delivered_what_with_a_link(cast, listed, secretariat, settings):
    settings.SITE_URL = "https://lokalkomp.example.no"
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    notification = Notification.objects.get(recipient=secretariat["secretary"])
    notification.language = "en"
    message = build_message(notification)
    assert str(cast.network) in message.subject and "version 1" in message.subject
    body = message.body.replace("\xa0", " ")
    assert "kr 645 000" in body and "Measures: 4" in body
    assert f"https://lokalkomp.example.no{url(cast)}" in body
    assert url(cast) in message.alternatives[0][0]


def test_a_delivery_that_fails_leaves_no_version_no_event_and_no_email(cast, listed, secretariat, monkeypatch):
    def broken(**keywords):
        raise RuntimeError("the listener failed")

    monkeypatch.setitem(
        announce._listeners,
        announce.COMPILATION_DELIVERED,
        [*announce.listeners(announce.COMPILATION_DELIVERED), broken],
    )
    with pytest.raises(RuntimeError):
        listed.deliver(by=cast.coordinator, expected_version=listed.version)
    assert not CompilationVersion.objects.exists()
    assert not CompilationEvent.objects.filter(kind=CompilationEvent.Kind.DELIVERED).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.COMPILATION_DELIVERED).exists()
    assert Compilation.objects.get(pk=listed.pk).status == Compilation.Status.DRAFT


def test_notifications_listens_to_the_delivery():
    from lokalkomp.notifications.actions import on_compilation_delivered

    assert on_compilation_delivered in announce.listeners(announce.COMPILATION_DELIVERED)


def test_the_deadline_reminder_skips_the_networks_that_have_delivered(cast, listed):
    from lokalkomp.notifications.audiences import network_coordinators

    assert cast.coordinator in network_coordinators(cast.round)
    listed.deliver(by=cast.coordinator, expected_version=listed.version)
    assert cast.coordinator not in network_coordinators(cast.round)
    assert cast.other_coordinator in network_coordinators(cast.round)
    listed.reopen(by=cast.governor, comment="Ny runde")  # open again: it owes a delivery
    assert cast.coordinator in network_coordinators(cast.round)
