"""Declarations of ties: the gate before the reports, the record that never changes, the auditor's page and CSV."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Declaration
from lokalkomp.testing import give_totp, make_round

from .assess_helpers import make_assessor, owner_of, submitted_measure, url


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network, name="Lesing")


@pytest.fixture
def newcomer(client, cast):
    """A forum member who has not declared their ties for the round yet."""
    user = make_assessor(cast.round, declared=False)
    client.force_login(user)
    return user


def html(response) -> str:
    return response.content.decode()


# ── The gate ──


def test_the_work_list_sends_an_undeclared_member_to_the_declaration_first(client, cast, newcomer):
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 302
    assert response["Location"].startswith(url("declaration", cast.round) + "?neste=")


def test_the_form_sends_an_undeclared_member_to_the_declaration_first(client, cast, measure, newcomer):
    for response in (
        client.get(url("assess", cast.round, measure.pk)),
        client.post(url("assess_save", cast.round, measure.pk), {"version": 0}),
        client.post(url("assess_save", cast.round, measure.pk), {"version": 0}, HTTP_HX_REQUEST="true"),
    ):
        assert response.status_code == 302 and response["Location"].startswith(url("declaration", cast.round))
    assert not newcomer.assessments.exists()


@pytest.mark.parametrize("page", ["needs:report", "needs:pdf", "needs:report_xlsx", "needs:versions"])
def test_the_needs_reports_of_the_round_send_an_undeclared_member_to_the_declaration(
    client, cast, measure, newcomer, page
):
    response = client.get(reverse(page, args=[measure.report_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(url("declaration", cast.round))


def test_the_reports_are_left_out_of_an_undeclared_members_lists_and_exports(client, cast, measure, newcomer):
    round_page = html(client.get(reverse("schemes:round", args=[cast.office.slug, cast.round.year])))
    assert measure.report.partnership.name not in round_page
    assert b"Lesing 1" not in b"".join(client.get(reverse("needs:measures_xlsx")).streaming_content)
    client.post(url("declaration", cast.round), {"no_other_ties": "on"})
    round_page = html(client.get(reverse("schemes:round", args=[cast.office.slug, cast.round.year])))
    assert measure.report.partnership.name in round_page


def test_after_declaring_the_member_goes_where_they_were_going(client, cast, measure, newcomer):
    report_url = reverse("needs:report", args=[measure.report_id])
    gate = client.get(report_url)["Location"]
    response = client.post(gate, {"no_other_ties": "on", "neste": report_url})
    assert response.status_code == 302 and response["Location"] == report_url
    assert client.get(report_url).status_code == 200
    assert client.get(url("assessments", cast.round)).status_code == 200


def test_the_declaration_does_not_send_anyone_elsewhere(client, cast, newcomer):
    response = client.post(url("declaration", cast.round), {"no_other_ties": "on", "neste": "https://evil.example/"})
    assert response["Location"] == url("assessments", cast.round)


def test_a_declaration_for_one_round_does_not_open_the_next(client, cast, newcomer):
    client.post(url("declaration", cast.round), {"no_other_ties": "on"})
    next_year = make_round(cast.office, year=cast.round.year + 1)
    assert client.get(url("assessments", next_year)).status_code == 302


def test_the_secretariat_and_the_reports_own_people_are_not_gated(client, cast, measure):
    coordinator_and_member = cast.coordinator
    Membership.objects.create(user=coordinator_and_member, role=Role.FORUM_MEMBER, office=cast.office)
    give_totp(coordinator_and_member)
    client.force_login(coordinator_and_member)
    assert client.get(reverse("needs:report", args=[cast.report.pk])).status_code == 200  # their network's
    client.force_login(cast.governor)
    assert client.get(url("assessments", cast.round)).status_code == 200
    assert client.get(reverse("needs:report", args=[measure.report_id])).status_code == 200


# ── Declaring ──


def test_a_member_declares_organisations_and_other_ties(client, cast, measure, newcomer):
    owner = owner_of(measure)
    page = html(client.get(url("declaration", cast.round)))
    assert f'value="{owner.pk}"' in page and "<legend" in page
    response = client.post(
        url("declaration", cast.round), {"organisations": [owner.pk], "ties": "Bror i rådmannens stab"}
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(person=newcomer)
    assert list(declaration.organisations.all()) == [owner]
    assert (declaration.ties, declaration.no_other_ties, declaration.organisation_names) == (
        "Bror i rådmannens stab",
        False,
        [owner.name],
    )
    assert client.get(url("assess", cast.round, measure.pk)).status_code == 403  # now disqualified


def test_every_declaration_is_a_new_row_and_the_page_lists_them(client, cast, measure, newcomer):
    client.post(url("declaration", cast.round), {"no_other_ties": "on"})
    client.post(url("declaration", cast.round), {"ties": "Nytt verv"})
    assert Declaration.objects.filter(person=newcomer, round=cast.round).count() == 2
    page = html(client.get(url("declaration", cast.round)))
    assert page.count("<tr>") == 1 + 2 and "Nytt verv" in page


@pytest.mark.parametrize(
    "data",
    [
        {},  # nothing at all
        {"no_other_ties": "on", "ties": "Likevel noe"},  # both
        {"ties": "Bånd\x00"},  # a NUL byte
        {"ties": "x" * 4001},  # too long
        {"organisations": ["²"]},
        {"organisations": ["99999999999999999999"]},
        {"organisations": ["-1"]},
    ],
)
def test_a_declaration_that_says_nothing_clear_is_refused_with_a_message(client, cast, newcomer, data):
    response = client.post(url("declaration", cast.round), data)
    assert response.status_code == 422
    assert "ds-validation-message" in html(response) or 'id="declaration-errors"' in html(response)
    assert not Declaration.objects.filter(person=newcomer).exists()


def test_an_organisation_of_another_office_cannot_be_declared(client, cast, newcomer):
    other_round = make_round(year=cast.round.year)
    foreign = submitted_measure(other_round)
    response = client.post(url("declaration", cast.round), {"organisations": [owner_of(foreign).pk]})
    assert response.status_code == 422
    assert not Declaration.objects.filter(person=newcomer).exists()


@pytest.mark.parametrize("who", ["governor", "coordinator", "owner_contact", "outsider", "other_office_governor"])
def test_only_members_and_deputies_declare(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("declaration", cast.round)).status_code == 403
    assert client.post(url("declaration", cast.round), {"no_other_ties": "on"}).status_code == 403
    assert not Declaration.objects.filter(person=getattr(cast, who)).exists()


def test_the_declaration_refuses_other_methods(client, cast, newcomer):
    assert client.put(url("declaration", cast.round)).status_code == 405


# ── The record never changes ──


def test_a_declaration_cannot_be_changed_or_deleted(cast):
    declaration = Declaration.objects.get(person=cast.forum_member, round=cast.round)
    declaration.ties = "Endret i ettertid"
    with pytest.raises(TypeError):
        declaration.save()
    with pytest.raises(TypeError):
        declaration.delete()
    with pytest.raises(TypeError):
        Declaration.objects.filter(pk=declaration.pk).update(ties="Endret")
    with pytest.raises(TypeError):
        Declaration.objects.filter(pk=declaration.pk).delete()
    assert Declaration.objects.get(pk=declaration.pk).ties == ""


def test_the_latest_declaration_per_person_is_found_among_many(cast):
    for n in range(3):
        Declaration.declare(
            round=cast.round, person=cast.forum_member, no_other_ties=False, organisations=[], ties=f"Bånd {n}"
        )
    latest = Declaration.objects.filter(round=cast.round).latest_per_person()
    assert [d.ties for d in latest] == ["Bånd 2"]


# ── The auditor's page and CSV ──


def test_the_statsforvalter_reads_every_declaration_and_each_members_disqualifications(client, cast, measure, newcomer):
    client.post(url("declaration", cast.round), {"organisations": [owner_of(measure).pk], "ties": "Styreverv"})
    client.force_login(cast.governor)
    response = client.get(url("declarations", cast.round))
    assert response.status_code == 200
    page = html(response)
    assert "Styreverv" in page and str(newcomer) in page and str(cast.forum_member) in page
    assert measure.report.partnership.name in page and owner_of(measure).name in page


def test_a_member_who_has_not_declared_is_shown_as_such(client, cast, newcomer):
    client.force_login(cast.governor)
    page = html(client.get(url("declarations", cast.round)))
    line = page.split(f'id="person-{newcomer.pk}"')[1].split("</tr>")[0]
    assert "Ikke erklært" in line or "Not declared" in line


def test_the_csv_has_one_line_per_declaration_and_defuses_formulas(client, cast, measure, newcomer):
    client.post(url("declaration", cast.round), {"ties": '=HYPERLINK("http://x")'})
    client.force_login(cast.governor)
    response = client.get(url("declarations_csv", cast.round))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 2  # the header, the cast's member and the newcomer
    assert "'=HYPERLINK" in text and newcomer.email in text


@pytest.mark.parametrize("name", ["declarations", "declarations_csv"])
@pytest.mark.parametrize("who", ["forum_member", "coordinator", "owner_contact", "other_office_governor"])
def test_only_the_secretariat_reads_the_declarations(client, cast, name, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(name, cast.round)).status_code == 403


def test_the_auditors_page_costs_the_same_queries_for_1_member_and_for_40(client, cast, measure):
    Declaration.declare(
        round=cast.round, person=cast.forum_member, no_other_ties=False, organisations=[owner_of(measure)], ties=""
    )
    client.force_login(cast.governor)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("declarations", cast.round)).status_code == 200
    for n in range(39):
        person = make_assessor(cast.round)
        Declaration.declare(
            round=cast.round, person=person, no_other_ties=False, organisations=[owner_of(measure)], ties=f"{n}"
        )
    with CaptureQueriesContext(connection) as forty:
        page = html(client.get(url("declarations", cast.round)))
    assert page.count(measure.report.partnership.name) == 40
    assert len(one) == len(forty) <= 15, "\n".join(q["sql"] for q in forty.captured_queries)


def test_the_declaration_page_costs_few_queries(client, cast, measure, newcomer):
    for _n in range(39):
        submitted_measure(cast.round)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("declaration", cast.round)).status_code == 200
    assert len(queries) <= 15, "\n".join(q["sql"] for q in queries.captured_queries)
