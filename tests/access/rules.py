"""Who may use each page of the core apps: RULES, by URL name (gatherings: gatherings.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lokalkomp.accounts.models import Role

from .world import LOGIN, PERSONAS, World  # noqa: F401

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
    # The header's links: straight to the one network or round, or a choice (empty for those without)
    "accounts:my_networks": Rule(
        "get", same_for_both(statuses(200, anonymous=LOGIN, coordinator=302, other_coordinator=302)), sides=OWN_ONLY
    ),
    "schemes:my_round": Rule(
        "get",
        same_for_both(
            statuses(
                200,
                anonymous=LOGIN,
                **dict.fromkeys(("forum_member", "reader", "governor", "governor_admin", "other_office_governor"), 302),
            )
        ),
        sides=OWN_ONLY,
    ),
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
    "needs:reopen": Rule(  # a submitted report is sent back with why (required)
        "post",
        on_report("reopen", 302),
        kwargs=report_kw(),
        data=lambda w, side: {"comment": "Rett opp beløpet"},
        sides=REPORT_SIDES,
    ),
}
