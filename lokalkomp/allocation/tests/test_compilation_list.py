"""The network's list: measures of submitted reports join it, per scheme; the coordinator orders and marks them."""

from __future__ import annotations

import pytest

from lokalkomp.allocation.models import Compilation, CompilationEntry, CompilationEvent
from lokalkomp.needs.models import NeedsReport

from .compilation_helpers import (
    DEKOMP,
    REKOMP,
    compilation_of,
    entries_in_order,
    hx,
    in_english,
    submit,
    submitted_report,
    text,
    url,
)

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def three(cast):
    """One submitted report of the cast's network with three dekomp measures and one rekomp measure."""
    return submitted_report(
        cast,
        [("Lesing", 100_000, 50_000), ("Regning", 80_000, 40_000), ("Skriving", 60_000, 30_000), ("Lek", 10, 20)],
        name="Alfa",
        codes=[DEKOMP, DEKOMP, DEKOMP, REKOMP],
    )


def group(compilation, code):
    return [e.measure.name for e in compilation.ordered_entries() if e.measure.scheme.code == code]


def test_opening_the_page_brings_in_the_measures_of_submitted_reports_only(client, cast, three):
    client.force_login(cast.coordinator)
    response = client.get(url(cast))
    assert response.status_code == 200
    compilation = Compilation.objects.get(round=cast.round, network=cast.network)
    assert entries_in_order(compilation) == ["Lesing", "Regning", "Skriving", "Lek"]
    body = text(response)
    assert "Lesing" in body and "kr 150 000" in body
    assert compilation.events.filter(kind=CompilationEvent.Kind.CREATED).count() == 1
    # the cast's own report is a draft: its measures are not in the list
    assert not CompilationEntry.objects.filter(measure__report=cast.report).exists()


def test_syncing_again_changes_nothing(cast, three):
    compilation = compilation_of(cast)
    version = compilation.version
    assert compilation.sync() == 0
    compilation.refresh_from_db()
    assert compilation.version == version and compilation.entries.count() == 4


def test_a_new_submission_joins_the_end_of_its_scheme(client, cast, three):
    compilation = compilation_of(cast)
    compilation.place(
        compilation.entries.get(measure__name="Skriving"), 1, expected_version=compilation.version, by=None
    )
    submitted_report(cast, [("Ny dekomp", 1, 1), ("Ny rekomp", 1, 1)], codes=[DEKOMP, REKOMP])
    client.force_login(cast.coordinator)
    client.get(url(cast))
    assert group(compilation, DEKOMP) == ["Skriving", "Lesing", "Regning", "Ny dekomp"]
    assert group(compilation, REKOMP) == ["Lek", "Ny rekomp"]


def test_a_report_sent_back_is_greyed_and_not_delivered_until_it_is_submitted_again(client, cast, three):
    compilation = compilation_of(cast)
    other = submitted_report(cast, [("Annet", 5, 5)], codes=[DEKOMP])
    compilation.sync()
    three.reopen(by=cast.coordinator, comment="Mangler forankring")
    client.force_login(cast.coordinator)
    body = client.get(url(cast)).content.decode()
    assert "Sent back – not part of the delivery" in body
    assert compilation.entries.count() == 5  # they keep their place
    compilation.refresh_from_db()
    version = compilation.deliver(by=cast.coordinator, expected_version=compilation.version)
    delivered = [m.name for s in version.record.schemes for m in s.entries]
    assert delivered == ["Annet"]
    assert other.pk in version.record.report_ids and three.pk not in version.record.report_ids


def test_a_measure_of_a_report_resubmitted_keeps_its_place(cast, three):
    compilation = compilation_of(cast)
    compilation.place(
        compilation.entries.get(measure__name="Regning"), 1, expected_version=compilation.version, by=None
    )
    three.reopen(by=cast.coordinator, comment="Rett tallene")
    submit(NeedsReport.objects.get(pk=three.pk))
    compilation.sync()
    assert group(compilation, DEKOMP) == ["Regning", "Lesing", "Skriving"]
    assert all(e.is_included for e in compilation.ordered_entries())


