"""Taking the recommendation's steps: draft → preliminary → final at meetings, with the meeting's record."""

from __future__ import annotations

import pytest

from lokalkomp.testing import make_user

from ..models import Recommendation, RecommendationEvent, RecommendationStep, RecommendationVersion
from ..models.recommendation import Locked
from .overview_helpers import in_english
from .steps_helpers import MEETING, make_step_round, set_amounts, set_frame, step_data, take, text, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def r(cast):
    return make_step_round(cast)


def post(client, r, to, **changes):
    client.force_login(r.secretary)
    return client.post(url("recommendation_step", r.round, to), step_data(r, **changes))


def test_the_secretariat_sees_the_form_with_the_forums_seats(client, r):
    client.force_login(r.secretary)
    response = client.get(url("recommendation_step", r.round, "preliminary"))
    page = text(response)
    assert response.status_code == 200
    assert 'id="step-form"' in page
    assert "KS – Mona Medlem (Member)" in page
    assert "Utdanningsforbundet – Vidar Vara (Deputy)" in page
    assert "Statsforvalteren i Nordland – Sara Sekretær (Secretariat, no vote)" in page
    assert "2 seats have a vote" in page


def test_a_preliminary_step_keeps_the_meeting_and_a_version(client, r):
    response = post(client, r, "preliminary", note="Gruppearbeid med vara.")
    assert response.status_code == 302 and response["Location"] == url("recommendation_version", r.round, 1)
    r.recommendation.refresh_from_db()
    assert r.recommendation.status == Recommendation.Status.PRELIMINARY
    step = RecommendationStep.objects.get(recommendation=r.recommendation)
    assert (step.number, step.from_status, step.to_status) == (1, "draft", "preliminary")
    assert step.meeting_date == MEETING and step.actor == r.secretary and step.decided_how == "consensus"
    assert step.note == "Gruppearbeid med vara."
    assert [p["organisation"] for p in step.present] == ["KS", "Statsforvalteren i Nordland"]
    assert step.present[0] == {
        "seat": r.member_seat.pk,
        "organisation": "KS",
        "person": "Mona Medlem",
        "role": "member",
        "votes": True,
    }
    assert step.present[1]["votes"] is False
    version = RecommendationVersion.objects.get(recommendation=r.recommendation)
    assert version.number == 1 and version.status == "preliminary" and len(version.data["lines"]) == 2
    assert RecommendationEvent.objects.filter(kind="step", old="draft", new="preliminary").count() == 1


def test_the_final_step_after_the_preliminary_locks_the_recommendation(client, r):
    take(r, "preliminary")
    response = post(
        client,
        r,
        "final",
        present=[str(r.member_seat.pk), str(r.deputy_seat.pk)],
        decided_how="vote",
        votes_for="1",
        votes_against="1",
    )
    assert response.status_code == 302 and response["Location"] == url("recommendation_version", r.round, 2)
    r.recommendation.refresh_from_db()
    assert r.recommendation.status == "final" and not r.recommendation.is_editable
    step = r.recommendation.steps.get(number=2)
    assert (step.decided_how, step.votes_for, step.votes_against, step.votes_blank) == ("vote", 1, 1, None)
    line = r.recommendation.lines.select_related("measure").get(measure=r.a)
    with pytest.raises(Locked):
        line.set(0, 0, base=line.version, by=None, reason="For sent")


def test_the_step_page_of_a_final_recommendation_says_so_and_links_to_the_pdf(client, r):
    take(r, "preliminary")
    take(r, "final")
    client.force_login(r.secretary)
    for to in ("final", "preliminary"):
        page = text(client.get(url("recommendation_step", r.round, to)))
        assert 'id="step-final"' in page and 'id="step-form"' not in page
        assert url("recommendation_pdf", r.round, 2) in page


def test_a_draft_cannot_be_made_final(client, r):
    response = post(client, r, "final")
    assert response.status_code == 409
    assert "after it has been preliminary" in text(response)
    r.recommendation.refresh_from_db()
    assert r.recommendation.status == "draft" and not r.recommendation.versions.exists()


def test_a_preliminary_recommendation_is_not_made_preliminary_again(client, r):
    take(r, "preliminary")
    response = post(client, r, "preliminary")
    assert response.status_code == 409
    assert r.recommendation.versions.count() == 1


def test_the_model_refuses_a_step_out_of_order(r):
    with pytest.raises(Locked):
        take(r, "final")
    take(r, "preliminary")
    take(r, "final")
    with pytest.raises(Locked):
        take(r, "final")
    assert r.recommendation.versions.count() == 2


