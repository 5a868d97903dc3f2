"""«Fill within the frames by priority»: greedy within each frame and each network's share, in the networks' order."""

from __future__ import annotations

import pytest
from django.utils import translation

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Recommendation, RecommendationEvent
from lokalkomp.allocation.models.recommendation import Locked
from lokalkomp.allocation.suggestion import suggest
from lokalkomp.testing import make_network

from .assess_helpers import make_assessor, owner_of
from .overview_helpers import assess
from .whatif_helpers import amounts, divide, frame, in_order, line, main_of, not_recommended, submitted

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def placed(recommendation, measures) -> int:
    return sum(sum(a or 0 for a in amounts(recommendation, m)) for m in measures)


def test_it_gives_each_measure_what_it_asked_in_the_networks_order_while_it_fits(cast):
    round, network = cast.round, cast.network
    a = submitted(round, network, "A", 150_000, 50_000)
    b = submitted(round, network, "B", 200_000, 50_000)
    c = submitted(round, network, "C", 60_000, 40_000)  # 100 000: more than the 50 000 left
    d = submitted(round, network, "D", 30_000, 10_000)  # 40 000: fits after C did not
    in_order(round, network, [b, a, c, d])
    frame(round, 500_000)
    main = main_of(round)

    result = suggest(main, by=cast.governor)

    assert amounts(main, b) == (200_000, 50_000)
    assert amounts(main, a) == (150_000, 50_000)
    assert amounts(main, c) == (0, 0)
    assert amounts(main, d) == (30_000, 10_000)
    assert placed(main, [a, b, c, d]) == 490_000 <= 500_000
    (budget,) = result.budgets
    assert (budget.placed, budget.remaining, budget.not_fitted) == (490_000, 10_000, ["C"])
    text = " ".join(result.messages()).replace("\xa0", " ")
    assert "kr 490 000 placed" in text and "Did not fit (given 0): «C»" in text


def test_the_order_is_the_networks_order_not_the_order_the_measures_were_sent_in(cast):
    round, network = cast.round, cast.network
    first = submitted(round, network, "Først sendt", 100_000, 0)
    second = submitted(round, network, "Sist sendt", 100_000, 0)
    in_order(round, network, [second, first])
    frame(round, 150_000)
    main = main_of(round)

    suggest(main, by=cast.governor)

    assert amounts(main, second) == (100_000, 0)
    assert amounts(main, first) == (0, 0)


def test_networks_take_turns_by_rank_and_the_assessments_break_a_tie(cast):
    round, n1 = cast.round, cast.network
    n2 = make_network(cast.office)
    n1_first, n1_second = submitted(round, n1, "N1 1", 100_000, 0), submitted(round, n1, "N1 2", 100_000, 0)
    n2_first, n2_second = submitted(round, n2, "N2 1", 100_000, 0), submitted(round, n2, "N2 2", 100_000, 0)
    in_order(round, n1, [n1_first, n1_second])
    in_order(round, n2, [n2_first, n2_second])
    assessor = make_assessor(round)
    assess(n2_second, assessor, "prioritise", "met")
    assess(n1_second, assessor, "possible", "partly")
    frame(round, 300_000)
    main = main_of(round)

    suggest(main, by=cast.governor)

    # Each network's first, then of the two seconds the one the forum's shared assessment prioritises.
    assert [amounts(main, m)[0] for m in (n1_first, n2_first, n2_second, n1_second)] == [100_000, 100_000, 100_000, 0]


def test_measures_the_network_does_not_recommend_come_last(cast):
    round, network = cast.round, cast.network
    top = submitted(round, network, "Frarådet", 100_000, 0)
    low = submitted(round, network, "Anbefalt", 100_000, 0)
    in_order(round, network, [top, low])
    not_recommended(round, network, top)
    frame(round, 150_000)
    main = main_of(round)

    suggest(main, by=cast.governor)

    assert amounts(main, low) == (100_000, 0)
    assert amounts(main, top) == (0, 0)


def test_where_a_key_divides_the_frame_each_networks_share_is_its_own_budget(cast):
    round, n1 = cast.round, cast.network
    n2 = make_network(cast.office)
    divide(round, {n1: 1, n2: 3})
    frame(round, 1_000_000)  # shares: 250 000 and 750 000
    big, small = submitted(round, n1, "N1 stor", 200_000, 0), submitted(round, n1, "N1 for mye", 100_000, 0)
    other = submitted(round, n2, "N2", 500_000, 200_000)
    in_order(round, n1, [big, small])
    main = main_of(round)

    result = suggest(main, by=cast.governor)

    assert amounts(main, big) == (200_000, 0)
    assert amounts(main, small) == (0, 0)  # it would have fitted in the scheme's frame, not in N1's share
    assert amounts(main, other) == (500_000, 200_000)
    shares = {b.network: (b.amount, b.placed) for b in result.budgets}
    assert shares[n1.name] == (250_000, 200_000) and shares[n2.name] == (750_000, 700_000)


