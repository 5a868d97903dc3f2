"""Into the needs analysis ★: the organisers pick responses; they appear on the network's and the round's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lokalkomp.gatherings.models import Activity, GroupAnswer, GroupTask, Response, TaskGroup

from .helpers import make_activity, make_gathering, make_participant

pytestmark = pytest.mark.django_db

PICKED = "Vi trenger mer tid til lesing"
UNPICKED = "Kaffen var god"


@pytest.fixture
def gathering(cast):
    gathering = make_gathering(
        cast.round, network=cast.network, title="Nettverkssamling", date=dt.date(cast.round.year, 10, 5)
    )
    statements = make_activity(gathering, Activity.Kind.STATEMENTS, question="Tre utsagn per bord")
    statements.answer(make_participant(gathering, table=4), text=PICKED)
    statements.answer(make_participant(gathering, table=5), text=UNPICKED)
    task = GroupTask.from_template(gathering, "county")
    TaskGroup.objects.create(task=task, name="Bord 3").write(
        {"cooperation": "Felles plan for nettverket"}, seen_revision=0
    )
    return gathering


def test_the_coordinator_picks_and_unpicks(client, cast, gathering):
    response = Response.objects.get(text=PICKED)
    answer = GroupAnswer.objects.get()
    client.force_login(cast.coordinator)
    page = client.get(f"/samlinger/{gathering.pk}/behovsanalyse/").content.decode()
    assert PICKED in page and "Felles plan for nettverket" in page
    done = client.post(f"/samlinger/{gathering.pk}/svar/{response.pk}/velg/")
    assert done.status_code == 302 and done["Location"].endswith(f"#response-{response.pk}")
    client.post(f"/samlinger/{gathering.pk}/gruppesvar/{answer.pk}/velg/")
    response.refresh_from_db()
    answer.refresh_from_db()
    assert (response.picked_by, answer.picked_by) == (cast.coordinator, cast.coordinator)
    assert response.picked_at is not None and answer.picked_at is not None
    client.post(f"/samlinger/{gathering.pk}/gruppesvar/{answer.pk}/fjern-valg/")
    answer.refresh_from_db()
    assert answer.picked_at is None and answer.picked_by is None


def test_a_hidden_response_cannot_be_picked(client, cast, gathering):
    response = Response.objects.get(text=UNPICKED)
    response.hide(by=None)
    client.force_login(cast.coordinator)
    client.post(f"/samlinger/{gathering.pk}/svar/{response.pk}/velg/")
    response.refresh_from_db()
    assert response.picked_at is None


def test_the_picks_appear_beside_the_networks_reports(client, cast, gathering):
    Response.objects.get(text=PICKED).pick(by=cast.coordinator)
    GroupAnswer.objects.get().pick(by=cast.coordinator)
    url = cast.network.get_absolute_url()
    for person, sees in (
        ("coordinator", True),
        ("governor", True),
        ("forum_member", True),
        ("owner_contact", False),  # not invited: only the organisers are
        ("other_office_governor", False),
        ("outsider", False),
    ):
        client.force_login(getattr(cast, person))
        page = client.get(url).content.decode()
        assert (PICKED in page) == sees, person
        assert UNPICKED not in page
    client.force_login(cast.coordinator)
    page = client.get(url).content.decode()
    assert "Felles plan for nettverket" in page and "Nettverkssamling" in page
    client.logout()
    assert PICKED not in client.get(url).content.decode()


def test_those_invited_see_the_picks(client, cast, gathering):
    from lokalkomp.accounts.models import Membership, Role

    owner = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(owner)
    Membership.objects.create(user=cast.owner_contact, role=Role.OWNER_CONTACT, organisation=owner)
    gathering.audience = "network"
    gathering.save()
    Response.objects.get(text=PICKED).pick(by=cast.coordinator)
    client.force_login(cast.owner_contact)
    assert PICKED in client.get(cast.network.get_absolute_url()).content.decode()


def test_the_round_page_lists_the_gatherings_and_their_picks(
    client, cast, gathering, django_assert_max_num_queries, django_assert_num_queries
):
    Response.objects.get(text=PICKED).pick(by=cast.coordinator)
    make_gathering(cast.round, title="Utkast", published=False)
    url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    anonymous = client.get(url).content.decode()
    assert "Nettverkssamling" in anonymous and "Utkast" not in anonymous and PICKED not in anonymous
    client.force_login(cast.governor)
    with django_assert_max_num_queries(20) as one:
        assert PICKED in client.get(url).content.decode()
    for n in range(6):
        other = make_gathering(cast.round, network=cast.network, title=f"Samling {n}")
        make_activity(other, Activity.Kind.STATEMENTS).answer(make_participant(other), text=f"Utsagn {n}").pick(by=None)
    with django_assert_num_queries(len(one.captured_queries)):  # the same, however many gatherings
        page = client.get(url).content.decode()
    assert PICKED in page and "Utsagn 5" in page


def test_who_may_pick(client, cast, gathering):
    response = Response.objects.get(text=PICKED)
    for person, status in (("forum_member", 403), ("other_coordinator", 404), ("outsider", 404)):
        client.force_login(getattr(cast, person))
        assert client.get(f"/samlinger/{gathering.pk}/behovsanalyse/").status_code == status, person
        assert client.post(f"/samlinger/{gathering.pk}/svar/{response.pk}/velg/").status_code == status, person
    assert not Response.objects.filter(picked_at__isnull=False).exists()
    client.force_login(cast.coordinator)
    other = make_gathering(cast.round, network=cast.network)
    assert client.post(f"/samlinger/{other.pk}/svar/{response.pk}/velg/").status_code == 404
    assert client.get(f"/samlinger/{gathering.pk}/svar/{response.pk}/velg/").status_code == 405
    assert client.post(f"/samlinger/{gathering.pk}/behovsanalyse/").status_code == 405


def test_the_pick_page_costs_the_same_for_many_responses(client, cast, gathering, django_assert_max_num_queries):
    activity = gathering.activities.get()
    for n in range(20):
        activity.answer(make_participant(gathering, table=n + 1), text=f"Utsagn {n}")
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(f"/samlinger/{gathering.pk}/behovsanalyse/").status_code == 200


def test_a_new_answer_of_the_same_phone_is_not_the_picked_one_and_a_hidden_answer_stays_hidden(cast, gathering):
    one_word = make_activity(gathering, Activity.Kind.ONE_WORD, question="Ett ord om dagen")
    phone = make_participant(gathering, table=2)
    first = one_word.answer(phone, text="Trygghet")
    first.pick(by=cast.coordinator)
    assert list(Response.objects.picked().filter(activity=one_word).values_list("text", flat=True)) == ["Trygghet"]

    one_word.answer(phone, text="Tull")

    assert not Response.objects.picked().filter(activity=one_word).exists()  # the pick went with the old text
    Response.objects.get(activity=one_word).hide(by=cast.coordinator)
    again = one_word.answer(phone, text="Tull igjen")
    assert again.hidden and not Response.objects.shown().filter(activity=one_word).exists()


def test_a_group_answer_rewritten_after_its_pick_loses_the_pick(cast, gathering):
    group = TaskGroup.objects.get()
    answer = GroupAnswer.objects.get()
    answer.pick(by=cast.coordinator)
    group.write({"cooperation": "Felles plan for nettverket"}, seen_revision=group.revision)  # the same text
    assert GroupAnswer.objects.get().picked_at is not None

    group.refresh_from_db()
    group.write({"cooperation": "Noe helt annet"}, seen_revision=group.revision)

    assert GroupAnswer.objects.get().picked_at is None and GroupAnswer.objects.get().picked_by is None
