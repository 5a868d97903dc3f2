"""The access matrix: every page and action of the project × every role of the cast.

The URL conf is walked; every named URL of the project's own apps must have an entry in
RULES stating, for each person, the status they get for the cast's own objects and for
another office's. A URL without an entry fails the test: state who may use it.

Statuses: 200/302 allowed (LOGIN: sent to sign in), 403 may see but not change,
404 a stranger, 405 the wrong method, and the odd case that belongs to the page
(401 for an expired session on autosave, 409 nothing to copy, 410 a used invitation).
Each request runs in a transaction that is rolled back, so actions do not disturb the next.
The second half checks that lists, exports and e-mails show nothing of other partnerships.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import (
    make_governor_admin,
    make_invitation,
    make_measure,
    make_network,
    make_partnership,
    make_report,
    make_round,
    make_user,
    mark_reauthenticated,
)

PERSONAS = (
    "anonymous",
    "outsider",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "coordinator",
    "other_coordinator",
    "forum_member",
    "reader",
    "governor",
    "governor_admin",
    "other_office_governor",
)
LOGIN = "login"  # a 302 to the sign-in page

# Not the project's own pages: Django's admin and i18n, allauth's accounts, the health check.
SKIPPED_MODULES = ("django.", "allauth.")
SKIPPED_NAMES = {"health"}


# ── The world: the cast, and objects of another partnership (same office) and another office ──
# The cast's own report is a draft; the other partnership's, in another network of the office, is
# submitted (what the office's reader may read); the other office's is a draft.


@dataclass
class World:
    cast: Any
    people: dict[str, Any]
    measure: Any
    milestone: Any
    union_row: Any
    sibling_report: Any
    sibling_measure: Any
    foreign_office: Any
    foreign_round: Any
    foreign_network: Any
    foreign_report: Any
    foreign_measure: Any
    foreign_milestone: Any
    pending_invitation: Any
    used_invitation: Any
    feed: Any
    extra: dict[str, Any] = field(default_factory=dict)


SIBLING = "Nabopartnerskap Vesterheim"
SIBLING_MEASURE = "Nabotiltak om lesing"
FOREIGN = "Fremmed partnerskap Austerheim"
FOREIGN_MEASURE = "Fremmed tiltak om regning"
FOREIGN_EMAIL = "fremmed-invitert@example.test"


@pytest.fixture
def world(cast) -> World:
    cache.clear()
    deadline = timezone.localdate() + dt.timedelta(days=30)
    owner = cast.report.partnership.participants.get(side="owner").organisation
    cast.network.owners.add(owner)
    milestone = Milestone.objects.create(
        round=cast.round, title="Frist for behovsmeldinger", starts_on=deadline, governs="needs_reports"
    )
    sibling = make_report(
        cast.round, make_partnership(cast.office, Network.objects.get(memberships__user=cast.other_coordinator))
    )
    sibling.partnership.name = SIBLING
    sibling.partnership.save()
    sibling_measure = make_measure(sibling, owner=100, name=SIBLING_MEASURE)
    submit_on_record(sibling)
    foreign_office = cast.other_office_governor.memberships.get().office
    foreign_round = make_round(foreign_office, year=cast.round.year, deadline=deadline)
    foreign_network = make_network(foreign_office)
    foreign = make_report(foreign_round, make_partnership(foreign_office, foreign_network))
    foreign.partnership.name = FOREIGN
    foreign.partnership.save()
    used = make_invitation(cast.governor, email="brukt@example.test")
    used.accepted_at, used.accepted_by = timezone.now(), cast.outsider
    used.save()
    make_invitation(cast.other_office_governor, email=FOREIGN_EMAIL)
    from lokalkomp.schemes.models import CalendarFeed

    return World(
        cast=cast,
        people={
            **{name: getattr(cast, name) for name in PERSONAS if hasattr(cast, name)},
            "anonymous": None,
            "governor_admin": make_governor_admin(cast.office, "governor_admin@cast.test"),
            "reader": make_reader(cast.office),
        },
        measure=make_measure(cast.report, owner=100, name="Eget tiltak"),
        milestone=milestone,
        union_row=cast.report.union_participants.get(),
        sibling_report=sibling,
        sibling_measure=sibling_measure,
        foreign_office=foreign_office,
        foreign_round=foreign_round,
        foreign_network=foreign_network,
        foreign_report=foreign,
        foreign_measure=make_measure(foreign, owner=100, name=FOREIGN_MEASURE),
        foreign_milestone=foreign_round.milestones.get(),
        pending_invitation=make_invitation(cast.governor, email="ny-person@example.test"),
        used_invitation=used,
        feed=CalendarFeed.objects.create(user=cast.governor),
    )


def submit_on_record(report: Any) -> None:
    """The report submitted, with its event and its first version, as a submission on the site leaves it."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    report.record_version(by=None, event=event)


