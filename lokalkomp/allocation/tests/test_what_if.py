"""What-ifs: a named copy of the recommendation, compared side by side with it, then adopted or discarded;
and the pages for them and for the fill by priority (who may, bad input, locked states)."""

from __future__ import annotations

import pytest
from django.utils import translation

from lokalkomp.allocation.models import Recommendation, RecommendationEvent
from lokalkomp.allocation.models.recommendation import NAME_MAX, Locked
from lokalkomp.allocation.what_if import adopt_for, compare

from .overview_helpers import in_english, text
from .recommendation_helpers import make_recommendation_round, set_as_asked
from .whatif_helpers import amounts, line, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture
def r(cast):
    return make_recommendation_round(cast, count=4, frame=500_000)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def change(recommendation, measure, owner, partner, by):
    found = line(recommendation, measure)
    found.set(owner, partner, base=found.version, by=by)


# ── The model and the comparison ──


def test_a_copy_keeps_the_amounts_and_the_comparison_highlights_what_differs(r):
    main = r.recommendation
    first, second = r.measures[0], r.measures[1]
    set_as_asked(main, first, by=r.member)
    what_if = main.copy("Kutt tiltak 1", by=r.member)
    assert amounts(what_if, first) == amounts(main, first) == (100_000, 50_000)
    assert RecommendationEvent.objects.filter(recommendation=what_if, kind="created", actor=r.member).exists()

    change(what_if, first, 60_000, 50_000, r.member)
    change(what_if, second, 101_000, 50_000, r.member)

    comparison = compare(what_if, user=r.secretariat)
    rows = {row.measure.pk: row for row in comparison.rows}
    assert rows[first.pk].owner_differs and not rows[first.pk].partner_differs
    assert rows[first.pk].difference == -40_000
    assert rows[second.pk].differs and rows[second.pk].main_owner is None
    assert comparison.changed == 2 and not rows[r.measures[2].pk].differs
    (totals,) = comparison.totals
    assert (totals.amount, totals.main, totals.what_if, totals.difference) == (500_000, 150_000, 261_000, 111_000)
    assert amounts(main, first) == (100_000, 50_000)  # the main is not touched by the copy's changes


def test_a_disqualified_person_sees_no_line_of_their_partnership_but_it_counts(r):
    main = r.recommendation
    set_as_asked(main, r.measures[0])
    what_if = main.copy("Med inhabil linje", by=r.member)

    comparison = compare(what_if, user=r.disqualified)

    assert r.measures[0].pk not in {row.measure.pk for row in comparison.rows}
    assert comparison.hidden == 1 and comparison.totals[0].main == 150_000


def test_adopting_makes_the_what_ifs_amounts_the_recommendations_each_an_event(r):
    main = r.recommendation
    what_if = main.copy("Alle som søkt", by=r.member)
    for measure in r.measures[:2]:
        set_as_asked(what_if, measure, by=r.member)

    changed = adopt_for(what_if, by=r.secretariat)

    assert changed == 2
    assert amounts(main, r.measures[0]) == (100_000, 50_000) and amounts(main, r.measures[2]) == (None, None)
    events = RecommendationEvent.objects.filter(recommendation=main, kind="changed", field="owner_amount")
    assert events.count() == 2
    assert all(e.reason == "Adopted from the what-if «Alle som søkt»" and e.actor == r.secretariat for e in events)
    what_if.refresh_from_db()
    assert what_if.status == "adopted"
    assert RecommendationEvent.objects.filter(recommendation=what_if, kind="adopted").exists()
    with pytest.raises(Locked):
        what_if.discard(by=r.member)


def test_adopting_a_change_to_a_partnership_one_is_disqualified_from_is_refused(r):
    what_if = r.recommendation.copy("Endrer inhabil", by=r.member)
    set_as_asked(what_if, r.measures[0], by=r.member)

    with pytest.raises(Locked, match="disqualified"):
        adopt_for(what_if, by=r.disqualified)

    assert amounts(r.recommendation, r.measures[0]) == (None, None)
    assert Recommendation.objects.get(pk=what_if.pk).status == "draft"


