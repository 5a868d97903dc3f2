"""A round's milestones laid out month by month, weeks as rows, Monday first."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Milestone


@dataclass(frozen=True)
class Entry:
    """A milestone on one of its days."""

    milestone: Milestone
    continues: bool  # began on an earlier day, and this is not the first of a month: shown in short
    is_deadline: bool  # a deadline closes at the end of this day


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)

    @property
    def has_deadline(self) -> bool:
        return any(entry.is_deadline for entry in self.entries)


@dataclass(frozen=True)
class Week:
    number: int  # ISO week, as Norwegians count them («uke 43»)
    days: list[Day]


@dataclass(frozen=True)
class Month:
    first: dt.date
    weeks: list[Week]


def _entries_by_day(milestones: Iterable[Milestone]) -> dict[dt.date, list[Entry]]:
    by_day: defaultdict[dt.date, list[Entry]] = defaultdict(list)
    for milestone in milestones:
        for day in milestone.days:
            is_deadline = milestone.is_deadline and day == milestone.last_day
            continues = day != milestone.starts_on and day.day != 1  # each month's table names it in full
            by_day[day].append(Entry(milestone, continues, is_deadline))
    return by_day


def _months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_for(milestones: list[Milestone], today: dt.date) -> list[Month]:
    """Every month from the first milestone to the last, each a list of weeks (Monday–Sunday)."""
    if not milestones:
        return []
    by_day = _entries_by_day(milestones)
    first = min(m.starts_on for m in milestones)
    last = max(m.last_day for m in milestones)
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    months = []
    for year, month in _months_between(first, last):
        weeks = [
            Week(
                week[0].isocalendar().week,
                [
                    Day(day, day.month == month, day == today, by_day.get(day, []) if day.month == month else [])
                    for day in week
                ],
            )
            for week in weeks_of(year, month)
        ]
        months.append(Month(dt.date(year, month, 1), weeks))
    return months
