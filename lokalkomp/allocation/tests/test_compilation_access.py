"""Who reads the compilation: drafts for the network's coordinators and the Statsforvalter; what was delivered
also for the forum, the readers and the partnerships' contacts; nothing for anyone else (404).
And where it shows: the network's page, the round's page and list, the deadline, needs' «compiled»."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.accounts.models import Role
from lokalkomp.allocation.compilation_panels import compiled_report_ids, report_marks
from lokalkomp.allocation.models import Compilation
from lokalkomp.needs import marks
from lokalkomp.needs import panels as needs_panels
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import make_network, make_office, make_round, make_user

from .compilation_helpers import (
    DEKOMP,
    compilation_of,
    in_english,
    office_person,
    round_url,
    secretary,
    set_deadline,
    submitted_report,
    text,
    url,
)

pytestmark = pytest.mark.cast(year=2024)
DRAFT_READERS = ("coordinator", "governor")
DELIVERED_READERS = ("forum_member", "owner_contact", "partner_contact")
STRANGERS = ("outsider", "union_rep", "other_coordinator", "other_office_governor")


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def draft(cast):
    submitted_report(cast, [("Hemmelig utkast", 1000, 2000)], codes=[DEKOMP])
    return compilation_of(cast)


@pytest.mark.parametrize("who", DRAFT_READERS)
def test_the_coordinator_and_the_statsforvalter_read_the_draft(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.get(url(cast))
    assert response.status_code == 200 and "Hemmelig utkast" in text(response)


@pytest.mark.parametrize("who", DELIVERED_READERS)
def test_the_forum_and_the_contacts_do_not_read_the_draft(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.get(url(cast))
    assert response.status_code == 200
    body = text(response)
    assert "Hemmelig utkast" not in body and "The network has not delivered its compilation yet." in body


@pytest.mark.parametrize("who", DELIVERED_READERS + DRAFT_READERS)
def test_what_was_delivered_is_read_by_the_forum_the_contacts_the_coordinator_and_the_statsforvalter(
    client, cast, draft, who
):
    draft.deliver(by=cast.coordinator, expected_version=None)
    client.force_login(getattr(cast, who))
    response = client.get(url(cast))
    assert response.status_code == 200 and "Hemmelig utkast" in text(response)
    assert "As delivered: version 1" in text(response)
    assert client.get(url(cast, "compilation_pdf", number=1)).status_code == 200
    assert client.get(url(cast, "compilation_versions")).status_code == 200


def test_the_office_reader_and_the_forum_secretary_read_what_was_delivered(client, cast, draft):
    draft.deliver(by=cast.coordinator, expected_version=None)
    for person in (office_person(cast, Role.READER), secretary(cast)):
        client.force_login(person)
        assert "Hemmelig utkast" in text(client.get(url(cast)))


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_are_told_nothing_exists(client, cast, draft, who):
    draft.deliver(by=cast.coordinator, expected_version=None)
    client.force_login(getattr(cast, who))
    for path in (url(cast), url(cast, "compilation_versions"), url(cast, "compilation_pdf", number=1)):
        assert client.get(path).status_code == 404, path
    entry = draft.entries.get()
    assert (
        client.post(url(cast, "compilation_move", entry=entry.pk, direction="opp"), {"version": 1}).status_code == 404
    )


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, draft):
    response = client.get(url(cast))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ("governor", "forum_member", "owner_contact"))
def test_readers_may_not_change_or_deliver(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    entry = draft.entries.get()
    data = {"version": draft.version}
    assert client.post(url(cast, "compilation_move", entry=entry.pk, direction="opp"), data).status_code == 403
    assert client.post(url(cast, "compilation_mark", entry=entry.pk), {**data, "recommended": "yes"}).status_code == 403
    assert client.post(url(cast, "compilation_comment"), {"comment": "x"}).status_code == 403
    assert client.post(url(cast, "compilation_deliver"), data).status_code == 403
    assert not Compilation.objects.get(pk=draft.pk).versions.exists()


def test_the_governor_opening_the_page_starts_the_compilation_but_a_forum_member_does_not(client, cast):
    client.force_login(cast.forum_member)
    client.get(url(cast))
    assert not Compilation.objects.exists()
    client.force_login(cast.governor)
    client.get(url(cast))
    assert Compilation.objects.filter(network=cast.network, round=cast.round).exists()


@pytest.mark.parametrize("part", ["office", "network", "year"])
def test_an_unknown_network_office_or_year_is_not_found(client, cast, part):
    client.force_login(cast.governor)
    kwargs = {"office": cast.office.slug, "network": cast.network.slug, "year": cast.round.year}
    kwargs[part] = {"office": "finnes-ikke", "network": "finnes-ikke", "year": 1999}[part]
    assert client.get(reverse("allocation:compilation", kwargs=kwargs)).status_code == 404
    kwargs["year"] = 99999999999999
    assert client.get(reverse("allocation:compilation", kwargs=kwargs)).status_code == 404


# ── The round's list ──


def test_the_round_list_shows_every_network_to_the_statsforvalter_and_the_forum(client, cast, draft):
    draft.deliver(by=cast.coordinator, expected_version=None)
    for who in ("governor", "forum_member"):
        client.force_login(getattr(cast, who))
        response = client.get(round_url(cast))
        assert response.status_code == 200
        body = text(response)
        assert str(cast.network) in body and "Version 1" in body
        assert body.count("Not delivered") == 1  # the other network of the office
        assert "1 of 2 networks have delivered." in body


def test_the_round_list_shows_a_coordinator_their_own_network_only(client, cast, draft):
    client.force_login(cast.other_coordinator)
    body = text(client.get(round_url(cast)))
    assert str(cast.network) not in body and "Not delivered" in body


@pytest.mark.parametrize("who", ["outsider", "union_rep", "other_office_governor"])
def test_the_round_list_refuses_those_without_a_network_in_it(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(round_url(cast)).status_code == 403


def test_the_round_list_of_an_unknown_round_is_not_found(client, cast):
    client.force_login(cast.governor)
    assert (
        client.get(
            reverse("allocation:round_compilations", kwargs={"office": cast.office.slug, "year": 2099})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("allocation:round_compilations", kwargs={"office": cast.office.slug, "year": 10**12})
        ).status_code
        == 404
    )


# ── Where it shows ──


def test_the_network_page_links_to_the_compilation_for_its_readers_only(client, cast, draft):
    client.force_login(cast.coordinator)
    assert url(cast) in text(client.get(cast.network.get_absolute_url()))
    client.force_login(cast.forum_member)  # nothing delivered: no link, the status only
    body = text(client.get(cast.network.get_absolute_url()))
    assert url(cast) not in body and "Compilation 2024 – not delivered" in body
    client.force_login(cast.outsider)
    assert "network-compilations" not in text(client.get(cast.network.get_absolute_url()))


@pytest.mark.parametrize("who", ["governor", "forum_member", "coordinator"])
def test_the_round_page_links_to_the_list_for_those_who_may_read_it(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    assert round_url(cast) in text(client.get(cast.round.get_absolute_url()))


@pytest.mark.parametrize("who", ["outsider", "union_rep", "other_office_governor", None])
def test_the_round_page_has_no_link_for_others(client, cast, draft, who):
    if who:
        client.force_login(getattr(cast, who))
    assert round_url(cast) not in text(client.get(cast.round.get_absolute_url()))


def test_the_deadline_links_the_coordinator_to_the_compilation_and_the_statsforvalter_to_the_list(client, cast):
    set_deadline(cast, cast.round.milestones.model._meta.get_field("starts_on").to_python("2024-01-10"))
    client.force_login(cast.coordinator)
    assert f'href="{url(cast)}"' in text(client.get(cast.round.get_absolute_url()))
    client.force_login(cast.governor)
    assert f'href="{round_url(cast)}"' in text(client.get(cast.round.get_absolute_url()))
    client.force_login(cast.outsider)
    body = text(client.get(cast.round.get_absolute_url()))
    assert round_url(cast) not in body and url(cast) not in body


def test_the_coordinators_due_item_goes_to_the_compilation(cast):
    import datetime as dt

    from lokalkomp.schemes.due import due_for

    Milestone.objects.create(
        round=cast.round, title="Frist", starts_on=dt.date(2024, 1, 10), governs="network_compilation"
    )
    (item,) = [i for i in due_for(cast.coordinator, dt.date(2024, 1, 2)) if i.title == "Frist"]
    assert item.url == url(cast)


def test_needs_reads_which_reports_are_compiled(cast, draft):
    report = draft.entries.get().measure.report
    assert compiled_report_ids(cast.round) == set()
    draft.deliver(by=cast.coordinator, expected_version=None)
    assert compiled_report_ids(cast.round) == {report.pk}
    assert report_marks(cast.round, [report.pk, cast.report.pk]).keys() == {report.pk}
    assert compiled_report_ids in needs_panels.compiled_report_ids
    assert report_marks in marks.report_marks


def test_another_offices_round_sees_nothing_of_this_one(cast, draft):
    draft.deliver(by=cast.coordinator, expected_version=None)
    other = make_round(make_office(), year=2024)
    assert compiled_report_ids(other) == set()


def test_a_coordinator_of_a_network_elsewhere_is_a_stranger(client, cast, draft):
    elsewhere = make_user()
    make_network(make_office(), coordinator=elsewhere)
    client.force_login(elsewhere)
    assert client.get(url(cast)).status_code == 404


@pytest.mark.parametrize(
    "who", ["coordinator", "other_coordinator", "governor", "forum_member", "owner_contact", "union_rep", "outsider"]
)
def test_the_list_filter_agrees_with_the_rules(cast, draft, who):
    """visible_compilations_q (for lists) lets through exactly what the predicates let a person open."""
    from lokalkomp.allocation.rules.compilation import (
        can_view_compilation_draft,
        can_view_delivered_compilation,
        visible_compilations_q,
    )

    other = Compilation.of(cast.round, make_network(cast.office, coordinator=cast.other_coordinator))
    submitted_report(cast, [("Levert", 1, 1)], codes=[DEKOMP])
    delivered = compilation_of(cast)
    delivered.deliver(by=cast.coordinator, expected_version=None)
    user = getattr(cast, who)
    for compilation in (delivered, other):
        compilation = Compilation.objects.select_related("round", "network").get(pk=compilation.pk)
        may = can_view_compilation_draft(user, compilation) or (
            compilation.versions.exists() and can_view_delivered_compilation(user, compilation)
        )
        listed = Compilation.objects.filter(visible_compilations_q(user), pk=compilation.pk).exists()
        assert listed == bool(may), (who, compilation)