# ── Ordering with the buttons (keyboard) and by dragging ──


def test_move_up_with_htmx_answers_with_the_list_the_focus_and_an_announcement(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Regning")
    client.force_login(cast.coordinator)
    response = hx(
        client, url(cast, "compilation_move", entry=entry.pk, direction="opp"), {"version": compilation.version}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="compilation-list"')  # the list's partial, not the page
    assert f'data-focus="move-{entry.pk}-up"' in body
    assert 'hx-swap-oob="innerHTML"' in body and "“Regning” is now number 1 of 3 in Desentralisert ordning." in body
    assert group(compilation, DEKOMP) == ["Regning", "Lesing", "Skriving"]
    event = compilation.events.get(kind=CompilationEvent.Kind.ORDERED)
    assert (event.old_value, event.new_value, event.note, event.actor) == ("2", "1", "Regning", cast.coordinator)
    version = compilation.version
    compilation.refresh_from_db()
    assert compilation.version == version + 1


def test_move_down_without_javascript_redirects_back_to_the_row(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lesing")
    client.force_login(cast.coordinator)
    response = client.post(
        url(cast, "compilation_move", entry=entry.pk, direction="ned"), {"version": compilation.version}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    assert group(compilation, DEKOMP) == ["Regning", "Lesing", "Skriving"]


def test_moving_the_first_up_or_the_last_down_changes_nothing(client, cast, three):
    compilation = compilation_of(cast)
    first = compilation.entries.get(measure__name="Lesing")
    client.force_login(cast.coordinator)
    client.post(url(cast, "compilation_move", entry=first.pk, direction="opp"), {"version": compilation.version})
    assert group(compilation, DEKOMP) == ["Lesing", "Regning", "Skriving"]
    assert not compilation.events.filter(kind=CompilationEvent.Kind.ORDERED).exists()


def test_a_move_stays_within_its_scheme(client, cast, three):
    compilation = compilation_of(cast)
    lek = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    client.post(url(cast, "compilation_move", entry=lek.pk, direction="opp"), {"version": compilation.version})
    assert group(compilation, REKOMP) == ["Lek"] and group(compilation, DEKOMP) == ["Lesing", "Regning", "Skriving"]


def test_an_unknown_direction_is_not_found(client, cast, three):
    compilation = compilation_of(cast)
    client.force_login(cast.coordinator)
    entry = compilation.entries.first()
    assert (
        client.post(url(cast, "compilation_move", entry=entry.pk, direction="sideways"), {"version": 1}).status_code
        == 404
    )


def test_dragging_places_the_measure_where_it_was_dropped(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Skriving")
    client.force_login(cast.coordinator)
    response = hx(
        client, url(cast, "compilation_place", entry=entry.pk), {"version": compilation.version, "place": "1"}
    )
    assert response.status_code == 200
    assert group(compilation, DEKOMP) == ["Skriving", "Lesing", "Regning"]


@pytest.mark.parametrize("place", ["99999999999999999999", "0", "3000000"])
def test_a_place_beyond_the_list_goes_to_its_nearest_end(client, cast, three, place):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Regning")
    client.force_login(cast.coordinator)
    response = client.post(
        url(cast, "compilation_place", entry=entry.pk), {"version": compilation.version, "place": place}
    )
    assert response.status_code == 302
    expected = ["Regning", "Lesing", "Skriving"] if place == "0" else ["Lesing", "Skriving", "Regning"]
    assert group(compilation, DEKOMP) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"version": "1", "place": "²"},
        {"version": "1", "place": "1\x00"},
        {"version": "1", "place": ""},
        {"version": "²", "place": "1"},
        {"version": "99999999999999999999999", "place": "1"},
        {"version": "\x00", "place": "1"},
        {},
    ],
)
def test_nonsense_in_a_drop_is_refused_with_a_message_and_changes_nothing(client, cast, three, data):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Regning")
    client.force_login(cast.coordinator)
    response = hx(client, url(cast, "compilation_place", entry=entry.pk), data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert group(compilation, DEKOMP) == ["Lesing", "Regning", "Skriving"]


@pytest.mark.parametrize("entry", [0, 999999999, 2**63 + 5])
def test_an_unknown_measure_is_not_found(client, cast, three, entry):
    compilation = compilation_of(cast)
    client.force_login(cast.coordinator)
    path = url(cast, "compilation_place", entry=1).replace("/tiltak/1/", f"/tiltak/{entry}/")
    assert client.post(path, {"version": compilation.version, "place": "1"}).status_code == 404


def test_a_measure_of_another_networks_compilation_is_not_found(client, cast, three):
    from lokalkomp.testing import make_network

    other = Compilation.of(cast.round, make_network(cast.office))
    compilation = compilation_of(cast)
    foreign = CompilationEntry.objects.create(compilation=other, measure=three.measures.first(), position=1)
    client.force_login(cast.coordinator)
    assert (
        client.post(
            url(cast, "compilation_place", entry=foreign.pk), {"version": compilation.version, "place": "1"}
        ).status_code
        == 404
    )


# ── Two coordinators: compare-and-set ──


def test_a_move_from_an_old_page_is_refused_with_409_and_the_fresh_list(client, cast, three):
    compilation = compilation_of(cast)
    stale = compilation.version
    compilation.place(compilation.entries.get(measure__name="Skriving"), 1, expected_version=stale, by=cast.coordinator)
    client.force_login(cast.coordinator)
    entry = compilation.entries.get(measure__name="Lesing")
    response = hx(client, url(cast, "compilation_move", entry=entry.pk, direction="ned"), {"version": stale})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed the compilation" in body
    compilation.refresh_from_db()
    assert f'name="version" value="{compilation.version}"' in body  # the fresh list, ready for the next move
    assert group(compilation, DEKOMP) == ["Skriving", "Lesing", "Regning"]  # the other's order stands


def test_without_javascript_a_stale_move_shows_the_whole_page_with_409(client, cast, three):
    compilation = compilation_of(cast)
    stale = compilation.version
    compilation.place(compilation.entries.get(measure__name="Skriving"), 1, expected_version=stale, by=None)
    client.force_login(cast.coordinator)
    entry = compilation.entries.get(measure__name="Lesing")
    response = client.post(url(cast, "compilation_move", entry=entry.pk, direction="ned"), {"version": stale})
    assert response.status_code == 409 and "<h1" in response.content.decode()


def test_a_new_submission_makes_an_open_page_stale(client, cast, three):
    compilation = compilation_of(cast)
    stale = compilation.version
    submitted_report(cast, [("Ny", 1, 1)], codes=[DEKOMP])
    client.get("/")  # nobody opened the page: the next one to do so brings it in
    client.force_login(cast.coordinator)
    client.get(url(cast))
    entry = compilation.entries.get(measure__name="Lesing")
    response = hx(client, url(cast, "compilation_move", entry=entry.pk, direction="ned"), {"version": stale})
    assert response.status_code == 409


# ── Marking a measure as not recommended ──


def test_marking_not_recommended_needs_a_reason(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    response = hx(
        client,
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "no", "reason": "  "},
    )
    assert response.status_code == 422
    assert "Write why the network does not recommend the measure." in response.content.decode()
    entry.refresh_from_db()
    assert entry.recommended is True and not compilation.events.filter(kind=CompilationEvent.Kind.MARKED).exists()


def test_marking_not_recommended_with_a_reason_is_an_event(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    response = hx(
        client,
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "no", "reason": "Ikke kollektivt.\r\nEnkeltpersoner."},
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.recommended, entry.reason) == (False, "Ikke kollektivt.\nEnkeltpersoner.")
    event = compilation.events.get(kind=CompilationEvent.Kind.MARKED)
    assert (event.old_value, event.new_value) == ("recommended", "not_recommended: Ikke kollektivt.\nEnkeltpersoner.")
    assert "Not recommended" in response.content.decode()
    # and back: the reason goes with it
    compilation.refresh_from_db()
    hx(
        client,
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "yes", "reason": "x"},
    )
    entry.refresh_from_db()
    assert (entry.recommended, entry.reason) == (True, "")


def test_a_too_long_reason_is_refused_and_what_was_typed_is_kept(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    typed = "Forklaring " * 300
    response = hx(
        client,
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "no", "reason": typed},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert typed.strip()[:200] in body and 'aria-invalid="true"' in body
    entry.refresh_from_db()
    assert entry.recommended is True


def test_a_reason_with_a_nul_byte_is_refused(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    response = client.post(
        url(cast, "compilation_mark", entry=entry.pk),
        {"version": compilation.version, "recommended": "no", "reason": "Nei\x00"},
    )
    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.recommended is True


def test_an_unknown_choice_is_refused(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.get(measure__name="Lek")
    client.force_login(cast.coordinator)
    response = client.post(
        url(cast, "compilation_mark", entry=entry.pk), {"version": compilation.version, "recommended": "²"}
    )
    assert response.status_code == 422


# ── The network's comment ──


def test_the_comment_is_saved_with_an_event(client, cast, three):
    compilation_of(cast)
    client.force_login(cast.coordinator)
    response = hx(client, url(cast, "compilation_comment"), {"base": "", "comment": "Nettverket prioriterer lesing."})
    assert response.status_code == 200 and "The comment was saved." in response.content.decode()
    compilation = Compilation.objects.get(network=cast.network)
    assert compilation.comment == "Nettverket prioriterer lesing."
    assert compilation.events.get(kind=CompilationEvent.Kind.COMMENTED).new_value == "Nettverket prioriterer lesing."


def test_a_comment_written_over_someone_elses_is_refused_and_both_are_shown(client, cast, three):
    compilation = compilation_of(cast)
    compilation.set_comment("Den andres tekst", base="", by=None)
    client.force_login(cast.coordinator)
    response = hx(client, url(cast, "compilation_comment"), {"base": "", "comment": "Min tekst"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Min tekst" in body and "Den andres tekst" in body
    compilation.refresh_from_db()
    assert compilation.comment == "Den andres tekst"


def test_a_comment_over_5000_characters_is_refused_and_kept(client, cast, three):
    compilation_of(cast)
    client.force_login(cast.coordinator)
    response = client.post(url(cast, "compilation_comment"), {"base": "", "comment": "å" * 5001})
    assert response.status_code == 422
    assert "å" * 5001 in response.content.decode()
    assert Compilation.objects.get(network=cast.network).comment == ""


def test_a_comment_of_5000_characters_with_line_breaks_fits(client, cast, three):
    compilation_of(cast)
    client.force_login(cast.coordinator)
    text = ("a" * 99 + "\r\n") * 50  # 5000 characters as the browser counts them, 5050 as sent
    response = client.post(url(cast, "compilation_comment"), {"base": "", "comment": text})
    assert response.status_code == 302
    assert len(Compilation.objects.get(network=cast.network).comment) == 4999  # the last line break stripped


def test_pages_and_actions_refuse_the_wrong_method(client, cast, three):
    compilation = compilation_of(cast)
    entry = compilation.entries.first()
    client.force_login(cast.coordinator)
    assert client.post(url(cast)).status_code == 405
    assert client.get(url(cast, "compilation_move", entry=entry.pk, direction="opp")).status_code == 405
    assert client.get(url(cast, "compilation_mark", entry=entry.pk)).status_code == 405
    assert client.get(url(cast, "compilation_deliver")).status_code == 405
