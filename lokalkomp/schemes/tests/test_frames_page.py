"""The frames page: the Statsforvalter of the round's office sets each scheme's frame, its key and the
key's counts per network; everyone else is refused; what is typed wrong is kept, with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.directory.models import Network
from lokalkomp.schemes.budgets import DistributionKey, KeyInput, amount_message, count_message
from lokalkomp.schemes.models import RoundScheme
from lokalkomp.testing import make_network, make_office, make_round

from .helpers import body

SIGNED_IN_OTHERS = [
    "other_office_governor",
    "forum_member",
    "coordinator",
    "other_coordinator",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "outsider",
]
ACTIONS = ["set_frame", "set_key", "set_counts", "remove_key"]


@pytest.fixture
def governor(client, people):
    client.force_login(people.governor)
    return client


@pytest.fixture
def scheme(people):
    return RoundScheme.objects.filter(round=people.round).select_related("scheme").first()


def page_url(round):
    return reverse("schemes:frames", args=[round.office.slug, round.year])


def action_url(round, name, round_scheme):
    return reverse(f"schemes:{name}", args=[round.office.slug, round.year, round_scheme.pk])


def networks_of(people):
    return list(Network.objects.filter(office=people.office).order_by("name", "pk"))


def in_bokmal(message):
    with translation.override("nb"):
        return message()


# ── Who may ──


def test_the_statsforvalter_sees_a_section_per_scheme(governor, people):
    response = governor.get(page_url(people.round))

    assert response.status_code == 200
    html = body(response)
    for rs in people.round.round_schemes.select_related("scheme"):
        assert f'id="scheme-{rs.pk}"' in html and rs.scheme.name in html


@pytest.mark.parametrize("who", SIGNED_IN_OTHERS)
def test_nobody_else_may_open_or_change_the_frames(client, people, scheme, who):
    client.force_login(getattr(people, who))

    assert client.get(page_url(people.round)).status_code == 403
    for name in ACTIONS:
        data = {f"s{scheme.pk}-amount": "100", f"s{scheme.pk}-basis": "staff"}
        assert client.post(action_url(people.round, name, scheme), data).status_code == 403, name
    scheme.refresh_from_db()
    assert scheme.budget is None and not DistributionKey.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, people, scheme):
    response = client.get(page_url(people.round))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = client.post(action_url(people.round, "set_frame", scheme), {f"s{scheme.pk}-amount": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_scheme_of_another_round_is_not_found(governor, people):
    other = make_round(people.office, year=people.round.year - 1).round_schemes.first()

    response = governor.post(action_url(people.round, "set_frame", other), {f"s{other.pk}-amount": "5"})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.budget is None


def test_an_unknown_round_is_not_found(governor, people):
    assert governor.get(reverse("schemes:frames", args=[people.office.slug, 1999])).status_code == 404


def test_each_page_answers_only_its_method(governor, people, scheme):
    assert governor.post(page_url(people.round)).status_code == 405
    for name in ACTIONS:
        assert governor.get(action_url(people.round, name, scheme)).status_code == 405, name


# ── The frame ──


@pytest.mark.parametrize(
    ("typed", "kroner"), [("kr 1 200 000", 1_200_000), ("1200000", 1_200_000), ("1 200 000,-", 1_200_000), ("", None)]
)
def test_a_frame_is_read_as_people_write_it(governor, people, scheme, typed, kroner):
    scheme.set_frame(5, by=None)

    response = governor.post(action_url(people.round, "set_frame", scheme), {f"s{scheme.pk}-amount": typed})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#scheme-{scheme.pk}")
    scheme.refresh_from_db()
    assert scheme.budget == kroner
    event = AuditEvent.objects.get(key=f"roundscheme:{scheme.pk}:budget", actor=people.governor)
    assert (event.old_value, event.new_value, event.source) == ("5", "" if kroner is None else str(kroner), "form")


@pytest.mark.parametrize("typed", ["12 5", "-5", "kr 2 000 000 000 000", "1,5 mill", "1\x00", "9" * 200, "²"])
def test_a_wrong_frame_is_refused_with_a_message_and_the_typed_text_kept(governor, people, scheme, typed):
    response = governor.post(action_url(people.round, "set_frame", scheme), {f"s{scheme.pk}-amount": typed})

    assert response.status_code == 422
    html = body(response)
    assert in_bokmal(amount_message).replace("\u00a0", " ") in html
    assert 'aria-invalid="true"' in html
    if "\x00" not in typed:
        assert f'value="{typed}"' in html.replace("&#x27;", "'")
    scheme.refresh_from_db()
    assert scheme.budget is None
    assert not AuditEvent.objects.filter(key__startswith="roundscheme:").exists()


def test_with_htmx_a_change_answers_with_its_section_only(governor, people, scheme):
    response = governor.post(
        action_url(people.round, "set_frame", scheme), {f"s{scheme.pk}-amount": "kr 900 000"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = body(response)
    assert html.lstrip().startswith(f'<section class="lk-card lk-stack" id="scheme-{scheme.pk}"')
    assert "<html" not in html and 'value="900 000"' in html and 'role="status"' in html


def test_with_htmx_a_wrong_value_answers_422_with_its_section(governor, people, scheme):
    response = governor.post(
        action_url(people.round, "set_frame", scheme), {f"s{scheme.pk}-amount": "tusen"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert "<html" not in body(response) and 'value="tusen"' in body(response)


# ── The key and its counts ──


def test_the_statsforvalter_divides_a_frame_by_a_key_and_sees_each_share_and_the_sum(governor, people, scheme):
    first, second = networks_of(people)
    scheme.set_frame(1_000_000, by=None)
    response = governor.post(
        action_url(people.round, "set_key", scheme),
        {f"s{scheme.pk}-basis": "staff", f"s{scheme.pk}-base_amount": "kr 100 000"},
    )
    assert response.status_code == 302
    key = DistributionKey.objects.get(round_scheme=scheme)
    assert (key.basis, key.base_amount) == ("staff", 100_000)

    response = governor.post(
        action_url(people.round, "set_counts", scheme),
        {f"s{scheme.pk}-network-{first.pk}": "1 000", f"s{scheme.pk}-network-{second.pk}": "3000"},
    )
    assert response.status_code == 302
    assert dict(KeyInput.objects.values_list("network_id", "count")) == {first.pk: 1000, second.pk: 3000}
    assert AuditEvent.objects.filter(key__startswith="keyinput:", actor=people.governor).count() == 2

    html = body(governor.get(page_url(people.round)))
    table = html.split(f'id="division-{scheme.pk}"')[1].split("</table>")[0]
    assert "kr 300 000" in table and "kr 700 000" in table  # 100 000 + 200 000 and 100 000 + 600 000
    assert "kr 1 000 000" in table.split("<tfoot>")[1]  # the sum: the frame


def test_base_amounts_above_the_frame_show_a_message_not_an_error(governor, people, scheme):
    scheme.set_frame(100_000, by=None)
    key = DistributionKey.put(scheme, basis="units", base_amount=80_000, by=None)
    key.set_counts({n.pk: 1 for n in networks_of(people)}, by=None)

    response = governor.get(page_url(people.round))

    assert response.status_code == 200
    assert "kr 160 000" in body(response)  # 2 × kr 80 000 = kr 160 000, more than the frame


def test_a_wrong_count_is_refused_with_the_typed_text_kept(governor, people, scheme):
    first, second = networks_of(people)
    key = DistributionKey.put(scheme, basis="children", base_amount=0, by=None)
    key.set_counts({first.pk: 5}, by=None)

    response = governor.post(
        action_url(people.round, "set_counts", scheme),
        {f"s{scheme.pk}-network-{first.pk}": "7", f"s{scheme.pk}-network-{second.pk}": "mange"},
    )

    assert response.status_code == 422
    html = body(response)
    assert 'value="mange"' in html and 'value="7"' in html
    assert in_bokmal(count_message).replace("\u00a0", " ") in html
    assert dict(KeyInput.objects.values_list("network_id", "count")) == {first.pk: 5}  # nothing saved


def test_a_new_network_is_out_of_the_key_until_the_counts_form_adds_it_on_record(governor, people, scheme):
    first, second = networks_of(people)
    scheme.set_frame(1_000_000, by=None)
    key = DistributionKey.put(scheme, basis="staff", base_amount=100_000, by=None)
    key.set_counts({first.pk: 10, second.pk: 10}, by=None)
    newcomer = make_network(people.office)

    html = body(governor.get(page_url(people.round)))
    row = html.split(f'id="count-{scheme.pk}-{newcomer.pk}"')[1].split("</tr>")[0]
    assert "(ikke i nøkkelen)" in row and "kr" not in row and 'value=""' in row
    assert html.count("kr 500 000") == 2

    field = f"s{scheme.pk}-network-"
    posted = {f"{field}{first.pk}": "10", f"{field}{second.pk}": "10", f"{field}{newcomer.pk}": "0"}
    assert governor.post(action_url(people.round, "set_counts", scheme), posted).status_code == 302
    assert KeyInput.objects.get(network=newcomer).count == 0
    event = AuditEvent.objects.get(key__startswith="keyinput:", key__endswith=":added", actor=people.governor)
    assert (event.old_value, event.new_value) == ("", "0")
    html = body(governor.get(page_url(people.round)))
    assert html.count("kr 450 000") == 2 and "kr 100 000" in html.split(f'id="count-{scheme.pk}-{newcomer.pk}"')[1]
    assert "Kompetansenettverk lagt til i nøkkelen" in html.split('id="frame-events"')[1]


def test_an_emptied_count_takes_the_network_out_and_a_field_not_sent_is_left_alone(governor, people, scheme):
    first, second = networks_of(people)
    key = DistributionKey.put(scheme, basis="staff", base_amount=0, by=None)
    key.set_counts({first.pk: 10, second.pk: 20}, by=None)

    response = governor.post(action_url(people.round, "set_counts", scheme), {f"s{scheme.pk}-network-{first.pk}": ""})

    assert response.status_code == 302
    assert dict(KeyInput.objects.values_list("network_id", "count")) == {second.pk: 20}
    event = AuditEvent.objects.get(key__startswith="keyinput:", key__endswith=":removed")
    assert (event.old_value, event.new_value, event.actor) == ("10", "", people.governor)


def test_a_network_that_left_the_office_is_listed_to_be_taken_out_and_given_no_new_count(governor, people, scheme):
    first, second = networks_of(people)
    key = DistributionKey.put(scheme, basis="staff", base_amount=0, by=None)
    key.set_counts({first.pk: 10, second.pk: 20}, by=None)
    Network.objects.filter(pk=second.pk).update(office=make_office())
    field = f"s{scheme.pk}-network-"

    html = body(governor.get(page_url(people.round)))
    assert "ikke lenger et kompetansenettverk i embetet" in html.split(f'id="count-{scheme.pk}-{second.pk}"')[1]

    response = governor.post(
        action_url(people.round, "set_counts", scheme), {f"{field}{first.pk}": "10", f"{field}{second.pk}": "25"}
    )
    assert response.status_code == 422
    assert "Bare kompetansenettverkene i rundens embete har tall." in body(response)
    assert dict(KeyInput.objects.values_list("network_id", "count")) == {first.pk: 10, second.pk: 20}

    response = governor.post(
        action_url(people.round, "set_counts", scheme), {f"{field}{first.pk}": "10", f"{field}{second.pk}": ""}
    )
    assert response.status_code == 302
    assert dict(KeyInput.objects.values_list("network_id", "count")) == {first.pk: 10}


def test_counts_without_a_key_and_removing_no_key_are_refused(governor, people, scheme):
    assert governor.post(action_url(people.round, "set_counts", scheme), {}).status_code == 409
    assert governor.post(action_url(people.round, "remove_key", scheme)).status_code == 409


def test_removing_the_key_removes_its_counts_and_records_them(governor, people, scheme):
    key = DistributionKey.put(scheme, basis="staff", base_amount=0, by=None)
    key.set_counts({networks_of(people)[0].pk: 12}, by=None)

    response = governor.post(action_url(people.round, "remove_key", scheme))

    assert response.status_code == 302
    assert not DistributionKey.objects.exists() and not KeyInput.objects.exists()
    event = AuditEvent.objects.get(key=f"distributionkey:{key.pk}:removed")
    assert event.actor == people.governor and ": 12" in event.old_value


def test_the_page_lists_the_rounds_changes(governor, people, scheme):
    scheme.set_frame(400_000, by=people.governor)

    html = body(governor.get(page_url(people.round)))

    events = html.split('id="frame-events"')[1]
    assert "kr 400 000" in events and str(people.governor) in events  # the record's «400000», read


def test_the_page_costs_the_same_queries_with_one_network_as_with_many(governor, people, django_assert_max_num_queries):
    def queries() -> int:
        with django_assert_max_num_queries(15) as captured:
            assert governor.get(page_url(people.round)).status_code == 200
        return len(captured)

    few = queries()
    for rs in people.round.round_schemes.all():
        rs.set_frame(2_000_000, by=people.governor)
        DistributionKey.put(rs, basis="staff", base_amount=1_000, by=people.governor)
    for _ in range(6):
        make_network(people.office)
    for key in DistributionKey.objects.all():
        key.set_counts({n.pk: 10 + n.pk % 3 for n in networks_of(people)}, by=people.governor)

    assert queries() == few