def make_reader(office: Any) -> Any:
    """The office's reader: reads its submitted reports, nothing else."""
    reader = make_user("reader@cast.test")
    Membership.objects.create(user=reader, role=Role.READER, office=office)
    return reader


# ── Who may use what ──


def statuses(default: Any, **special: Any) -> dict[str, Any]:
    assert set(special) <= set(PERSONAS), set(special) - set(PERSONAS)
    return {persona: special.get(persona, default) for persona in PERSONAS}


# The cast's draft, the other partnership's submitted report and another office's draft: who
# reads, writes and reopens each.
READERS = {
    "own": {
        "owner_contact",
        "partner_contact",
        "union_rep",
        "coordinator",
        "forum_member",
        "governor",
        "governor_admin",
    },
    "submitted": {"other_coordinator", "forum_member", "reader", "governor", "governor_admin"},
    "foreign": {"other_office_governor"},
}
WRITERS = {"own": {"owner_contact", "partner_contact"}, "submitted": set(), "foreign": set()}
REOPENERS = {
    "own": {"coordinator", "governor", "governor_admin"},
    "submitted": {"other_coordinator", "governor", "governor_admin"},
    "foreign": {"other_office_governor"},
}
REPORT_SIDES = ("own", "submitted", "foreign")
NEED = {"read": READERS, "write": WRITERS, "reopen": REOPENERS}


def on_report(need: str, ok: int, anonymous: Any = 404) -> Callable[[str], dict[str, Any]]:
    """Strangers to the report get 404, its readers 403 where they may not act, those who may `ok`."""

    def expected(side: str) -> dict[str, Any]:
        allowed, readers = NEED[need][side], READERS[side]
        return {p: ok if p in allowed else 403 if p in readers else 404 for p in PERSONAS} | {"anonymous": anonymous}

    return expected


def same_for_both(table: dict[str, Any]) -> Callable[[str], dict[str, Any]]:
    return lambda side: table


INVITERS = {"owner_contact", "coordinator", "governor", "governor_admin", "other_office_governor"}
GOVERNORS = {"own": {"governor", "governor_admin"}, "foreign": {"other_office_governor"}}
ADMINS = {"own": {"governor_admin"}, "foreign": set()}


def invite_page(side: str) -> dict[str, Any]:
    return statuses(403, anonymous=LOGIN, **dict.fromkeys(INVITERS, 200))


def office_people(ok: int) -> Callable[[str], dict[str, Any]]:
    """The office's people: its Statsforvalter sees them (404 for everyone else); its administrator changes roles."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(404, anonymous=LOGIN, **dict.fromkeys(GOVERNORS[side], 403))
        return table | dict.fromkeys(ADMINS[side] if ok != 200 else GOVERNORS[side], ok)

    return expected


def cycle_editor(ok: int) -> Callable[[str], dict[str, Any]]:
    """A round's annual cycle is public; changing it is for the Statsforvalter of its office (403 for others)."""
    return lambda side: statuses(403, anonymous=LOGIN, **dict.fromkeys(GOVERNORS[side], ok))


@dataclass(frozen=True)
class Rule:
    method: str
    expected: Callable[[str], dict[str, Any]]
    kwargs: Callable[[World, str], dict[str, Any]] = lambda w, side: {}
    data: Callable[[World, str], dict[str, Any]] = lambda w, side: {}
    sides: tuple[str, ...] = ("own", "foreign")


