"""Who may use each page of gatherings (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lokalkomp.accounts.models import Membership, Role

from .rules import EVERYONE, OWN_ONLY, SIGNED_IN, Rule, same_for_both, statuses  # noqa: F401
from .world import LOGIN, PERSONAS, World  # noqa: F401

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


GATHERING_RULES: dict[str, Rule] = dict(
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
