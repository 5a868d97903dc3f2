"""The forum's seats, kept in the page: the office's Statsforvalter adds, changes and ends seats (each an
event, old → new); the office's forum reads the list; the Statsforvalter never votes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Forum, ForumMember, Organisation
from lokalkomp.testing import make_office, make_organisation


def body(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


Kind = Organisation.Kind
STRANGERS = ["other_office_governor", "coordinator", "other_coordinator", "owner_contact", "union_rep", "outsider"]


@pytest.fixture
def forum(cast):
    forum = Forum.objects.create(office=cast.office, name="Samarbeidsforum Vesterheim")
    ForumMember.objects.create(forum=forum, organisation=make_organisation(Kind.INTEREST, name="KS"), role="member")
    return forum


@pytest.fixture
def governor(client, cast):
    client.force_login(cast.governor)
    return client


@pytest.fixture
def union():
    return make_organisation(Kind.INTEREST, name="Utdanningsforbundet")


def url(cast, name="seats", *args):
    return reverse(f"forum:{name}", args=[cast.office.slug, *args])


def seat_data(organisation, role="member", votes=True, person=None):
    data = {"organisation": organisation.pk, "role": role, "person": person.pk if person else ""}
    return data | ({"votes": "on"} if votes else {})


def seat_events(seat_pk):
    return AuditEvent.objects.filter(key__startswith=f"forummember:{seat_pk}:").order_by("pk")


# ── Who may ──


@pytest.mark.parametrize("who", ["governor", "forum_member"])
def test_the_statsforvalter_and_the_forum_read_the_seats(client, cast, forum, who):
    client.force_login(getattr(cast, who))

    response = client.get(url(cast))

    assert response.status_code == 200
    html = body(response)
    assert "KS" in html and forum.name in html
    assert ('id="add-seat-heading"' in html) is (who == "governor")


@pytest.mark.parametrize("who", STRANGERS)
def test_anyone_else_finds_no_forum(client, cast, forum, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, forum):
    response = client.get(url(cast))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_office_without_a_forum_has_no_seats_page(governor, cast):
    assert governor.get(url(cast)).status_code == 404


def test_a_forum_member_may_read_but_not_change_the_seats(client, cast, forum, union):
    client.force_login(cast.forum_member)
    seat = forum.members.get()

    assert client.post(url(cast, "add_seat"), seat_data(union)).status_code == 403
    assert client.get(url(cast, "edit_seat", seat.pk)).status_code == 403
    assert client.post(url(cast, "edit_seat", seat.pk), {"role": "observer"}).status_code == 403
    assert client.post(url(cast, "end_seat", seat.pk)).status_code == 403
    assert list(forum.members.values_list("role", flat=True)) == ["member"]
    assert not AuditEvent.objects.filter(key__startswith="forummember:").exists()


def test_a_seat_of_another_forum_is_not_found(governor, cast, forum):
    other = Forum.objects.create(office=make_office(), name="Et annet forum")
    seat = ForumMember.objects.create(forum=other, organisation=make_organisation(Kind.INTEREST), role="member")

    assert governor.get(url(cast, "edit_seat", seat.pk)).status_code == 404
    assert governor.post(url(cast, "end_seat", seat.pk)).status_code == 404
    assert ForumMember.objects.filter(pk=seat.pk).exists()


def test_each_page_answers_only_its_methods(governor, cast, forum):
    seat = forum.members.get()
    assert governor.post(url(cast)).status_code == 405
    assert governor.get(url(cast, "add_seat")).status_code == 405
    assert governor.put(url(cast, "edit_seat", seat.pk)).status_code == 405
    assert governor.delete(url(cast, "end_seat", seat.pk)).status_code == 405


# ── Adding, changing, ending ──


def test_the_statsforvalter_adds_a_seat_with_its_representative(governor, cast, forum, union):
    response = governor.post(url(cast, "add_seat"), seat_data(union, person=cast.forum_member))

    seat = ForumMember.objects.get(forum=forum, organisation=union)
    assert response.status_code == 302 and response["Location"].endswith(f"#seat-{seat.pk}")
    assert (seat.role, seat.votes, seat.person) == ("member", True, cast.forum_member)
    event = seat_events(seat.pk).get()
    assert event.key.endswith(":added") and event.actor == cast.governor and event.source == "form"
    assert event.office_id == cast.office.pk and str(cast.forum_member) in event.new_value


@pytest.mark.parametrize(
    ("organisation_kind", "role"),
    [(Kind.GOVERNOR, "member"), (Kind.INTEREST, "observer"), (Kind.INTEREST, "secretariat")],
)
def test_a_vote_is_refused_to_the_statsforvalter_and_to_seats_that_do_not_vote(
    governor, cast, forum, organisation_kind, role
):
    organisation = make_organisation(organisation_kind, name="Statsforvalteren i Vesterheim")

    response = governor.post(url(cast, "add_seat"), seat_data(organisation, role=role))

    assert response.status_code == 422
    html = body(response)
    if organisation_kind == Kind.GOVERNOR:
        assert "Statsforvalteren har ikke stemmerett i samarbeidsforumet." in html  # already in the catalogue
    assert 'aria-invalid="true"' in html
    assert f'value="{organisation.pk}" selected' in html  # what was chosen stays chosen
    assert not ForumMember.objects.filter(organisation=organisation).exists()


def test_the_statsforvalters_secretariat_seat_without_a_vote_is_fine(governor, cast, forum):
    organisation = make_organisation(Kind.GOVERNOR, name="Statsforvalteren i Vesterheim")

    response = governor.post(url(cast, "add_seat"), seat_data(organisation, role="secretariat", votes=False))

    assert response.status_code == 302
    assert ForumMember.objects.get(organisation=organisation).votes is False


def test_a_person_of_the_statsforvalter_may_not_hold_a_vote(governor, cast, forum, union):
    response = governor.post(url(cast, "add_seat"), seat_data(union, person=cast.governor))

    assert response.status_code == 422
    with translation.override("nb"):
        seat = ForumMember(forum=forum, organisation=union, role="member", votes=True, person=cast.governor)
        assert seat.seat_problems()["person"] in body(response)
    assert not ForumMember.objects.filter(organisation=union).exists()


def test_the_representative_is_one_of_the_offices_cast(governor, cast, forum, union):
    response = governor.post(url(cast, "add_seat"), seat_data(union, person=cast.outsider))

    assert response.status_code == 422
    assert not ForumMember.objects.filter(organisation=union).exists()
    assert str(cast.outsider) not in body(governor.get(url(cast))).split('id="id_person"')[1].split("</select>")[0]


def test_the_same_seat_twice_is_refused(governor, cast, forum):
    ks = forum.members.get().organisation

    response = governor.post(url(cast, "add_seat"), seat_data(ks))

    assert response.status_code == 422
    assert forum.members.count() == 1


def test_another_offices_owner_is_not_offered(governor, cast, forum):
    foreign_owner = make_organisation(Kind.MUNICIPALITY, name="Fjernvik kommune")

    html = body(governor.get(url(cast)))

    assert "Fjernvik kommune" not in html
    assert governor.post(url(cast, "add_seat"), seat_data(foreign_owner)).status_code == 422


def test_changing_a_seat_records_each_changed_field_old_and_new(governor, cast, forum):
    seat = forum.members.get()

    response = governor.post(
        url(cast, "edit_seat", seat.pk), {"role": "deputy", "votes": "on", "person": cast.forum_member.pk}
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.role, seat.votes, seat.person) == ("deputy", True, cast.forum_member)
    changes = {e.key.rpartition(":")[2]: (e.old_value, e.new_value) for e in seat_events(seat.pk)}
    assert changes == {"role": ("member", "deputy"), "person": ("", str(cast.forum_member))}
    assert all(e.actor == cast.governor for e in seat_events(seat.pk))


def test_taking_away_a_vote_is_recorded(governor, cast, forum):
    seat = forum.members.get()

    governor.post(url(cast, "edit_seat", seat.pk), {"role": "observer", "person": ""})

    seat.refresh_from_db()
    assert (seat.role, seat.votes) == ("observer", False)
    changes = {e.key.rpartition(":")[2]: (e.old_value, e.new_value) for e in seat_events(seat.pk)}
    assert changes == {"role": ("member", "observer"), "votes": ("true", "false")}


def test_a_wrong_change_is_refused_and_the_seat_stays(governor, cast, forum):
    seat = forum.members.get()

    response = governor.post(url(cast, "edit_seat", seat.pk), {"role": "observer", "votes": "on"})

    assert response.status_code == 422
    assert 'value="observer" selected' in body(response)
    seat.refresh_from_db()
    assert (seat.role, seat.votes) == ("member", True)
    assert not seat_events(seat.pk).exists()


def test_ending_a_seat_asks_first_then_removes_it_with_a_record(governor, cast, forum):
    seat = forum.members.get()
    assert governor.get(url(cast, "end_seat", seat.pk)).status_code == 200

    response = governor.post(url(cast, "end_seat", seat.pk))

    assert response.status_code == 302
    assert not ForumMember.objects.filter(pk=seat.pk).exists()
    event = seat_events(seat.pk).get()
    assert event.key.endswith(":removed") and event.old_value == "KS (member, votes)"
    assert event.actor == cast.governor


def test_the_list_costs_the_same_queries_for_one_seat_and_for_ten(governor, cast, forum, django_assert_max_num_queries):
    with django_assert_max_num_queries(15) as one:
        assert governor.get(url(cast)).status_code == 200
    for _ in range(9):
        ForumMember.objects.create(
            forum=forum, organisation=make_organisation(Kind.UNIVERSITY), role="member", person=cast.forum_member
        )
    with django_assert_max_num_queries(15) as ten:
        response = governor.get(url(cast))
    assert body(response).split('id="seats"')[1].split("</tbody>")[0].count("<tr id=") == 10
    assert len(one) == len(ten)


# ── The admin reads the seats; they change on the seats page ──


def test_the_forum_admin_shows_the_seats_for_reading_and_links_to_the_seats_page(client, cast, forum):
    from lokalkomp.testing import admin_form_data, make_user, sign_in_with_two_factor

    seat = forum.members.get()
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    change = reverse("admin:directory_forum_change", args=[forum.pk])

    page = client.get(change)

    assert page.status_code == 200
    html = body(page)
    assert "KS" in html and f'href="{url(cast)}"' in html
    assert "members-0-role" not in html and "members-__prefix__" not in html
    data = admin_form_data(page, **{"members-0-role": "deputy", "members-0-id": str(seat.pk)})
    assert client.post(change, data).status_code == 302
    seat.refresh_from_db()
    assert seat.role == "member"
    assert not seat_events(seat.pk).exists()
