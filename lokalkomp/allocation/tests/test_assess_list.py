"""The round's assessment work list: the measures by network and scheme, each person's status, the setup."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.allocation.models import Assessment, AssessmentSetup
from lokalkomp.needs.models import Measure
from lokalkomp.testing import make_network

from .assess_helpers import make_assessor, owner_of, submitted_measure, url


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network, name="Lesing")


def html(response) -> str:
    return response.content.decode()


def row(page: str, measure: Measure) -> str:
    return page.split(f'id="measure-{measure.pk}"')[1].split("</tr>")[0]


def test_a_forum_member_sees_every_submitted_measure_with_a_link_to_its_form(client, cast, measure):
    client.force_login(cast.forum_member)
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 200
    line = row(html(response), measure)
    assert url("assess", cast.round, measure.pk) in line
    assert f"/behovsmeldinger/{measure.report_id}/#measure-{measure.pk}" in line
    assert "Lesing 1" in line and "150" in line  # the name and the amount asked


def test_drafts_are_not_in_the_list(client, cast, measure):
    draft = Measure.objects.create(report=cast.report, scheme=measure.scheme, name="Utkasttiltak")
    client.force_login(cast.forum_member)
    page = html(client.get(url("assessments", cast.round)))
    assert "Utkasttiltak" not in page and f'id="measure-{draft.pk}"' not in page


def test_the_list_says_where_each_of_my_assessments_stands(client, cast, measure):
    started = submitted_measure(cast.round, network=cast.network)
    shared = submitted_measure(cast.round, network=cast.network)
    Assessment.objects.create(round=cast.round, measure=started, assessor=cast.forum_member)
    from django.utils import timezone

    Assessment.objects.create(
        round=cast.round, measure=shared, assessor=cast.forum_member, shared=True, shared_at=timezone.now()
    )
    client.force_login(cast.forum_member)
    page = html(client.get(url("assessments", cast.round)))
    assert 'data-status="not_started"' in row(page, measure)
    assert 'data-status="draft"' in row(page, started) and "Utkast" in row(page, started)
    assert 'data-status="shared"' in row(page, shared)


def test_a_disqualified_member_sees_the_measure_marked_and_no_link(client, cast, measure):
    Membership.objects.create(user=cast.forum_member, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    client.force_login(cast.forum_member)
    line = row(html(client.get(url("assessments", cast.round))), measure)
    assert 'data-status="disqualified"' in line and ("Inhabil" in line or "Disqualified" in line)
    assert url("assess", cast.round, measure.pk) not in line
    assert "/behovsmeldinger/" not in line


def test_the_measures_are_grouped_by_network_and_scheme(client, cast, measure):
    other = make_network(cast.office)
    elsewhere = submitted_measure(cast.round, network=other)
    client.force_login(cast.forum_member)
    page = html(client.get(url("assessments", cast.round)))
    assert f"{cast.network.name} – " in page and f"{other.name} – " in page
    assert page.index(f"{cast.network.name} – ") < page.index(f'id="measure-{measure.pk}"')
    assert page.index(f"{other.name} – ") < page.index(f'id="measure-{elsewhere.pk}"')


def test_the_secretariat_sees_how_many_assessments_each_measure_has(client, cast, measure):
    from django.utils import timezone

    Assessment.objects.create(round=cast.round, measure=measure, assessor=cast.forum_member)
    Assessment.objects.create(
        round=cast.round, measure=measure, assessor=make_assessor(cast.round), shared=True, shared_at=timezone.now()
    )
    client.force_login(cast.governor)
    line = row(html(client.get(url("assessments", cast.round))), measure)
    assert "1 delt, 1 utkast" in line or "1 shared, 1 drafts" in line
    assert url("assess", cast.round, measure.pk) not in line  # the secretariat does not assess


@pytest.mark.parametrize("who", ["coordinator", "owner_contact", "outsider", "other_office_governor"])
def test_others_are_refused_the_work_list(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("assessments", cast.round)).status_code == 403


def test_an_anonymous_visitor_is_asked_to_sign_in(client, cast):
    response = client.get(url("assessments", cast.round))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_an_unknown_round_is_not_found(client, cast):
    client.force_login(cast.forum_member)
    assert client.get(f"/runder/{cast.office.slug}/1999/vurdering/").status_code == 404
    assert client.get(f"/runder/{cast.office.slug}/99999999999999999999/vurdering/").status_code == 404
    assert client.get("/runder/finnes-ikke/2027/vurdering/").status_code == 404


def test_the_work_list_answers_only_get(client, cast):
    client.force_login(cast.forum_member)
    assert client.post(url("assessments", cast.round)).status_code == 405


@pytest.mark.parametrize("who", ["forum_member", "governor"])
def test_the_work_list_costs_the_same_queries_for_1_measure_and_for_40(client, cast, who):
    submitted_measure(cast.round, network=cast.network)
    client.force_login(getattr(cast, who))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("assessments", cast.round)).status_code == 200
    for n in range(13):
        submitted_measure(cast.round, network=cast.network if n % 2 else None, count=3)
    assert Measure.objects.filter(report__round=cast.round, report__status="submitted").count() == 40
    with CaptureQueriesContext(connection) as forty:
        response = client.get(url("assessments", cast.round))
    assert html(response).count('id="measure-') == 40
    assert len(one) == len(forty) <= 15, "\n".join(q["sql"] for q in forty.captured_queries)


# ── The setup: the central questions, switched on by the Statsforvalter, as an event ──


def test_the_statsforvalter_switches_on_the_central_questions_and_it_is_recorded(client, cast):
    client.force_login(cast.governor)
    response = client.post(url("assessment_setup", cast.round), {"central_questions": "on"})
    assert response.status_code == 302
    assert AssessmentSetup.objects.get(round=cast.round).central_questions is True
    event = AuditEvent.objects.get(key=f"round:{cast.round.pk}:central_questions")
    assert (event.old_value, event.new_value, event.actor) == ("false", "true", cast.governor)
    client.post(url("assessment_setup", cast.round), {"central_questions": "on"})  # no change, no event
    client.post(url("assessment_setup", cast.round), {})
    assert AssessmentSetup.objects.get(round=cast.round).central_questions is False
    assert AuditEvent.objects.filter(key=f"round:{cast.round.pk}:central_questions").count() == 2


def test_the_setup_form_is_on_the_statsforvalters_page_only(client, cast):
    client.force_login(cast.governor)
    assert 'id="setup-form"' in html(client.get(url("assessments", cast.round)))
    client.force_login(cast.forum_member)
    assert 'id="setup-form"' not in html(client.get(url("assessments", cast.round)))


@pytest.mark.parametrize(
    ("who", "status"), [("forum_member", 403), ("coordinator", 403), ("other_office_governor", 403)]
)
def test_only_the_statsforvalter_sets_up_the_round(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.post(url("assessment_setup", cast.round), {"central_questions": "on"}).status_code == status
    assert not AssessmentSetup.objects.filter(round=cast.round).exists()


def test_the_setup_answers_only_post(client, cast):
    client.force_login(cast.governor)
    assert client.get(url("assessment_setup", cast.round)).status_code == 405


def test_the_header_leads_a_forum_member_to_the_rounds_assessment(client, cast):
    client.force_login(cast.forum_member)
    response = client.get("/vurdering/")
    assert response.status_code == 302 and response["Location"] == url("assessments", cast.round)
    assert 'id="nav-assessment"' in html(client.get(url("assessments", cast.round)))
    client.force_login(cast.owner_contact)
    assert 'id="no-rounds"' in html(client.get("/vurdering/"))
