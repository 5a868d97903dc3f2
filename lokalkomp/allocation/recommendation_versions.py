"""A recommendation version read for its pages and its PDF: the lines per scheme and network with their totals
against the frames, the meeting record, and what changed between two versions.

Everything here reads the version's record (`RecommendationVersion.data` through `lines_of`), never the
live lines or the live forum: what the meeting recommended is what is shown and printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lokalkomp.directory.models import ForumMember

from .models.recommendation import RecommendationStep, RecommendationVersion
from .recommendation_record import RecordedLine, lines_of


@dataclass
class Totals:
    owner: int = 0
    partner: int = 0

    @property
    def total(self) -> int:
        return self.owner + self.partner

    def add(self, line: RecordedLine) -> None:
        self.owner += line.owner_amount
        self.partner += line.partner_amount


@dataclass
class NetworkBlock:
    name: str
    frame: int | None  # the network's share of the scheme's frame, where a key divides it
    lines: list[RecordedLine] = field(default_factory=list)  # those the reader may see
    totals: Totals = field(default_factory=Totals)  # every line's, seen or not
    hidden: int = 0

    @property
    def over(self) -> bool:
        return self.frame is not None and self.totals.total > self.frame

    @property
    def remaining(self) -> int | None:
        return None if self.frame is None else self.frame - self.totals.total


@dataclass
class SchemeBlock:
    code: str
    name: str
    frame: int | None
    networks: list[NetworkBlock] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)

    @property
    def over(self) -> bool:
        return self.frame is not None and self.totals.total > self.frame

    @property
    def remaining(self) -> int | None:
        return None if self.frame is None else self.frame - self.totals.total


@dataclass
class Seat:
    organisation: str
    person: str
    role: str
    votes: bool


@dataclass
class Meeting:
    date: dt.date | None
    present: list[Seat]
    decided_how: str
    votes_for: int | None
    votes_against: int | None
    votes_blank: int | None
    note: str

    @property
    def by_vote(self) -> bool:
        return self.decided_how == RecommendationStep.DecidedHow.VOTE

    @property
    def decided_display(self) -> str:
        try:
            return str(RecommendationStep.DecidedHow(self.decided_how).label)
        except ValueError:
            return self.decided_how

    @property
    def voting_present(self) -> int:
        return sum(1 for seat in self.present if seat.votes)


@dataclass
class VersionView:
    version: RecommendationVersion
    schemes: list[SchemeBlock]
    totals: Totals
    meeting: Meeting
    hidden: int  # lines the reader may not see (disqualified), counted in the totals

    @property
    def over(self) -> bool:
        return any(s.over or any(n.over for n in s.networks) for s in self.schemes)

    @property
    def justified(self) -> list[RecordedLine]:
        return [line for s in self.schemes for n in s.networks for line in n.lines if line.reason]


def _role_label(role: str) -> str:
    try:
        return str(ForumMember.Role(role).label)
    except ValueError:
        return role


def meeting_of(version: RecommendationVersion) -> Meeting:
    d = version.data.get("meeting") or {}
    try:
        date = dt.date.fromisoformat(d.get("date") or "")
    except ValueError:
        date = None
    present = [
        Seat(
            organisation=str(p.get("organisation", "")),
            person=str(p.get("person", "")),
            role=_role_label(str(p.get("role", ""))),
            votes=bool(p.get("votes")),
        )
        for p in d.get("present") or []
    ]
    return Meeting(
        date=date,
        present=present,
        decided_how=d.get("decided_how", ""),
        votes_for=d.get("votes_for"),
        votes_against=d.get("votes_against"),
        votes_blank=d.get("votes_blank"),
        note=d.get("note", ""),
    )


def view_of(version: RecommendationVersion, *, hidden_reports: frozenset[int] = frozenset()) -> VersionView:
    """The version per scheme and network (the frames' order, then the lines'); lines of `hidden_reports` are
    left out of the lists but counted in every total."""
    frames = {f["scheme"]["code"]: f for f in version.data.get("frames", [])}
    schemes: dict[str, SchemeBlock] = {}
    for code, f in frames.items():
        schemes[code] = SchemeBlock(
            code=code, name=f["scheme"].get("short_name") or code, frame=f.get("amount"), networks=[]
        )
    networks: dict[tuple[str, str], NetworkBlock] = {}
    totals = Totals()
    hidden = 0
    for line in lines_of(version):
        scheme = schemes.get(line.scheme_code)
        if scheme is None:
            scheme = schemes[line.scheme_code] = SchemeBlock(code=line.scheme_code, name=line.scheme, frame=None)
        key = (line.scheme_code, line.network)
        block = networks.get(key)
        if block is None:
            share = _share(frames.get(line.scheme_code), line.network_pk)
            block = networks[key] = NetworkBlock(name=line.network or _("No network"), frame=share)
            scheme.networks.append(block)
        block.totals.add(line)
        scheme.totals.add(line)
        totals.add(line)
        if line.report in hidden_reports:
            block.hidden += 1
            hidden += 1
        else:
            block.lines.append(line)
    return VersionView(
        version=version, schemes=list(schemes.values()), totals=totals, meeting=meeting_of(version), hidden=hidden
    )


def _share(frame: dict[str, Any] | None, network_pk: int | None) -> int | None:
    if frame is None or network_pk is None:
        return None
    for share in frame.get("networks") or []:
        if share.get("pk") == network_pk:
            return share.get("amount")  # type: ignore[no-any-return]
    return None


@dataclass
class Change:
    line: RecordedLine  # as it is in the newer version (or the older, if it is gone)
    old: RecordedLine | None
    new: RecordedLine | None

    @property
    def owner_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.owner_amount != self.new.owner_amount

    @property
    def partner_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.partner_amount != self.new.partner_amount

    @property
    def reason_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.reason != self.new.reason


def changes(
    a: RecommendationVersion, b: RecommendationVersion, *, hidden_reports: frozenset[int] = frozenset()
) -> list[Change]:
    """Every measure whose amounts or justification differ between the versions, or that is in only one of them,
    in the newer version's order."""
    old = {line.measure: line for line in lines_of(a)}
    new = {line.measure: line for line in lines_of(b)}
    found: list[Change] = []
    for measure, line in new.items():
        before = old.get(measure)
        if line.report in hidden_reports:
            continue
        if before is None or (before.owner_amount, before.partner_amount, before.reason) != (
            line.owner_amount,
            line.partner_amount,
            line.reason,
        ):
            found.append(Change(line=line, old=before, new=line))
    found += [
        Change(line=line, old=line, new=None)
        for measure, line in old.items()
        if measure not in new and line.report not in hidden_reports
    ]
    return found
