"""A round ready for its recommendation's steps: two submitted measures of one scheme, their amounts recommended
as asked, a frame above their sum, and a forum with seats (a member, a deputy, the Statsforvalter's secretariat).

    «Lesing»   (the cast's network, 200 000 + 100 000 kr)
    «Skriving» (the cast's network,  80 000 +  40 000 kr)          frame: 1 000 000 kr

    seats: KS (member, the cast's forum member, votes) · Utdanningsforbundet (deputy, votes)
           · Statsforvalteren (secretariat, the forum secretary, no vote)

The forum's secretary (`secretary`) takes the steps; the cast's governor is secretariat too.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Forum, ForumMember, Organisation
from lokalkomp.needs.models import Measure
from lokalkomp.testing import give_totp, make_measure, make_organisation, make_partnership, make_report, make_user

from ..models import Recommendation
from .assess_helpers import submit

MEETING = dt.date(2024, 3, 13)


@dataclass
class StepRound:
    cast: Any
    round: Any
    a: Measure
    b: Measure
    recommendation: Recommendation
    secretary: Any
    deputy: Any
    member_seat: ForumMember
    deputy_seat: ForumMember
    secretariat_seat: ForumMember


def submitted(round: Any, network: Any, name: str, owner: int, partner: int) -> Measure:
    report = make_report(round, make_partnership(round.office, network))
    scheme = round.schemes.order_by("pk").first()
    measure = make_measure(report, owner, partner, scheme=scheme, name=name)
    submit(report)
    return Measure.objects.select_related("report__partnership", "scheme").get(pk=measure.pk)


def set_frame(round: Any, amount: int | None) -> None:
    round.round_schemes.get(scheme=round.schemes.order_by("pk").first()).set_frame(amount, by=None)


def as_asked(recommendation: Recommendation, measure: Measure, *, reason: str | None = None) -> None:
    line = recommendation.lines.select_related("measure").get(measure=measure)
    line.set(measure.owner_amount, measure.partner_amount, base=line.version, by=None, reason=reason)


def set_amounts(
    recommendation: Recommendation, measure: Measure, owner: int, partner: int, reason: str | None = None
) -> None:
    line = recommendation.lines.select_related("measure").get(measure=measure)
    line.set(owner, partner, base=line.version, by=None, reason=reason)


def make_step_round(cast: Any) -> StepRound:
    round = cast.round
    a = submitted(round, cast.network, "Lesing", 200_000, 100_000)
    b = submitted(round, cast.network, "Skriving", 80_000, 40_000)
    set_frame(round, 1_000_000)
    recommendation = Recommendation.main_of(round)
    as_asked(recommendation, a)
    as_asked(recommendation, b)
    secretary = make_user("sekretaer@steps.test", first_name="Sara", last_name="Sekretær")
    Membership.objects.create(user=secretary, role=Role.FORUM_SECRETARY, office=round.office)
    give_totp(secretary)
    deputy = make_user("vara@steps.test", first_name="Vidar", last_name="Vara")
    Membership.objects.create(user=deputy, role=Role.FORUM_DEPUTY, office=round.office)
    give_totp(deputy)
    cast.forum_member.first_name, cast.forum_member.last_name = "Mona", "Medlem"
    cast.forum_member.save()
    forum = Forum.objects.create(office=round.office, name="Samarbeidsforum")
    member_seat = ForumMember.objects.create(
        forum=forum, organisation=make_organisation(name="KS"), role="member", person=cast.forum_member
    )
    deputy_seat = ForumMember.objects.create(
        forum=forum, organisation=make_organisation(name="Utdanningsforbundet"), role="deputy", person=deputy
    )
    governor = make_organisation(Organisation.Kind.GOVERNOR, name="Statsforvalteren i Nordland")
    secretariat_seat = ForumMember.objects.create(
        forum=forum, organisation=governor, role="secretariat", votes=False, person=secretary
    )
    return StepRound(
        cast=cast,
        round=round,
        a=a,
        b=b,
        recommendation=recommendation,
        secretary=secretary,
        deputy=deputy,
        member_seat=member_seat,
        deputy_seat=deputy_seat,
        secretariat_seat=secretariat_seat,
    )


def step_data(r: StepRound, **changes: Any) -> dict[str, Any]:
    """A filled-in step form: the member and the secretariat present, decided by consensus."""
    data: dict[str, Any] = {
        "meeting_date": MEETING.isoformat(),
        "present": [str(r.member_seat.pk), str(r.secretariat_seat.pk)],
        "decided_how": "consensus",
        "note": "Forumet ble enige.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def take(r: StepRound, to: str, *, by: Any = None, **changes: Any) -> Any:
    """The step taken through the model, as the form would: consensus, the member and the secretariat present."""
    from ..recommendation_step_form import StepForm, forum_seats

    form = StepForm(step_data(r, **changes), seats=forum_seats(r.round))
    assert form.is_valid(), form.errors
    return r.recommendation.advance(to=to, by=by or r.secretary, **form.step_arguments())


def text(response: Any) -> str:
    """The page as a reader sees its text: entities unescaped, no-break spaces plain."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def url(name: str, round: Any, *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