def test_a_network_without_a_share_gets_nothing_in_a_divided_frame(cast):
    round, n1 = cast.round, cast.network
    outside = make_network(cast.office)
    divide(round, {n1: 1})
    frame(round, 1_000_000)
    measure = submitted(round, outside, "Utenfor nøkkelen", 10_000, 0)
    main = main_of(round)

    result = suggest(main, by=cast.governor)

    assert amounts(main, measure) == (0, 0)
    assert any("no share of the frame" in b.label and b.not_fitted == ["Utenfor nøkkelen"] for b in result.budgets)


def test_each_suggested_amount_is_an_event_and_the_line_is_marked_until_a_person_changes_it(cast):
    round, network = cast.round, cast.network
    measure = submitted(round, network, "A", 100_000, 50_000)
    frame(round, 500_000)
    main = main_of(round)
    before = line(main, measure).version

    suggest(main, by=cast.governor)

    suggested = line(main, measure)
    assert suggested.suggested and suggested.version == before + 1 and suggested.updated_by == cast.governor
    events = RecommendationEvent.objects.filter(line=suggested).order_by("field")
    assert [(e.kind, e.field, e.old, e.new, e.actor) for e in events] == [
        ("suggested", "owner_amount", "", "100000", cast.governor),
        ("suggested", "partner_amount", "", "50000", cast.governor),
    ]
    again = suggest(main, by=cast.governor)
    assert again.changed == 0 and RecommendationEvent.objects.filter(line=suggested).count() == 2

    suggested.set(90_000, 50_000, base=suggested.version, by=cast.governor)
    assert not line(main, measure).suggested


def test_by_default_it_fills_only_what_no_person_has_decided_and_their_amounts_count(cast):
    round, network = cast.round, cast.network
    decided = submitted(round, network, "Bestemt", 100_000, 0)
    open_ = submitted(round, network, "Åpen", 100_000, 0)
    in_order(round, network, [decided, open_])
    frame(round, 150_000)
    main = main_of(round)
    mine = line(main, decided)
    mine.set(80_000, 0, base=mine.version, by=cast.governor)

    suggest(main, by=cast.governor)

    assert amounts(main, decided) == (80_000, 0) and not line(main, decided).suggested
    assert amounts(main, open_) == (0, 0)  # 100 000 does not fit in the 70 000 the person left

    suggest(main, by=cast.governor, replace_all=True)

    assert amounts(main, decided) == (100_000, 0) and line(main, decided).suggested
    assert amounts(main, open_) == (0, 0)


def test_a_second_fill_redoes_earlier_suggestions_after_the_frame_changes(cast):
    round, network = cast.round, cast.network
    a, b = submitted(round, network, "A", 100_000, 0), submitted(round, network, "B", 100_000, 0)
    in_order(round, network, [a, b])
    frame(round, 100_000)
    main = main_of(round)
    suggest(main, by=cast.governor)
    assert amounts(main, b) == (0, 0)

    frame(round, 200_000)
    suggest(main, by=cast.governor)

    assert amounts(main, a) == amounts(main, b) == (100_000, 0)


def test_a_scheme_without_a_frame_is_left_alone_and_the_summary_says_so(cast):
    round, network = cast.round, cast.network
    measure = submitted(round, network, "A", 100_000, 0)
    main = main_of(round)

    result = suggest(main, by=cast.governor)

    assert amounts(main, measure) == (None, None) and result.changed == 0
    assert any("No frame is set for" in m for m in result.messages())


def test_a_disqualified_person_leaves_their_partnerships_lines_as_they_are(cast):
    round, network = cast.round, cast.network
    theirs = submitted(round, network, "Inhabil", 100_000, 0)
    other = submitted(round, network, "Annen", 100_000, 0)
    frame(round, 500_000)
    member = make_assessor(round)
    Membership.objects.create(user=member, role=Role.OWNER_CONTACT, organisation=owner_of(theirs))
    main = main_of(round)

    suggest(main, by=member)

    assert amounts(main, theirs) == (None, None)
    assert amounts(main, other) == (100_000, 0)


def test_it_fills_a_what_if_and_leaves_the_main_recommendation_as_it_was(cast):
    round, network = cast.round, cast.network
    measure = submitted(round, network, "A", 100_000, 0)
    frame(round, 500_000)
    main = main_of(round)
    what_if = main.copy("Alt etter prioritet", by=cast.governor)

    suggest(what_if, by=cast.governor)

    assert amounts(what_if, measure) == (100_000, 0)
    assert amounts(main, measure) == (None, None)


def test_a_final_recommendation_or_a_closed_what_if_is_not_filled(cast):
    round, network = cast.round, cast.network
    measure = submitted(round, network, "A", 100_000, 0)
    frame(round, 500_000)
    main = main_of(round)
    what_if = main.copy("Forkastet", by=cast.governor)
    what_if.discard(by=cast.governor)
    with pytest.raises(Locked, match="discarded"):
        suggest(what_if, by=cast.governor)

    Recommendation.objects.filter(pk=main.pk).update(status=Recommendation.Status.FINAL)
    with pytest.raises(Locked, match="final"):
        suggest(main, by=cast.governor)
    assert amounts(main, measure) == (None, None)
    assert not RecommendationEvent.objects.filter(kind="suggested").exists()
