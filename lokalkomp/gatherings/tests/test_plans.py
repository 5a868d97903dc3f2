"""The municipality's plan: one per owner and period, written by the owner's people, read by the county's organisers."""

from __future__ import annotations

import pytest

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.gatherings.models import GroupTask, MunicipalPlan, PlanEvent, TaskGroup
from lokalkomp.testing import make_organisation

from .helpers import make_gathering

pytestmark = pytest.mark.django_db

NEW = {"first_year": "2024", "last_year": "2027", "goals": "Alle barn skal lese.", "financing": "Egne midler."}


@pytest.fixture
def owner(cast):
    """The cast's owner, a member of the cast's network, with the owner contact speaking for it."""
    organisation = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(organisation)
    Membership.objects.create(user=cast.owner_contact, role=Role.OWNER_CONTACT, organisation=organisation)
    return organisation


def make_plan(owner, **values):
    values = {"first_year": 2024, "last_year": 2027} | values
    return MunicipalPlan.objects.create(owner=owner, **values)


def test_the_owners_people_make_a_plan(client, cast, owner):
    client.force_login(cast.owner_contact)
    response = client.post("/kommuneplaner/ny/", NEW | {"owner": owner.pk})
    plan = MunicipalPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.owner, plan.period, plan.goals) == (owner, "2024–2027", "Alle barn skal lese.")
    assert list(plan.events.values_list("kind", flat=True)) == ["created"]
    again = client.post("/kommuneplaner/ny/", NEW | {"owner": owner.pk})
    assert again.status_code == 422 and MunicipalPlan.objects.count() == 1
    stranger = make_organisation()
    assert client.post("/kommuneplaner/ny/", NEW | {"owner": stranger.pk}).status_code == 422


@pytest.mark.parametrize(
    "bad",
    [
        {"first_year": "2027", "last_year": "2024"},
        {"first_year": "2020", "last_year": "2031"},
        {"first_year": "1999"},
        {"first_year": "99999999999999"},
        {"goals": "x" * 10_001},
        {"goals": "Nul\x00"},
    ],
)
def test_bad_plan_input_gives_a_message(client, cast, owner, bad):
    client.force_login(cast.owner_contact)
    response = client.post("/kommuneplaner/ny/", NEW | {"owner": owner.pk} | bad)
    assert response.status_code == 422 and 'class="ds-validation-message"' in response.content.decode()
    assert not MunicipalPlan.objects.exists()


def test_editing_the_plan_is_on_record(client, cast, owner):
    plan = make_plan(owner)
    client.force_login(cast.owner_contact)
    response = client.post(f"/kommuneplaner/{plan.pk}/endre/", NEW | {"challenges": "Rekruttering."})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.challenges == "Rekruttering."
    event = plan.events.get(kind=PlanEvent.Kind.EDITED)
    assert event.actor == cast.owner_contact
    assert "Challenges" in event.detail or "Utfordringer" in event.detail


def test_development_areas(client, cast, owner):
    plan = make_plan(owner)
    client.force_login(cast.owner_contact)
    url = f"/kommuneplaner/{plan.pk}/omrader/ny/"
    client.post(url, {"title": "Lesing", "content": "Lesing i alle fag."})
    client.post(url, {"title": "lesing"})  # the same area twice: a message
    client.post(url, {"title": ""})
    assert list(plan.areas.values_list("title", flat=True)) == ["Lesing"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Lesing i alle fag." in page
    area = plan.areas.get()
    assert client.post(f"/kommuneplaner/{plan.pk}/omrader/{area.pk}/slett/").status_code == 302
    assert not plan.areas.exists()
    assert list(plan.events.values_list("kind", flat=True)) == ["area_removed", "area_added"]


def test_who_may_read_and_write_the_plan(client, cast, owner):
    plan = make_plan(owner)
    for person, read, write in (
        ("owner_contact", 200, 200),
        ("governor", 200, 403),
        ("coordinator", 200, 403),
        ("forum_member", 404, 404),
        ("other_coordinator", 404, 404),
        ("partner_contact", 404, 404),
        ("other_office_governor", 404, 404),
        ("outsider", 404, 404),
    ):
        client.force_login(getattr(cast, person))
        assert client.get(plan.get_absolute_url()).status_code == read, person
        assert client.get(f"/kommuneplaner/{plan.pk}/endre/").status_code == write, person
    client.force_login(cast.governor)
    assert client.get("/kommuneplaner/ny/").status_code == 403
    client.logout()
    assert client.get(plan.get_absolute_url()).status_code == 302


def test_the_list_shows_only_the_plans_one_may_read(client, cast, owner, django_assert_max_num_queries):
    make_plan(owner)
    for n in range(10):
        make_plan(make_organisation(name=f"Fremmed kommune {n}"))
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(8):
        page = client.get("/kommuneplaner/").content.decode()
    assert str(owner) in page and "Fremmed kommune" not in page
    client.force_login(cast.outsider)
    assert str(owner) not in client.get("/kommuneplaner/").content.decode()


def test_a_groups_answers_start_the_plan_without_overwriting_it(client, cast, owner):
    gathering = make_gathering(cast.round, network=cast.network)
    task = GroupTask.from_template(gathering, "municipal")
    group = TaskGroup.objects.create(task=task, name=str(owner), owner=owner)
    group.write({"goals": "Fra gruppa", "financing": "Søke midler", "anchoring_strategy": "Politisk"}, seen_revision=0)
    plan = make_plan(owner, goals="Skrevet av kommunen")
    client.force_login(cast.owner_contact)
    assert str(gathering) in client.get(plan.get_absolute_url()).content.decode()
    assert client.post(f"/kommuneplaner/{plan.pk}/fra-gruppe/{group.pk}/").status_code == 302
    plan.refresh_from_db()
    assert (plan.goals, plan.financing) == ("Skrevet av kommunen", "Søke midler")
    assert plan.events.filter(kind=PlanEvent.Kind.FROM_GROUP).exists()
    county = GroupTask.from_template(gathering, "county")
    other = TaskGroup.objects.create(task=county, name="Bord 1", owner=owner)
    assert client.post(f"/kommuneplaner/{plan.pk}/fra-gruppe/{other.pk}/").status_code == 404
    foreign = TaskGroup.objects.create(task=task, name="Annen kommune", owner=make_organisation())
    assert client.post(f"/kommuneplaner/{plan.pk}/fra-gruppe/{foreign.pk}/").status_code == 404
    client.force_login(cast.governor)
    assert client.post(f"/kommuneplaner/{plan.pk}/fra-gruppe/{group.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/kommuneplaner/"),
        ("put", "/kommuneplaner/ny/"),
        ("post", "/kommuneplaner/{p}/"),
        ("put", "/kommuneplaner/{p}/endre/"),
        ("get", "/kommuneplaner/{p}/omrader/ny/"),
        ("get", "/kommuneplaner/{p}/omrader/1/slett/"),
        ("get", "/kommuneplaner/{p}/fra-gruppe/1/"),
    ],
)
def test_the_plan_pages_refuse_the_wrong_method(client, cast, owner, method, path):
    plan = make_plan(owner)
    client.force_login(cast.owner_contact)
    assert getattr(client, method)(path.format(p=plan.pk)).status_code == 405
