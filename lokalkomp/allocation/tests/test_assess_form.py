"""A measure's assessment form: saving (button and autosave), compare-and-set, sharing, who may and may not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lokalkomp.accounts.models import AuditEvent, Membership, Role
from lokalkomp.allocation import criteria as round_criteria
from lokalkomp.allocation.models import Assessment, AssessmentSetup, CriterionScore, Declaration
from lokalkomp.needs.models import Measure

from .assess_helpers import form_data, make_assessor, owner_of, submitted_measure, url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network, name="Lesing")


@pytest.fixture
def criteria(cast, measure):
    return round_criteria.for_scheme(measure.scheme, cast.round)


@pytest.fixture
def member(client, cast):
    client.force_login(cast.forum_member)
    return cast.forum_member


def html(response) -> str:
    return response.content.decode()


def stored(measure, user):
    return Assessment.objects.filter(measure=measure, assessor=user).first()


def test_the_form_asks_each_of_the_five_criteria_in_a_fieldset_of_its_own(client, cast, measure, member):
    response = client.get(url("assess", cast.round, measure.pk))
    assert response.status_code == 200
    page = html(response)
    assert page.count('<fieldset class="ds-fieldset lk-card" id="criterion-') == 5
    assert page.count("<legend") == 5 * 2 + 1  # each criterion and its score, the recommendation
    assert "Lokal vurdering" in page and "Partnerskap med UH" in page
    assert f'href="/behovsmeldinger/{measure.report_id}/#measure-{measure.pk}"' in page
    assert 'hx-trigger="input delay:1500ms, change"' in page


def test_the_central_questions_are_asked_when_the_round_switches_them_on(client, cast, measure, member):
    AssessmentSetup.objects.create(round=cast.round, central_questions=True)
    page = html(client.get(url("assess", cast.round, measure.pk)))
    assert page.count('id="criterion-') >= 9
    assert "Hvordan ivaretas elevstemmen" in page


def test_saving_with_the_button_stores_every_score_and_comes_back_to_the_form(client, cast, measure, member, criteria):
    response = client.post(url("assess_save", cast.round, measure.pk), form_data(criteria, score="partly"))
    assert response.status_code == 302 and response["Location"] == url("assess", cast.round, measure.pk)
    assessment = stored(measure, member)
    assert (assessment.recommendation, assessment.comment, assessment.shared) == (
        "prioritise",
        "Godt begrunnet.",
        False,
    )
    assert set(assessment.scores.values_list("score", flat=True)) == {"partly"}
    assert assessment.scores.count() == 5 and assessment.round == cast.round


def test_autosave_answers_with_saved_and_the_new_version(client, cast, measure, member, criteria):
    response = client.post(url("assess_save", cast.round, measure.pk), form_data(criteria), **HTMX)
    assert response.status_code == 200
    assert "Lagret" in html(response)
    assert 'id="assess-version" value="1" hx-swap-oob="true"' in html(response)
    response = client.post(
        url("assess_save", cast.round, measure.pk), form_data(criteria, version=1, score="not_met"), **HTMX
    )
    assert 'value="2"' in html(response)
    assert set(stored(measure, member).scores.values_list("score", flat=True)) == {"not_met"}


def test_saving_what_is_stored_already_changes_nothing(client, cast, measure, member, criteria):
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria), **HTMX)
    response = client.post(url("assess_save", cast.round, measure.pk), form_data(criteria, version=1), **HTMX)
    assert response.status_code == 200 and 'value="1"' in html(response)
    assert stored(measure, member).version == 1


def test_a_save_from_an_older_tab_is_refused_and_shows_what_is_stored(client, cast, measure, member, criteria):
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria, recommendation="possible"), **HTMX)
    older = form_data(criteria, version=0, recommendation="do_not_fund", comment="Fra den andre fanen")
    response = client.post(url("assess_save", cast.round, measure.pk), older, **HTMX)
    assert response.status_code == 409
    assert 'id="assess-conflict"' in html(response) and "Godt begrunnet." in html(response)
    assert 'name="overwrite" value="1"' in html(response)
    assessment = stored(measure, member)
    assert (assessment.recommendation, assessment.version) == ("possible", 1)


def test_a_stale_save_without_htmx_keeps_what_was_typed_in_the_form(client, cast, measure, member, criteria):
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria), **HTMX)
    response = client.post(url("assess_save", cast.round, measure.pk), form_data(criteria, comment="Mitt nye"))
    assert response.status_code == 409
    assert "Mitt nye" in html(response) and 'id="assess-conflict"' in html(response)


def test_keep_mine_saves_over_the_version_the_person_was_shown(client, cast, measure, member, criteria):
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria), **HTMX)
    mine = form_data(criteria, version=0, comment="Mitt nye", overwrite="1")
    response = client.post(url("assess_save", cast.round, measure.pk), mine)
    assert response.status_code == 302
    assessment = stored(measure, member)
    assert (assessment.comment, assessment.version) == ("Mitt nye", 2)
    stale_overwrite = form_data(criteria, version=0, comment="Enda en", overwrite="1")  # 2 is stored now
    assert client.post(url("assess_save", cast.round, measure.pk), stale_overwrite).status_code == 409


def test_sharing_needs_every_criterion_and_the_recommendation(client, cast, measure, member, criteria):
    data = form_data(criteria, recommendation="")
    data[f"score-{criteria[0].pk}"] = ""
    response = client.post(url("assess_share", cast.round, measure.pk), data)
    assert response.status_code == 422
    assert criteria[0].short in html(response)
    assessment = stored(measure, member)
    assert assessment is not None and not assessment.shared  # saved, not shared


def test_sharing_is_final_and_recorded(client, cast, measure, member, criteria):
    response = client.post(url("assess_share", cast.round, measure.pk), form_data(criteria))
    assert response.status_code == 302
    assessment = stored(measure, member)
    assert assessment.shared and assessment.shared_at is not None
    assert AuditEvent.objects.filter(key=f"assessment:{assessment.pk}:shared", actor=member).exists()
    page = html(client.get(url("assess", cast.round, measure.pk)))
    assert 'id="assess-form"' not in page and 'id="shared-note"' in page
    again = form_data(criteria, version=assessment.version, recommendation="do_not_fund")
    assert client.post(url("assess_save", cast.round, measure.pk), again, **HTMX).status_code == 423
    assert client.post(url("assess_save", cast.round, measure.pk), again).status_code == 302
    assert client.post(url("assess_share", cast.round, measure.pk), again).status_code == 302
    assert stored(measure, member).recommendation == "prioritise"


def test_the_others_see_a_shared_assessment_and_never_a_draft(client, cast, measure, criteria):
    writer = make_assessor(cast.round)
    client.force_login(writer)
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria, comment="Hemmelig utkast"))
    client.force_login(cast.forum_member)
    assert "Hemmelig utkast" not in html(client.get(url("assess", cast.round, measure.pk)))
    client.force_login(writer)
    client.post(url("assess_share", cast.round, measure.pk), form_data(criteria, version=1, comment="Delt vurdering"))
    client.force_login(cast.forum_member)
    page = html(client.get(url("assess", cast.round, measure.pk)))
    assert "Delt vurdering" in page and 'id="others-heading"' in page


def test_a_deputy_assesses_too(client, cast, measure, criteria):
    deputy = make_assessor(cast.round, role=Role.FORUM_DEPUTY)
    client.force_login(deputy)
    assert client.post(url("assess_save", cast.round, measure.pk), form_data(criteria)).status_code == 302
    assert stored(measure, deputy) is not None


# ── The disqualified member: refused the form, and nothing of the others' work ──


@pytest.fixture
def disqualified(cast, measure):
    Membership.objects.create(user=cast.forum_member, role=Role.OWNER_CONTACT, organisation=owner_of(measure))
    return cast.forum_member


@pytest.fixture
def others_work(cast, measure, criteria):
    writer = make_assessor(cast.round)
    Assessment.write(
        measure=measure,
        assessor=writer,
        version=0,
        recommendation="prioritise",
        comment="Andres tekst",
        scores={c.pk: ("met", "Andres kommentar") for c in criteria},
    )
    stored(measure, writer).share(by=writer)
    return writer


def test_a_disqualified_member_is_refused_the_form_with_the_reason(client, cast, measure, disqualified, others_work):
    client.force_login(disqualified)
    response = client.get(url("assess", cast.round, measure.pk))
    assert response.status_code == 403
    assert "forvaltningsloven § 6" in html(response) and owner_of(measure).name in html(response)
    assert "Andres tekst" not in html(response) and "Andres kommentar" not in html(response)


@pytest.mark.parametrize("action", ["assess_save", "assess_share"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_disqualified_member_cannot_save_or_share(
    client, cast, measure, criteria, disqualified, others_work, action, htmx
):
    client.force_login(disqualified)
    response = client.post(url(action, cast.round, measure.pk), form_data(criteria), **(HTMX if htmx else {}))
    assert response.status_code == 403
    assert "Andres tekst" not in html(response) and "Andres kommentar" not in html(response)
    assert stored(measure, disqualified) is None


def test_a_declared_tie_refuses_the_form_too(client, cast, measure, member):
    Declaration.declare(
        round=cast.round, person=member, no_other_ties=False, organisations=[owner_of(measure)], ties=""
    )
    assert client.get(url("assess", cast.round, measure.pk)).status_code == 403


def test_an_assessment_by_someone_later_disqualified_is_hidden_from_the_others(
    client, cast, measure, others_work, member
):
    assert "Andres tekst" in html(client.get(url("assess", cast.round, measure.pk)))
    Declaration.declare(
        round=cast.round, person=others_work, no_other_ties=False, organisations=[owner_of(measure)], ties=""
    )
    assert "Andres tekst" not in html(client.get(url("assess", cast.round, measure.pk)))


# ── Who else may not, and the wrong method ──


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("governor", 403),
        ("coordinator", 403),
        ("owner_contact", 403),
        ("outsider", 403),
        ("other_office_governor", 403),
    ],
)
def test_only_members_and_deputies_open_the_form(client, cast, measure, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(url("assess", cast.round, measure.pk)).status_code == status


def test_a_measure_of_a_draft_or_another_round_is_not_found(client, cast, measure, member):
    draft = Measure.objects.create(report=cast.report, scheme=measure.scheme, name="Utkast")
    assert client.get(url("assess", cast.round, draft.pk)).status_code == 404
    from lokalkomp.testing import make_round

    other = make_round(cast.office, year=cast.round.year + 1)
    Declaration.declare(round=other, person=member, no_other_ties=True, organisations=[], ties="")
    assert client.get(url("assess", other, measure.pk)).status_code == 404
    assert client.get(url("assess", cast.round, 2**63)).status_code == 404


def test_the_form_pages_answer_only_their_method(client, cast, measure, member):
    assert client.post(url("assess", cast.round, measure.pk)).status_code == 405
    assert client.get(url("assess_save", cast.round, measure.pk)).status_code == 405
    assert client.get(url("assess_share", cast.round, measure.pk)).status_code == 405


def test_the_form_costs_the_same_queries_with_1_measure_and_40_and_several_assessments(
    client, cast, measure, member, criteria
):
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("assess", cast.round, measure.pk)).status_code == 200
    for _n in range(13):
        submitted_measure(cast.round, network=cast.network, count=3)
    for _n in range(5):
        writer = make_assessor(cast.round)
        Assessment.write(
            measure=measure,
            assessor=writer,
            version=0,
            recommendation="possible",
            comment="",
            scores={c.pk: ("met", "") for c in criteria},
        )
        Assessment.objects.filter(measure=measure, assessor=writer).update(shared=True, shared_at=timezone.now())
    client.post(url("assess_save", cast.round, measure.pk), form_data(criteria))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("assess", cast.round, measure.pk))
    assert html(response).count('<article class="lk-card" id="assessment-') == 5
    assert len(one) <= 15 and len(many) <= 15, "\n".join(q["sql"] for q in many.captured_queries)
    assert CriterionScore.objects.filter(assessment__measure=measure).count() == 6 * 5
