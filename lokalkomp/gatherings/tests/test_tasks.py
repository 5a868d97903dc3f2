"""Group tasks: the templates of seed 000, the groups' links, their answers, and who may do what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from lokalkomp.gatherings.models import GroupAnswer, GroupTask, TaskGroup
from lokalkomp.gatherings.task_templates import COUNTY, MUNICIPAL

from .helpers import make_gathering

pytestmark = pytest.mark.django_db


def make_task(gathering, level="county", **group_values):
    task = GroupTask.from_template(gathering, level)
    group = TaskGroup.objects.create(task=task, name=group_values.pop("name", "Bord 3"), **group_values)
    return task, group


def test_the_templates_are_the_handouts():
    assert len(COUNTY) == 6 and COUNTY[0]["title"] == "Hvordan skal vi samarbeide i vårt fylke?"
    assert [q["key"] for q in MUNICIPAL[1:]] == [
        "development_areas",
        "goals",
        "organisation",
        "implementation",
        "other_measures",
        "financing",
        "challenges",
    ]


def test_an_organiser_adds_a_task_from_a_template(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    client.force_login(cast.coordinator)
    bad = client.post(f"/samlinger/{gathering.pk}/oppgaver/ny/", {"level": "national"})
    assert bad.status_code == 422 and not GroupTask.objects.exists()
    response = client.post(f"/samlinger/{gathering.pk}/oppgaver/ny/", {"level": "municipal", "title": ""})
    task = GroupTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert (task.title, len(task.questions)) == ("Gruppearbeid på kommunenivå", 8)
    assert task.title in client.get(gathering.get_absolute_url()).content.decode()


def test_groups_get_their_own_links(client, cast):
    gathering = make_gathering(cast.round)
    task, _group = make_task(gathering)
    client.force_login(cast.governor)
    url = f"/samlinger/{gathering.pk}/oppgaver/{task.pk}/grupper/ny/"
    assert client.post(url, {"name": "Bord 4", "table": "4"}).status_code == 302
    assert client.post(url, {"name": "bord 4"}).status_code == 422  # the same name
    assert client.post(url, {"name": "Bord 5", "table": "99999999"}).status_code == 422
    assert client.post(url, {"name": ""}).status_code == 422
    groups = list(task.groups.order_by("pk"))
    assert [g.name for g in groups] == ["Bord 3", "Bord 4"] and groups[0].token != groups[1].token
    page = client.get(task.get_absolute_url()).content.decode()
    assert groups[1].get_absolute_url() in page


def test_a_group_writes_its_answers_without_an_account(cast):
    gathering = make_gathering(cast.round)
    task, group = make_task(gathering)
    phone = Client()
    page = phone.get(group.get_absolute_url())
    assert page.status_code == 200 and COUNTY[0]["title"] in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    response = phone.post(
        group.get_absolute_url(), {"q_cooperation": "  Faste møter i nettverket.  ", "q_x": "ignored", "revision": 0}
    )
    assert response.status_code == 302
    assert list(GroupAnswer.objects.values_list("key", "text")) == [("cooperation", "Faste møter i nettverket.")]
    assert "Faste møter i nettverket." in phone.get(group.get_absolute_url()).content.decode()


def test_two_writers_of_one_group_do_not_overwrite_each_other(cast):
    gathering = make_gathering(cast.round)
    _task, group = make_task(gathering)
    first, second = Client(), Client()
    assert first.post(group.get_absolute_url(), {"q_cooperation": "Først", "revision": 0}).status_code == 302
    late = second.post(group.get_absolute_url(), {"q_cooperation": "Sist", "revision": 0})
    assert late.status_code == 409
    page = late.content.decode()
    assert "Sist" in page and "Først" in page  # theirs kept in the field, the saved one shown beside it
    assert GroupAnswer.objects.get().text == "Først"


@pytest.mark.parametrize(
    "bad",
    [
        {"q_cooperation": "x" * 5001, "revision": 0},
        {"q_cooperation": "Nul\x00", "revision": 0},
        {"revision": "abc"},
        {},
    ],
)
def test_bad_group_input_gives_a_message(cast, bad):
    gathering = make_gathering(cast.round)
    _task, group = make_task(gathering)
    response = Client().post(group.get_absolute_url(), bad)
    assert response.status_code == 422 and not GroupAnswer.objects.exists()


def test_a_closed_task_takes_no_more_answers(client, cast):
    gathering = make_gathering(cast.round)
    task, group = make_task(gathering)
    client.force_login(cast.governor)
    assert client.post(f"/samlinger/{gathering.pk}/oppgaver/{task.pk}/lukk/").status_code == 302
    refused = Client().post(group.get_absolute_url(), {"q_cooperation": "For sent", "revision": 0})
    assert refused.status_code == 409 and not GroupAnswer.objects.exists()
    assert Client().get(group.get_absolute_url()).status_code == 200
    assert client.post(f"/samlinger/{gathering.pk}/oppgaver/{task.pk}/apne/").status_code == 302
    assert GroupTask.objects.get().is_open


def test_a_wrong_link_or_a_draft_gathering_is_404(cast):
    draft = make_gathering(cast.round, published=False)
    _task, group = make_task(draft)
    assert Client().get(group.get_absolute_url()).status_code == 404
    assert Client().get("/gruppe/not-a-real-link/").status_code == 404


def test_who_may_see_and_run_the_task(client, cast):
    gathering = make_gathering(cast.round, network=cast.network)
    task, _group = make_task(gathering)
    url = task.get_absolute_url()
    for person, status in (
        ("coordinator", 200),
        ("governor", 200),
        ("forum_member", 200),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("other_office_governor", 404),
    ):
        client.force_login(getattr(cast, person))
        assert client.get(url).status_code == status, person
    client.force_login(cast.forum_member)
    assert _("The group's link:") not in client.get(url).content.decode()  # the links are the organisers'
    assert client.post(f"{url}grupper/ny/", {"name": "Bord 9"}).status_code == 403
    assert client.post(f"{url}lukk/").status_code == 403
    assert client.get(f"/samlinger/{gathering.pk}/oppgaver/ny/").status_code == 403
    other = make_gathering(cast.round)
    client.force_login(cast.governor)
    assert client.get(f"/samlinger/{other.pk}/oppgaver/{task.pk}/").status_code == 404


def test_the_task_page_costs_the_same_for_many_groups(client, cast, django_assert_max_num_queries):
    gathering = make_gathering(cast.round)
    task, group = make_task(gathering)
    for n in range(12):
        extra = TaskGroup.objects.create(task=task, name=f"Bord {n + 10}")
        extra.write({"cooperation": "Svar"}, seen_revision=0)
    client.force_login(cast.governor)
    with django_assert_max_num_queries(14):
        assert client.get(task.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/samlinger/{g}/oppgaver/ny/"),
        ("post", "/samlinger/{g}/oppgaver/{t}/"),
        ("get", "/samlinger/{g}/oppgaver/{t}/grupper/ny/"),
        ("get", "/samlinger/{g}/oppgaver/{t}/lukk/"),
        ("get", "/samlinger/{g}/oppgaver/{t}/apne/"),
        ("put", "/gruppe/{token}/"),
    ],
)
def test_the_task_pages_refuse_the_wrong_method(client, cast, method, path):
    gathering = make_gathering(cast.round)
    task, group = make_task(gathering)
    client.force_login(cast.governor)
    assert getattr(client, method)(path.format(g=gathering.pk, t=task.pk, token=group.token)).status_code == 405
