"""The organisers' pages: the list, a gathering with its agenda and activities, and the actions."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Network
from lokalkomp.gatherings.models import Activity, Gathering
from lokalkomp.testing import make_round

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db

NEW = {"title": "Samling for kompetansenettverket", "date": "05.10.2023", "place_kind": "physical", "place": "Mosjøen"}


def test_the_list_shows_only_what_the_person_may_see(client, cast):
    make_gathering(cast.round, title="Kontorets samling")
    make_gathering(cast.round, network=cast.network, title="Nettverkets samling")
    make_gathering(make_round(year=2026), title="Fremmed samling")
    seen = {}
    for person in ("governor", "forum_member", "coordinator", "other_coordinator", "outsider", "other_office_governor"):
        client.force_login(getattr(cast, person))
        page = client.get("/samlinger/").content.decode()
        seen[person] = {t for t in ("Kontorets samling", "Nettverkets samling", "Fremmed samling") if t in page}
    assert seen == {
        "governor": {"Kontorets samling", "Nettverkets samling"},
        "forum_member": {"Kontorets samling", "Nettverkets samling"},
        "coordinator": {"Nettverkets samling"},
        "other_coordinator": set(),
        "outsider": set(),
        "other_office_governor": set(),
    }


def test_the_list_costs_the_same_for_many_gatherings(client, cast, django_assert_max_num_queries):
    client.force_login(cast.governor)
    for n in range(12):
        make_gathering(cast.round, title=f"Samling {n}", published=False)
    with django_assert_max_num_queries(8):
        assert client.get("/samlinger/").status_code == 200


def test_the_statsforvalter_creates_a_gathering_of_the_office(client, cast):
    client.force_login(cast.governor)
    response = client.post("/samlinger/ny/", NEW | {"round": cast.round.pk})
    gathering = Gathering.objects.get()
    assert response.status_code == 302 and response["Location"] == gathering.get_absolute_url()
    assert (gathering.office, gathering.network, gathering.status, gathering.created_by) == (
        cast.office,
        None,
        "draft",
        cast.governor,
    )


def test_a_coordinator_creates_a_gathering_of_their_network_only(client, cast):
    client.force_login(cast.coordinator)
    without = client.post("/samlinger/ny/", NEW | {"round": cast.round.pk})
    assert without.status_code == 422 and not Gathering.objects.exists()
    other = Network.objects.exclude(pk=cast.network.pk).filter(office=cast.office).first()
    assert other is not None
    refused = client.post("/samlinger/ny/", NEW | {"round": cast.round.pk, "network": other.pk})
    assert refused.status_code == 422 and not Gathering.objects.exists()
    assert client.post("/samlinger/ny/", NEW | {"round": cast.round.pk, "network": cast.network.pk}).status_code == 302
    assert Gathering.objects.get().network == cast.network


@pytest.mark.parametrize(
    "bad",
    [
        {"title": "x" * 201},
        {"title": "Nul\x00"},
        {"date": "31.02.2024"},
        {"date": "99999999999"},
        {"place_kind": "teams", "link": ""},
        {"link": "javascript:alert(1)"},
        {"round": "99999999999999999999"},
    ],
)
def test_bad_gathering_input_gives_a_message(client, cast, bad):
    client.force_login(cast.governor)
    response = client.post("/samlinger/ny/", NEW | {"round": cast.round.pk} | bad)
    assert response.status_code == 422 and 'class="ds-validation-message"' in response.content.decode()
    assert not Gathering.objects.exists()


def test_who_may_create_gatherings(client, cast):
    for person, status in (
        ("forum_member", 403),
        ("owner_contact", 403),
        ("outsider", 403),
        ("governor", 200),
        ("coordinator", 200),
    ):
        client.force_login(getattr(cast, person))
        assert client.get("/samlinger/ny/").status_code == status, person
    client.logout()
    assert client.get("/samlinger/ny/").status_code == 302


def test_a_coordinator_cannot_move_a_gathering_to_another_office(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    foreign_round = make_round(cast.other_office_governor.memberships.get().office, year=2027)
    client.force_login(cast.coordinator)
    response = client.post(
        f"/samlinger/{gathering.pk}/endre/", NEW | {"round": foreign_round.pk, "network": cast.network.pk}
    )
    assert response.status_code == 422
    gathering.refresh_from_db()
    assert gathering.round == cast.round


def test_publishing_and_back_to_draft(client, cast):
    gathering = make_gathering(cast.round, published=False)
    client.force_login(cast.governor)
    assert client.post(f"/samlinger/{gathering.pk}/publiser/").status_code == 302
    assert Gathering.objects.get().status == "published"
    assert client.post(f"/samlinger/{gathering.pk}/avpubliser/").status_code == 302
    assert Gathering.objects.get().status == "draft"
    page = client.get(gathering.get_absolute_url()).content.decode()
    assert _("Back to draft") in page and _("Published") in page  # the history


def test_a_failed_publishing_is_a_message_and_no_event(client, cast, monkeypatch):
    taken = make_gathering(cast.round, title="Har koden")
    gathering = make_gathering(cast.round, published=False, join_code=taken.join_code)
    monkeypatch.setattr("lokalkomp.gatherings.models.live.new_join_code", lambda: taken.join_code)
    client.force_login(cast.governor)
    page = client.post(f"/samlinger/{gathering.pk}/publiser/", follow=True).content.decode()
    assert _("No free join code was found. The gathering is still a draft: try again.") in page
    gathering.refresh_from_db()
    assert gathering.status == "draft" and not gathering.events.exists()


def test_the_forum_sees_the_gathering_but_may_not_change_it(client, cast):
    gathering = make_gathering(cast.round, published=False)
    client.force_login(cast.forum_member)
    page = client.get(gathering.get_absolute_url())
    assert page.status_code == 200 and _("Publish") not in page.content.decode()
    assert client.post(f"/samlinger/{gathering.pk}/publiser/").status_code == 403
    assert Gathering.objects.get().status == "draft"
    client.force_login(cast.other_office_governor)
    assert client.get(gathering.get_absolute_url()).status_code == 404


def test_the_agenda(client, cast):
    gathering = make_gathering(cast.round)
    client.force_login(cast.governor)
    for time, what in (("09:30", "Velkommen til samling!"), ("10:00", "Påstandsspillet")):
        client.post(
            f"/samlinger/{gathering.pk}/program/ny/", {"starts_at": time, "what": what, "led_by": "Statsforvalteren"}
        )
    bad = client.post(f"/samlinger/{gathering.pk}/program/ny/", {"starts_at": "25:99", "what": ""})
    assert bad.status_code == 422
    assert list(gathering.agenda.values_list("what", flat=True)) == ["Velkommen til samling!", "Påstandsspillet"]
    page = client.get(gathering.get_absolute_url()).content.decode()
    assert "09:30" in page and "Påstandsspillet" in page
    first = gathering.agenda.first()
    assert client.post(f"/samlinger/{gathering.pk}/program/{first.pk}/slett/").status_code == 302
    assert gathering.agenda.count() == 1


def test_adding_a_multiple_choice_activity(client, cast):
    gathering = make_gathering(cast.round)
    client.force_login(cast.governor)
    url = f"/samlinger/{gathering.pk}/aktiviteter/ny/"
    one = client.post(url, {"kind": "multiple_choice", "question": "Hva velger dere?", "choices_text": "Bare én"})
    assert one.status_code == 422
    client.post(
        url, {"kind": "multiple_choice", "question": "Hva velger dere?", "choices_text": "Språk\n\nLesing\nRegning"}
    )
    client.post(url, {"kind": "scale", "question": "Hvor fornøyd?", "scale_min": "1", "scale_max": "5"})
    assert (
        client.post(url, {"kind": "scale", "question": "Hvor?", "scale_min": "5", "scale_max": "1"}).status_code == 422
    )
    assert (
        client.post(
            url, {"kind": "scale", "question": "Hvor?", "scale_min": "1", "scale_max": "99999999999"}
        ).status_code
        == 422
    )
    assert [(a.kind, a.options) for a in gathering.activities.all()] == [
        ("multiple_choice", {"choices": ["Språk", "Lesing", "Regning"]}),
        ("scale", {"min": 1, "max": 5}),
    ]


def test_the_activity_actions(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    game = make_activity(gathering, Activity.Kind.STATEMENT_GAME, open=False)
    timer = make_activity(gathering, Activity.Kind.IGP_TIMER, open=False)
    base = f"/samlinger/{gathering.pk}/aktiviteter"
    client.force_login(cast.coordinator)
    client.post(f"{base}/{game.pk}/apne/")
    client.post(f"{base}/{game.pk}/runde-2/")
    game.refresh_from_db()
    assert (game.state, game.round) == ("open", 2)
    client.post(f"{base}/{timer.pk}/apne/")
    client.post(f"{base}/{timer.pk}/start-tid/")
    game.refresh_from_db()
    timer.refresh_from_db()
    assert game.state == "closed" and timer.timer_state()[0] == "individual"
    client.post(f"{base}/{timer.pk}/neste-fase/")
    timer.refresh_from_db()
    assert timer.timer_state()[0] == "table"
    game.answer(make_participant(gathering), position="agree")
    response = client.post(f"{base}/{game.pk}/nullstill/", {"next": f"/samlinger/{gathering.pk}/presenter/"})
    assert response["Location"] == f"/samlinger/{gathering.pk}/presenter/"
    assert game.responses.count() == 0
    kinds = list(gathering.events.values_list("kind", flat=True))
    assert kinds == ["published", "opened", "round_two", "closed", "opened", "timer_started", "next_phase", "reset"]


def test_an_unsafe_next_address_is_ignored(client, cast):
    gathering = make_gathering(cast.round)
    activity = make_activity(gathering, open=False)
    client.force_login(cast.governor)
    response = client.post(
        f"/samlinger/{gathering.pk}/aktiviteter/{activity.pk}/apne/", {"next": "https://evil.example/"}
    )
    assert response["Location"].startswith(gathering.get_absolute_url())


def test_the_moderation_page(client, cast):
    gathering = make_gathering(cast.round)
    activity = make_activity(gathering, moderated=True)
    activity.answer(make_participant(gathering), text="Tillitsfulle?")
    client.force_login(cast.governor)
    url = f"/samlinger/{gathering.pk}/aktiviteter/{activity.pk}/moderer/"
    page = client.get(url).content.decode()
    assert "Tillitsfulle?" in page and _("Waiting for approval") in page
    activity.refresh_from_db()
    assert client.get(url, {"v": activity.version}, HTTP_HX_REQUEST="true").status_code == 204
    client.force_login(cast.forum_member)
    assert client.get(url).status_code == 403


def test_an_activity_of_another_gathering_is_404(client, cast):
    gathering = make_gathering(cast.round)
    other = make_activity(make_gathering(cast.round))
    client.force_login(cast.governor)
    assert client.post(f"/samlinger/{gathering.pk}/aktiviteter/{other.pk}/apne/").status_code == 404
    assert client.get(f"/samlinger/{gathering.pk}/aktiviteter/{other.pk}/moderer/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/samlinger/"),
        ("post", "/samlinger/{g}/"),
        ("get", "/samlinger/{g}/publiser/"),
        ("get", "/samlinger/{g}/avpubliser/"),
        ("get", "/samlinger/{g}/program/ny/"),
        ("get", "/samlinger/{g}/aktiviteter/{a}/apne/"),
        ("get", "/samlinger/{g}/aktiviteter/{a}/lukk/"),
        ("get", "/samlinger/{g}/aktiviteter/{a}/nullstill/"),
        ("post", "/samlinger/{g}/aktiviteter/{a}/moderer/"),
        ("put", "/samlinger/ny/"),
        ("put", "/samlinger/{g}/endre/"),
    ],
)
def test_the_organisers_pages_refuse_the_wrong_method(client, cast, method, path):
    gathering = make_gathering(cast.round)
    activity = make_activity(gathering)
    client.force_login(cast.governor)
    assert getattr(client, method)(path.format(g=gathering.pk, a=activity.pk)).status_code == 405


def test_the_navigation_leads_organisers_to_their_gatherings(client, cast):
    for person, shown in (("governor", True), ("coordinator", True), ("forum_member", False), ("owner_contact", False)):
        client.force_login(getattr(cast, person))
        assert ('id="nav-gatherings"' in client.get("/").content.decode()) == shown, person