def test_a_discarded_what_if_is_kept_closed_and_cannot_be_changed(r):
    what_if = r.recommendation.copy("Forkastes", by=r.member)
    what_if.discard(by=r.member)

    assert Recommendation.objects.get(pk=what_if.pk).status == "discarded"
    assert RecommendationEvent.objects.filter(recommendation=what_if, kind="discarded", actor=r.member).exists()
    found = line(what_if, r.measures[0])
    with pytest.raises(Locked, match="discarded"):
        found.set(1, 1, base=found.version, by=r.member)
    with pytest.raises(Locked):
        what_if.adopt(by=r.member)


def test_a_what_if_of_a_final_recommendation_cannot_be_adopted(r):
    what_if = r.recommendation.copy("For sent", by=r.member)
    set_as_asked(what_if, r.measures[1], by=r.member)
    Recommendation.objects.filter(pk=r.recommendation.pk).update(status="final")

    with pytest.raises(Locked, match="final"):
        adopt_for(what_if, by=r.secretariat)
    assert amounts(r.recommendation, r.measures[1]) == (None, None)


# ── The pages ──


def test_the_list_shows_the_round_s_what_ifs_and_makes_a_new_one(client, r):
    r.recommendation.copy("Første forsøk", by=r.deputy)
    in_english(client).force_login(r.member)

    page = client.get(url("what_ifs", r.round))
    assert page.status_code == 200
    assert "Første forsøk" in text(page) and "Open" in text(page) and str(r.deputy) in text(page)

    made = client.post(url("what_ifs", r.round), {"name": "  Andre forsøk "})
    what_if = Recommendation.objects.what_ifs().get(name="Andre forsøk")
    assert made.status_code == 302 and made["Location"] == url("recommendation_what_if", r.round, what_if.pk)
    assert what_if.created_by == r.member and what_if.lines.count() == 4


@pytest.mark.parametrize("name", ["", "   ", "Navn\x00med null", "x" * (NAME_MAX + 1)])
def test_a_bad_name_is_a_message_and_keeps_what_was_typed(client, r, name):
    in_english(client).force_login(r.member)

    page = client.post(url("what_ifs", r.round), {"name": name})

    assert page.status_code == 422 and 'id="name-error"' in text(page)
    assert not Recommendation.objects.what_ifs().exists()


def test_no_what_if_is_made_of_a_final_recommendation(client, r):
    Recommendation.objects.filter(pk=r.recommendation.pk).update(status="final")
    in_english(client).force_login(r.member)

    page = client.post(url("what_ifs", r.round), {"name": "For sent"}, follow=True)

    assert "No new what-if can be made" in text(page)
    assert not Recommendation.objects.what_ifs().exists()


def test_the_compare_page_shows_both_sides_and_the_difference(client, r):
    what_if = r.recommendation.copy("Sammenlignes", by=r.member)
    change(what_if, r.measures[1], 80_000, 50_000, r.member)
    in_english(client).force_login(r.member)

    page = client.get(url("what_if_compare", r.round, what_if.pk))

    body = text(page)
    row = body.split(f'id="measure-{r.measures[1].pk}"')[1].split("</tr>")[0]
    assert page.status_code == 200 and 'class="lk-differs"' in row and "<mark>kr 80 000</mark>" in row
    assert "1 measure differs from the recommendation" in body and "+kr 130 000" in body
    assert 'id="adopt-form"' in body


def test_adopting_and_discarding_need_the_confirmation(client, r):
    what_if = r.recommendation.copy("Bekreft", by=r.member)
    set_as_asked(what_if, r.measures[1], by=r.member)
    in_english(client).force_login(r.member)

    unconfirmed = client.post(url("what_if_adopt", r.round, what_if.pk), {}, follow=True)
    assert "Tick the box to confirm" in text(unconfirmed)
    assert Recommendation.objects.get(pk=what_if.pk).status == "draft"

    adopted = client.post(url("what_if_adopt", r.round, what_if.pk), {"confirm": "on"})
    assert adopted.status_code == 302 and adopted["Location"] == url("recommendation", r.round)
    assert amounts(r.recommendation, r.measures[1]) == (101_000, 50_000)

    again = client.post(url("what_if_discard", r.round, what_if.pk), {"confirm": "on"}, follow=True)
    assert "This what-if has been adopted and cannot be changed." in text(again)
    assert Recommendation.objects.get(pk=what_if.pk).status == "adopted"