def test_a_frame_exceeded_blocks_the_final_step_and_changes_nothing(client, r):
    take(r, "preliminary")
    set_frame(r.round, 100_000)  # below the 420 000 recommended
    response = post(client, r, "final", note="Vi prøver endelig.")
    page = text(response)
    assert response.status_code == 422
    assert 'id="step-problems"' in page and "cannot be made final yet" in page
    assert "Vi prøver endelig." in page  # what was typed is kept
    r.recommendation.refresh_from_db()
    assert r.recommendation.status == "preliminary" and r.recommendation.versions.count() == 1


def test_the_form_shows_what_blocks_the_final_step_before_it_is_sent(client, r):
    take(r, "preliminary")
    set_frame(r.round, 100_000)
    client.force_login(r.secretary)
    page = text(client.get(url("recommendation_step", r.round, "final")))
    assert 'id="step-problems"' in page


def test_a_missing_justification_blocks_the_final_step(client, r):
    set_amounts(r.recommendation, r.a, 150_000, 100_000)  # less than asked, with no reason
    take(r, "preliminary")
    response = post(client, r, "final")
    assert response.status_code == 422 and 'id="step-problems"' in text(response)
    assert Recommendation.objects.get(pk=r.recommendation.pk).status == "preliminary"
    set_amounts(r.recommendation, r.a, 150_000, 100_000, reason="Kortere varighet")
    assert post(client, r, "final").status_code == 302
    assert Recommendation.objects.get(pk=r.recommendation.pk).status == "final"


def test_more_votes_than_voting_seats_present_is_refused(client, r):
    response = post(client, r, "preliminary", decided_how="vote", votes_for="2", votes_against="0")
    page = text(response)
    assert response.status_code == 422
    assert "2 votes were counted, but 1 seat with a vote was present" in page
    assert "the Statsforvalter has no vote" in page
    assert 'value="2"' in page  # what was typed is kept
    assert not RecommendationStep.objects.exists()


def test_a_vote_needs_its_count(client, r):
    response = post(client, r, "preliminary", decided_how="vote")
    assert response.status_code == 422
    assert "A vote needs the number of votes for and against." in text(response)
    assert not RecommendationStep.objects.exists()


def test_the_seats_present_must_be_ticked(client, r):
    response = post(client, r, "preliminary", present=[])
    assert response.status_code == 422 and "Tick the seats that were present." in text(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meeting_date", "2024-02-30", "Write a date that exists"),
        ("meeting_date", "30.02.2024", "Write a date that exists"),
        ("meeting_date", "1899-01-01", "between the years 2000 and 2100"),
        ("meeting_date", "\x00", "Write a date that exists"),
        ("votes_for", "99999999999999999999999", "less than or equal to 1000"),
        ("votes_against", "-1", "greater than or equal to 0"),
        ("decided_how", "lottery", "Say whether it was decided by consensus or by vote."),
        ("present", ["999999999999999999999"], "Tick only the forum's seats listed."),
        ("note", "a\x00b", "Null characters are not allowed"),
        ("note", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_bad_input_gives_a_message_and_keeps_the_draft(client, r, field, value, message):
    changes = {field: value}
    if field.startswith("votes"):
        changes |= {"decided_how": "vote", "votes_for": "1", "votes_against": "0", field: value}
    response = post(client, r, "preliminary", **changes)
    assert response.status_code == 422
    assert message in text(response)
    assert Recommendation.objects.get(pk=r.recommendation.pk).status == "draft"


def test_an_unknown_step_is_404(client, r):
    client.force_login(r.secretary)
    assert client.get(url("recommendation_step", r.round, "adopted")).status_code == 404


def test_a_forum_member_may_not_take_a_step(client, r):
    client.force_login(r.cast.forum_member)
    assert client.get(url("recommendation_step", r.round, "preliminary")).status_code == 403
    assert client.post(url("recommendation_step", r.round, "preliminary"), step_data(r)).status_code == 403
    assert Recommendation.objects.get(pk=r.recommendation.pk).status == "draft"


def test_the_governor_may_take_a_step(client, r):
    client.force_login(r.cast.governor)
    assert client.post(url("recommendation_step", r.round, "preliminary"), step_data(r)).status_code == 302


def test_an_outsider_is_told_no(client, r):
    client.force_login(make_user())
    assert client.get(url("recommendation_step", r.round, "preliminary")).status_code == 403


def test_the_step_takes_only_get_and_post(client, r):
    client.force_login(r.secretary)
    assert client.put(url("recommendation_step", r.round, "preliminary")).status_code == 405
    assert client.delete(url("recommendation_step", r.round, "preliminary")).status_code == 405