def report_of(w: World, side: str) -> Any:
    return {"own": w.cast.report, "submitted": w.sibling_report, "foreign": w.foreign_report}[side]


def report_kw(**extra: Callable[[World, str], Any]) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(w: World, side: str) -> dict[str, Any]:
        return {"pk": report_of(w, side).pk, **{k: f(w, side) for k, f in extra.items()}}

    return kwargs


def round_kw(w: World, side: str) -> dict[str, Any]:
    round = w.cast.round if side == "own" else w.foreign_round
    return {"office": round.office.slug, "year": round.year}


def milestone_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"pk": (w.milestone if side == "own" else w.foreign_milestone).pk}


def office_kw(w: World, side: str) -> dict[str, Any]:
    return {"office": (w.cast.office if side == "own" else w.foreign_office).slug}


def _measure(w: World, side: str) -> int:
    return {"own": w.measure, "submitted": w.sibling_measure, "foreign": w.foreign_measure}[side].pk


def _union_row(w: World, side: str) -> int:
    return w.union_row.pk


def _autosave(w: World, side: str) -> dict[str, Any]:
    key = f"report:{report_of(w, side).pk}:public_schools"
    return {"key": key, key: "3"}


def _with_a_submission(w: World, side: str) -> dict[str, Any]:
    """The report with a submission on record (reopened since), so that it has a receipt to show."""
    report = report_of(w, side)
    report.events.get_or_create(to_status="submitted", defaults={"from_status": "draft"})
    return {"pk": report.pk}


EVERYONE = statuses(200)
SIGNED_IN = statuses(200, anonymous=LOGIN)
OWN_ONLY = ("own",)

