"""The end of Nordland's 2023 and 2024 years: the forum's recommendation, the decisions and the payments.

**2024** (after ``middle.py``, which leaves the round «assessed"), with seed 004's dates:

1. the forum recommends every measure of the round *as asked*: Ytre Helgeland's (Alstahaug with
   HINN/SePU) with seed 003's numbers (kr 625 000 to the owner, kr 919 000 to HINN/SePU,
   ``data/ytre_helgeland_2024.json``), Indre Helgeland's as the demo's made-up report asks
   (``middle.IH_MEASURES``); every frame of ``frames.py`` holds;
2. a preliminary recommendation at the meeting of 13.03.2024 and the final one on 18.03.2024, both
   by consensus, with the forum's seats present (the seats are the demo's own, ``build.FORUM_SEATS``);
3. the Statsforvalter's decisions on 15.04.2024, one per recipient (Alstahaug kommune and HINN/SePU
   among them, with the account numbers of the submitted report's record), and
4. the ordinary decisions' payments marked paid on 15.04.2024;
5. one open what-if, «Alternativ: kutt 10 %», a copy of the main recommendation with every amount
   10 % less, for a newcomer to play with (the main recommendation is final and locked).

**2023**: the round holds Indre Helgeland's measures of seed 004's table (``indre_helgeland.ROWS``,
loaded by ``build.py`` as submitted reports built from the table's rows). The forum recommends
exactly the table's amounts, and the round is decided and paid in the same way. The seeds give no
dates for 2023: the demo's are made up, seed 004's cycle a year earlier on weekdays (13.03., 20.03.
and 17.04.2023). Seed 004's table sums to kr 4 157 752, not to the kr 6 022 232 its slide
«Tildelte midler 2021–2023» states for 2023 (``indre_helgeland.GRANTED_BY_YEAR``): the table does
not list every grant of the year. The demo decides the table, and invents no row to close the gap.

The APIs take the demo's time where they have a ``now=`` (the steps, the decisions) and the date of
payment (``on=``); a recommendation line's change and a what-if copy are stamped when loaded.

Loading again changes nothing and records nothing: each step passes over what is on record (a
final recommendation, a what-if of that name, the round's decisions, a paid payment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from lokalkomp.accounts.models import User
from lokalkomp.allocation.models import Recommendation, RecommendationLine, RecommendationStep
from lokalkomp.allocation.recommendation_step_form import forum_seats, seat_record
from lokalkomp.schemes.models import Round

from .middle import at

SECRETARY = "sekretar@lokalkomp.test"  # takes the steps with the meeting record
FORUM = "forum@lokalkomp.test"  # types the amounts in the meeting
GOVERNOR = "statsforvalter@lokalkomp.test"  # decides and pays
WHAT_IF = "Alternativ: kutt 10 %"


@dataclass(frozen=True)
class Year:
    year: int
    preliminary: dt.datetime
    final: dt.datetime
    decided: dt.datetime
    note: str
    what_if: bool = False


YEARS = [
    Year(  # made up dates (see above)
        2023,
        at(2023, 3, 13, 15),
        at(2023, 3, 20, 14),
        at(2023, 4, 17, 10),
        "Innstillingen følger tiltakslisten for 2023.",
    ),
    Year(  # seed 004: 13–14 March, 18 March, 15 April
        2024,
        at(2024, 3, 13, 15),
        at(2024, 3, 18, 14),
        at(2024, 4, 15, 10),
        "Samarbeidsforum innstiller alle tiltak slik det er søkt om.",
        what_if=True,
    ),
]


def build() -> None:
    """Recommend, decide and pay the 2023 and 2024 rounds (each step once)."""
    with transaction.atomic():
        for year in YEARS:
            round = Round.objects.select_related("office").get(office__slug="nordland", year=year.year)
            main = recommend(round)
            take_steps(main, year)
            if year.what_if:
                what_if(main)
            decide_and_pay(round, year)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def recommend(round: Round) -> Recommendation:
    """The main recommendation, every line as asked (while it may still be changed)."""
    forum = _user(FORUM)
    main = Recommendation.main_of(round, by=forum)
    if not main.is_editable:
        return main  # final: on record
    for line in main.lines.select_related("measure"):
        owner, partner = line.preset_amounts(RecommendationLine.Preset.AS_ASKED)
        if (line.owner_amount, line.partner_amount) != (owner, partner):
            line.set(owner, partner, base=line.version, by=forum)
    return main


def take_steps(main: Recommendation, year: Year) -> None:
    """Preliminary, then final: each at its meeting, by consensus, with the forum's seats present."""
    secretary = _user(SECRETARY)
    present = [seat_record(seat) for seat in forum_seats(main.round)]
    for to, when in ((Recommendation.Status.PRELIMINARY, year.preliminary), (Recommendation.Status.FINAL, year.final)):
        if Recommendation.STEPS.get(main.status) != to:
            continue  # taken already
        main.advance(
            to=to,
            by=secretary,
            meeting_date=when.date(),
            present=present,
            decided_how=RecommendationStep.DecidedHow.CONSENSUS,
            note=year.note if to == Recommendation.Status.FINAL else "",
            now=when,
        )


def what_if(main: Recommendation) -> Recommendation:
    """The open what-if «Alternativ: kutt 10 %»: made once, every amount 10 % less than asked."""
    existing = main.what_if_copies.filter(name=WHAT_IF).first()
    if existing is not None:
        return existing  # a newcomer's changes to it are theirs: never set again
    forum = _user(FORUM)
    copy = main.copy(WHAT_IF, by=forum)
    for line in copy.lines.select_related("measure"):
        owner, partner = line.preset_amounts(RecommendationLine.Preset.MINUS_10)
        line.set(owner, partner, base=line.version, by=forum, reason="Alternativ med 10 % kutt på alle tiltak.")
    return copy


def decide_and_pay(round: Round, year: Year) -> None:
    """The Statsforvalter's decisions on the day, one per recipient, and their payments marked paid that day."""
    from lokalkomp.allocation.actions import decide_round
    from lokalkomp.allocation.models.decision import Decision
    from lokalkomp.allocation.models.payment import Payment

    governor = _user(GOVERNOR)
    if not Decision.objects.filter(round=round, kind="ordinary").exists():
        decide_round(round=round, by=governor, now=year.decided)
    Payment.objects.in_round(round).filter(decision__kind="ordinary").to_pay().mark_paid(
        on=year.decided.date(), by=governor
    )