def test_discarding_on_the_page(client, r):
    what_if = r.recommendation.copy("Kastes", by=r.member)
    in_english(client).force_login(r.secretariat)

    done = client.post(url("what_if_discard", r.round, what_if.pk), {"confirm": "on"})

    assert done.status_code == 302 and done["Location"] == url("what_ifs", r.round)
    assert Recommendation.objects.get(pk=what_if.pk).status == "discarded"


def test_the_suggestion_page_asks_first_then_fills_and_says_what_it_did(client, r):
    in_english(client).force_login(r.member)

    asked = client.get(url("recommendation_suggest", r.round))
    assert asked.status_code == 200 and 'id="suggest-form"' in text(asked)
    assert amounts(r.recommendation, r.measures[0]) == (None, None)

    done = client.post(url("recommendation_suggest", r.round), {}, follow=True)

    assert "Suggested amounts for 4 measures" in text(done)
    assert "placed" in text(done) and "Did not fit (given 0)" in text(done)
    assert sum(sum(amounts(r.recommendation, m)) for m in r.measures) <= 500_000
    assert all(line(r.recommendation, m).suggested for m in r.measures)


def test_the_suggestion_fills_a_what_if_and_refuses_a_discarded_one(client, r):
    what_if = r.recommendation.copy("Forslag", by=r.member)
    in_english(client).force_login(r.member)

    done = client.post(url("recommendation_suggest", r.round, what_if.pk), {"replace_all": "on"})
    assert done.status_code == 302 and done["Location"] == url("recommendation_what_if", r.round, what_if.pk)
    assert amounts(what_if, r.measures[0]) == (100_000, 50_000)
    assert amounts(r.recommendation, r.measures[0]) == (None, None)

    what_if.discard(by=r.member)
    refused = client.post(url("recommendation_suggest", r.round, what_if.pk), {}, follow=True)
    assert "This what-if has been discarded and cannot be changed." in text(refused)


@pytest.mark.parametrize("who,status", [("outsider", 403), ("deputy", 200), ("secretariat", 200)])
def test_who_may_open_the_what_ifs(client, r, who, status):
    what_if = r.recommendation.copy("Tilgang", by=r.member)
    client.force_login(r.people[who])
    for name, args in (("what_ifs", ()), ("what_if_compare", (what_if.pk,)), ("recommendation_suggest", ())):
        assert client.get(url(name, r.round, *args)).status_code == status, name
    assert client.post(url("what_if_discard", r.round, what_if.pk), {"confirm": "on"}).status_code == (
        302 if status == 200 else 403
    )


def test_an_unknown_what_if_or_a_what_if_of_another_round_is_404_and_the_wrong_method_405(client, r):
    client.force_login(r.member)
    assert client.get(url("what_if_compare", r.round, 99_999_999)).status_code == 404
    assert client.get(url("what_if_compare", r.round, 2**40)).status_code == 404
    assert client.get(url("what_if_compare", r.round, r.recommendation.pk)).status_code == 404  # the main one
    what_if = r.recommendation.copy("Metode", by=r.member)
    assert client.get(url("what_if_adopt", r.round, what_if.pk)).status_code == 405
    assert client.get(url("what_if_discard", r.round, what_if.pk)).status_code == 405
    assert client.put(url("what_ifs", r.round)).status_code == 405
    assert client.get(url("what_ifs", r.round)).status_code == 200
    client.logout()
    assert client.get(url("what_ifs", r.round)).status_code == 302


def test_the_workspace_links_to_the_what_ifs_and_the_suggestion(client, r):
    what_if = r.recommendation.copy("Lenker", by=r.member)
    in_english(client).force_login(r.member)

    main_page = text(client.get(url("recommendation", r.round)))
    copy_page = text(client.get(url("recommendation_what_if", r.round, what_if.pk)))

    assert url("what_ifs", r.round) in main_page and url("recommendation_suggest", r.round) in main_page
    assert url("what_if_compare", r.round, what_if.pk) in copy_page
    assert url("recommendation_suggest", r.round, what_if.pk) in copy_page