RULES: dict[str, Rule] = {
    "home": Rule("get", same_for_both(EVERYONE), sides=OWN_ONLY),
    "accessibility": Rule("get", same_for_both(EVERYONE), sides=OWN_ONLY),
    "privacy": Rule("get", same_for_both(EVERYONE), sides=OWN_ONLY),
    # People and access
    "accounts:me": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    # allauth's e-mail page, with our rule that an unconfirmed address cannot become the main one
    "account_email": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "accounts:invitations": Rule("get", invite_page, sides=OWN_ONLY),
    "accounts:invite": Rule("get", invite_page, sides=OWN_ONLY),
    "accounts:accept": Rule(
        "get",
        lambda side: statuses(403, anonymous=200) if side == "own" else statuses(410),
        kwargs=lambda w, side: {
            "token": __import__("lokalkomp.accounts.invitations", fromlist=["make_token"]).make_token(
                w.pending_invitation if side == "own" else w.used_invitation
            )
        },
    ),
    "accounts:audit": Rule(
        "get",
        same_for_both(statuses(403, anonymous=LOGIN, governor=200, governor_admin=200, other_office_governor=200)),
        sides=OWN_ONLY,
    ),
    "accounts:audit_csv": Rule(  # the audit page's export: the same access
        "get",
        same_for_both(statuses(403, anonymous=LOGIN, governor=200, governor_admin=200, other_office_governor=200)),
        sides=OWN_ONLY,
    ),
    "accounts:people": Rule("get", office_people(200), kwargs=office_kw),
    "accounts:add_role": Rule(
        "post",
        office_people(302),
        kwargs=office_kw,
        data=lambda w, side: {"person": w.cast.forum_member.pk, "target": f"{Role.READER}.office"},
    ),
    "accounts:remove_role": Rule(
        "post",
        office_people(302),
        kwargs=lambda w, side: office_kw(w, side)
        | {"membership": (w.cast.forum_member if side == "own" else w.cast.other_office_governor).memberships.get().pk},
    ),
    # Rounds, the annual cycle and the calendar feed
    "schemes:round": Rule("get", same_for_both(EVERYONE), kwargs=round_kw),
    "schemes:calendar": Rule("get", same_for_both(EVERYONE), kwargs=round_kw),
    "schemes:cycle": Rule("get", cycle_editor(200), kwargs=round_kw),
    "schemes:add_milestone": Rule(
        "post",
        cycle_editor(302),
        kwargs=round_kw,
        data=lambda w, side: {"title": "Samling", "starts_on": "01.03.2027", "audience": "all"},
    ),
    "schemes:edit_milestone": Rule("get", cycle_editor(200), kwargs=milestone_kw),
    "schemes:delete_milestone": Rule("get", cycle_editor(200), kwargs=milestone_kw),
    "schemes:set_reminder": Rule(
        "post", cycle_editor(302), kwargs=round_kw, data=lambda w, side: {"reminder_days": "7"}
    ),
    "schemes:copy_previous": Rule("post", cycle_editor(409), kwargs=round_kw),  # no earlier round to copy
    "schemes:start_next_year": Rule("post", cycle_editor(302), kwargs=round_kw),
    "schemes:subscribe": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "schemes:new_feed_link": Rule("post", same_for_both(statuses(302, anonymous=LOGIN)), sides=OWN_ONLY),
    "schemes:ical": Rule(
        "get",
        lambda side: statuses(200 if side == "own" else 404),  # the address is the secret
        kwargs=lambda w, side: {"token": w.feed.token if side == "own" else "not-a-real-token"},
    ),
    # Networks
    "directory:network": Rule(
        "get",
        same_for_both(EVERYONE),
        kwargs=lambda w, side: {
            "office": (w.cast.office if side == "own" else w.foreign_office).slug,
            "slug": (w.cast.network if side == "own" else w.foreign_network).slug,
        },
    ),
    # Needs reports
    "needs:mine": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "needs:import": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "needs:measures_xlsx": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "needs:start": Rule(
        "post",
        on_report("write", 302, anonymous=LOGIN),  # the readers of its reports may not start one: 403
        kwargs=lambda w, side: {
            "partnership": report_of(w, side).partnership_id,
            "round": report_of(w, side).round_id,
        },
        sides=REPORT_SIDES,
    ),
    "needs:report": Rule("get", on_report("read", 200), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:pdf": Rule("get", on_report("read", 200), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:report_xlsx": Rule("get", on_report("read", 200), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:versions": Rule("get", on_report("read", 200), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:edit_section": Rule(
        "get", on_report("read", 200), kwargs=report_kw(section=lambda w, s: "partnership"), sides=REPORT_SIDES
    ),
    "needs:measure": Rule("get", on_report("read", 200), kwargs=report_kw(measure=_measure), sides=REPORT_SIDES),
    "needs:save": Rule(
        "post", on_report("write", 200, anonymous=401), kwargs=report_kw(), data=_autosave, sides=REPORT_SIDES
    ),
    "needs:save_section": Rule(
        "post", on_report("write", 302), kwargs=report_kw(section=lambda w, s: "partnership"), sides=REPORT_SIDES
    ),
    "needs:set_schemes": Rule("post", on_report("write", 302), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:add_row": Rule(
        "post",
        on_report("write", 302),
        kwargs=report_kw(kind=lambda w, s: "union"),
        data=lambda w, side: {"union-role": "Hovedtillitsvalgt", "union-name": "Ny Tillitsvalgt"},
        sides=REPORT_SIDES,
    ),
    "needs:remove_row": Rule(
        "post", on_report("write", 302), kwargs=report_kw(kind=lambda w, s: "union", row=_union_row), sides=REPORT_SIDES
    ),
    "needs:add_measure": Rule(
        "post",
        on_report("write", 302),
        kwargs=report_kw(),
        data=lambda w, side: {"new:name": "Nytt tiltak"},
        sides=REPORT_SIDES,
    ),
    "needs:presence": Rule("post", on_report("read", 200, anonymous=401), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:copy_measure": Rule("post", on_report("write", 302), kwargs=report_kw(), sides=REPORT_SIDES),
    "needs:save_measure": Rule("post", on_report("write", 302), kwargs=report_kw(measure=_measure), sides=REPORT_SIDES),
    "needs:delete_measure": Rule(
        "post", on_report("write", 302), kwargs=report_kw(measure=_measure), sides=REPORT_SIDES
    ),
    "needs:move_measure": Rule(
        "post",
        on_report("write", 302),
        kwargs=report_kw(measure=_measure, direction=lambda w, s: "down"),
        sides=REPORT_SIDES,
    ),
    "needs:preview": Rule(
        "get", on_report("write", 200), kwargs=report_kw(), sides=REPORT_SIDES
    ),  # the same people as submit
    "needs:submit": Rule(
        "post", on_report("write", 302), kwargs=report_kw(), sides=REPORT_SIDES
    ),  # refused by the checklist
    "needs:receipt": Rule("get", on_report("read", 200), kwargs=_with_a_submission, sides=REPORT_SIDES),
    "needs:reopen": Rule("post", on_report("reopen", 302), kwargs=report_kw(), sides=REPORT_SIDES),
}


# ── Gatherings (issue 14): run by the office's Statsforvalter and the network's coordinator ──
# The own side is a gathering of the cast's network; the foreign side one of the other office.
# Participants join by code without an account: their pages are the same for everyone.


def _gathering_world(w: World, side: str) -> dict[str, Any]:
    key = f"gathering:{side}"
    if key not in w.extra:
        from lokalkomp.gatherings.models import Activity, AgendaItem
        from lokalkomp.gatherings.tests.helpers import make_activity, make_gathering, make_participant

        round = w.cast.round if side == "own" else w.foreign_round
        gathering = make_gathering(round, network=w.cast.network if side == "own" else None)
        game = make_activity(gathering, Activity.Kind.STATEMENT_GAME, question="Behovene er lokale")
        response = game.answer(make_participant(gathering, table=3), position="agree")
        item = AgendaItem.objects.create(gathering=gathering, what="Velkommen")
        w.extra[key] = {"gathering": gathering, "activity": game, "response": response, "item": item}
    return w.extra[key]  # type: ignore[no-any-return]


def gathering_kw(*names: str) -> Callable[[World, str], dict[str, Any]]:
    """pk of the side's gathering, and `activity`, `response` or `item` as named."""

    def kwargs(w: World, side: str) -> dict[str, Any]:
        g = _gathering_world(w, side)
        if "task" in names or "answer" in names:
            _with_task(w, side)
        return {"pk": g["gathering"].pk, **{name: g[name].pk for name in names}}

    return kwargs


def code_kw(*names: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(w: World, side: str) -> dict[str, Any]:
        g = _gathering_world(w, side)
        return {"code": g["gathering"].join_code, **{name: g[name].pk for name in names}}

    return kwargs


GATHERING_RUNNERS = {"own": {"coordinator", "governor", "governor_admin"}, "foreign": {"other_office_governor"}}
GATHERING_VIEWERS = {"own": {"forum_member"}, "foreign": set()}


def on_gathering(ok: int, *, viewers_ok: bool = False) -> Callable[[str], dict[str, Any]]:
    """Its organisers may (`ok`), the office's forum sees it (403 where it may not act), strangers 404."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(404, anonymous=LOGIN) | dict.fromkeys(GATHERING_VIEWERS[side], ok if viewers_ok else 403)
        return table | dict.fromkeys(GATHERING_RUNNERS[side], ok)

    return expected


GATHERING_ORGANISERS = {"coordinator", "other_coordinator", "governor", "governor_admin", "other_office_governor"}


def _group(w: World, side: str) -> str:
    """The link code of a group of a task of the side's gathering."""
    key = f"group:{side}"
    if key not in w.extra:
        from lokalkomp.gatherings.models import GroupTask, TaskGroup

        task = GroupTask.from_template(_gathering_world(w, side)["gathering"], "municipal")
        w.extra[key] = TaskGroup.objects.create(task=task, name="Bord 1")
    return w.extra[key].token  # type: ignore[no-any-return]


def _with_task(w: World, side: str) -> None:
    g = _gathering_world(w, side)
    if "task" not in g:
        from lokalkomp.gatherings.models import GroupTask

        g["task"] = GroupTask.from_template(g["gathering"], "county")
        group = g["task"].groups.create(name="Bord 2")
        group.write({"cooperation": "Faste møter"}, seen_revision=0)
        g["answer"] = group.answers.get()


def _plan_world(w: World, side: str) -> dict[str, Any]:
    """A plan of an owner in the side's network; on the own side the owner contact speaks for that owner."""
    key = f"plan:{side}"
    if key not in w.extra:
        from lokalkomp.gatherings.models import GroupTask, MunicipalPlan, PlanArea, TaskGroup

        if side == "own":
            owner = w.cast.report.partnership.participants.get(side="owner").organisation
            Membership.objects.create(user=w.cast.owner_contact, role=Role.OWNER_CONTACT, organisation=owner)
        else:
            owner = w.foreign_report.partnership.participants.get(side="owner").organisation
            w.foreign_network.owners.add(owner)
        plan = MunicipalPlan.objects.create(owner=owner, first_year=2024, last_year=2027)
        task = GroupTask.from_template(_gathering_world(w, side)["gathering"], "municipal")
        group = TaskGroup.objects.create(task=task, name=str(owner), owner=owner)
        group.write({"goals": "Mål fra samlingen"}, seen_revision=0)
        area = PlanArea.objects.create(plan=plan, title="Lesing")
        w.extra[key] = {"plan": plan, "area": area, "group": group}
    return w.extra[key]  # type: ignore[no-any-return]


def plan_kw(*names: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(w: World, side: str) -> dict[str, Any]:
        p = _plan_world(w, side)
        return {"pk": p["plan"].pk, **{name: p[name].pk for name in names}}

    return kwargs


PLAN_WRITERS = {"own": {"owner_contact"}, "foreign": set()}
PLAN_READERS = {"own": {"coordinator", "governor", "governor_admin"}, "foreign": {"other_office_governor"}}


def on_plan(ok: int, *, readers_ok: bool = False) -> Callable[[str], dict[str, Any]]:
    """The owner's people write (`ok`); the county's organisers read (403 where they may not write); else 404."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(404, anonymous=LOGIN) | dict.fromkeys(PLAN_READERS[side], ok if readers_ok else 403)
        return table | dict.fromkeys(PLAN_WRITERS[side], ok)

    return expected


RULES.update(
    {
        # Participants (no account)
        "gatherings:join_form": Rule("get", same_for_both(EVERYONE), sides=OWN_ONLY),
        "gatherings:phone": Rule("get", same_for_both(EVERYONE), kwargs=code_kw()),
        "gatherings:phone_live": Rule("get", same_for_both(EVERYONE), kwargs=code_kw()),
        "gatherings:set_table": Rule(
            "post", same_for_both(statuses(302)), kwargs=code_kw(), data=lambda w, side: {"table": "12"}
        ),
        "gatherings:answer": Rule(
            "post", same_for_both(EVERYONE), kwargs=code_kw("activity"), data=lambda w, side: {"position": "partly"}
        ),
        # Organisers
        "gatherings:list": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
        "gatherings:new": Rule(
            "get",
            same_for_both(statuses(403, anonymous=LOGIN, **dict.fromkeys(GATHERING_ORGANISERS, 200))),
            sides=OWN_ONLY,
        ),
        "gatherings:detail": Rule("get", on_gathering(200, viewers_ok=True), kwargs=gathering_kw()),
        "gatherings:edit": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:publish": Rule("post", on_gathering(302), kwargs=gathering_kw()),
        "gatherings:unpublish": Rule("post", on_gathering(302), kwargs=gathering_kw()),
        "gatherings:agenda_add": Rule(
            "post", on_gathering(302), kwargs=gathering_kw(), data=lambda w, side: {"what": "Lunsj"}
        ),
        "gatherings:agenda_delete": Rule("post", on_gathering(302), kwargs=gathering_kw("item")),
        "gatherings:activity_new": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:activity_edit": Rule("get", on_gathering(200), kwargs=gathering_kw("activity")),
        "gatherings:activity_open": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:activity_close": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:activity_round_two": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:activity_start_timer": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:activity_next_phase": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:activity_reset": Rule("post", on_gathering(302), kwargs=gathering_kw("activity")),
        "gatherings:moderation": Rule("get", on_gathering(200), kwargs=gathering_kw("activity")),
        "gatherings:response_hide": Rule("post", on_gathering(302), kwargs=gathering_kw("response")),
        "gatherings:response_approve": Rule("post", on_gathering(302), kwargs=gathering_kw("response")),
        "gatherings:presenter": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:results_xlsx": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:results_pdf": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:presenter_live": Rule("get", on_gathering(200), kwargs=gathering_kw("activity")),
        # Into the needs analysis: the organisers pick responses and group answers
        "gatherings:pick": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:response_pick": Rule("post", on_gathering(302), kwargs=gathering_kw("response")),
        "gatherings:response_unpick": Rule("post", on_gathering(302), kwargs=gathering_kw("response")),
        "gatherings:answer_pick": Rule("post", on_gathering(302), kwargs=gathering_kw("answer")),
        "gatherings:answer_unpick": Rule("post", on_gathering(302), kwargs=gathering_kw("answer")),
        # Group tasks; the group's page is its link (no account)
        "gatherings:task_new": Rule("get", on_gathering(200), kwargs=gathering_kw()),
        "gatherings:task": Rule("get", on_gathering(200, viewers_ok=True), kwargs=gathering_kw("task")),
        "gatherings:group_add": Rule(
            "post", on_gathering(302), kwargs=gathering_kw("task"), data=lambda w, side: {"name": "Bord 7"}
        ),
        "gatherings:task_close": Rule("post", on_gathering(302), kwargs=gathering_kw("task")),
        "gatherings:task_open": Rule("post", on_gathering(302), kwargs=gathering_kw("task")),
        "gatherings:group": Rule("get", same_for_both(EVERYONE), kwargs=lambda w, side: {"token": _group(w, side)}),
        # The municipality's plan: the owner's people write it, the county's organisers read it
        "gatherings:plans": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
        "gatherings:plan_new": Rule(
            "get",
            same_for_both(statuses(403, anonymous=LOGIN, owner_contact=200)),
            kwargs=lambda w, side: _plan_world(w, side) and {},
            sides=OWN_ONLY,
        ),
        "gatherings:plan": Rule("get", on_plan(200, readers_ok=True), kwargs=plan_kw()),
        "gatherings:plan_edit": Rule("get", on_plan(200), kwargs=plan_kw()),
        "gatherings:area_add": Rule("post", on_plan(302), kwargs=plan_kw(), data=lambda w, side: {"title": "Lesing"}),
        "gatherings:area_delete": Rule("post", on_plan(302), kwargs=plan_kw("area")),
        "gatherings:plan_from_group": Rule("post", on_plan(302), kwargs=plan_kw("group")),
    }
)
# ── end of gatherings ──


# ── The URL conf ──


def project_url_names() -> Iterator[tuple[str, Any]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith(SKIPPED_MODULES) or pattern.name in SKIPPED_NAMES:
                    continue
                yield f"{namespace}{pattern.name}", pattern.callback

    yield from walk(get_resolver().url_patterns, "")


def allowed_methods(view: Any) -> set[str]:
    """The methods a view's require_http_methods decorator lets through (from its closure)."""
    for cell in getattr(view, "__closure__", None) or ():
        if isinstance(cell.cell_contents, list) and all(isinstance(m, str) for m in cell.cell_contents):
            return {m.lower() for m in cell.cell_contents}
    return set()


def test_every_page_of_the_project_states_who_may_use_it():
    names = {name for name, _view in project_url_names()}
    missing = sorted(names - set(RULES))
    assert not missing, f"State who may use these URLs in RULES: {missing}"
    assert not sorted(set(RULES) - names), "RULES names URLs that no longer exist"


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """A browser per person, signed in (and just re-authenticated) once."""
    browsers = {}
    for persona, user in world.people.items():
        browsers[persona] = Client()
        if user is not None:
            browsers[persona].force_login(user)
            mark_reauthenticated(browsers[persona], user)
    return browsers


def request_as(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    """One request, rolled back afterwards (the sign-in stays); returns the status, or LOGIN."""
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_may_use_each_page(clients, world, name):
    rule = RULES[name]
    for side in rule.sides:
        url = reverse(name, kwargs=rule.kwargs(world, side))
        data = rule.data(world, side)
        actual = {persona: request_as(clients[persona], rule.method, url, data) for persona in PERSONAS}
        assert actual == rule.expected(side), f"{name} ({side} objects): {url}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_page_refuses_the_wrong_method(clients, world, name):
    rule = RULES[name]
    view = dict(project_url_names())[name]
    wrong = "put" if {"get", "post"} <= allowed_methods(view) else ("post" if rule.method == "get" else "get")
    url = reverse(name, kwargs=rule.kwargs(world, "own"))
    for persona in ("anonymous", "governor_admin", "owner_contact"):
        assert request_as(clients[persona], wrong, url, {}) == 405, (name, persona)


# ── Nothing leaks into lists, exports or e-mails ──

# Who may see the other partnership of the same office, and the other office's partnership.
MAY_SEE = {
    SIBLING: {"forum_member", "governor", "governor_admin", "other_coordinator", "reader"},  # submitted
    SIBLING_MEASURE: {"forum_member", "governor", "governor_admin", "other_coordinator", "reader"},
    FOREIGN: {"other_office_governor"},
    FOREIGN_MEASURE: {"other_office_governor"},
    FOREIGN_EMAIL: {"other_office_governor"},
}

LISTS: dict[str, Callable[[World], str]] = {
    "home": lambda w: reverse("home"),
    "needs:mine": lambda w: reverse("needs:mine"),
    "needs:measures_xlsx": lambda w: reverse("needs:measures_xlsx"),
    "schemes:round (own office)": lambda w: reverse("schemes:round", args=[w.cast.office.slug, w.cast.round.year]),
    "schemes:round (other office)": lambda w: reverse(
        "schemes:round", args=[w.foreign_office.slug, w.foreign_round.year]
    ),
    "directory:network (own)": lambda w: w.cast.network.get_absolute_url(),
    "directory:network (same office)": lambda w: w.sibling_report.partnership.network.get_absolute_url(),
    "directory:network (other office)": lambda w: w.foreign_network.get_absolute_url(),
    "accounts:invitations": lambda w: reverse("accounts:invitations"),
    "accounts:audit": lambda w: reverse("accounts:audit"),
    "accounts:audit_csv": lambda w: reverse("accounts:audit_csv"),
    "accounts:people": lambda w: reverse("accounts:people", args=[w.cast.office.slug]),
    "schemes:subscribe": lambda w: reverse("schemes:subscribe"),
}


def page_text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return "\n".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("page", sorted(LISTS))
def test_lists_and_exports_show_nothing_of_other_partnerships(clients, world, page):
    from lokalkomp.accounts.audit import record

    record("login_failed", user=world.cast.other_office_governor, email=FOREIGN_EMAIL)
    leaks = {}
    for persona in PERSONAS:
        text = page_text(clients[persona].get(LISTS[page](world)))
        leaks[persona] = sorted(secret for secret, seers in MAY_SEE.items() if secret in text and persona not in seers)
    assert leaks == dict.fromkeys(PERSONAS, []), page


def test_the_lists_do_show_what_the_person_may_see(client, world):
    """The other half of the leak test: the filters are not simply empty."""
    client.force_login(world.cast.coordinator)
    assert "Eget tiltak" in page_text(client.get(reverse("needs:measures_xlsx")))
    client.force_login(world.cast.governor)
    assert (
        SIBLING
        in client.get(reverse("schemes:round", args=[world.cast.office.slug, world.cast.round.year])).content.decode()
    )
    client.force_login(world.cast.other_office_governor)
    assert FOREIGN_MEASURE in page_text(client.get(reverse("needs:measures_xlsx")))
    client.force_login(world.people["reader"])  # the office's submitted report, not its draft
    assert SIBLING_MEASURE in page_text(client.get(reverse("needs:measures_xlsx")))
    assert "Eget tiltak" not in page_text(client.get(reverse("needs:measures_xlsx")))
    round_page = client.get(reverse("schemes:round", args=[world.cast.office.slug, world.cast.round.year]))
    assert SIBLING in round_page.content.decode()


def test_the_invitation_email_carries_only_the_invitation(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.cast.coordinator)
    mark_reauthenticated(client, world.cast.coordinator)
    owner = world.cast.report.partnership.participants.get(side="owner")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invite"), {"email": "eier@example.test", "target": f"owner.participant.{owner.pk}"}
        )

    (message,) = mailoutbox
    for secret in (SIBLING, FOREIGN, SIBLING_MEASURE, FOREIGN_MEASURE, "Eget tiltak"):
        assert secret not in message.body
