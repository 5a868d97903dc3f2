"""Who may use the budget frames' pages (schemes) and the forum's seats (directory): issue 11, frames."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rules import GOVERNORS, Rule, cycle_editor, round_kw, statuses
from .world import LOGIN, World

# ── Budget frames: like the annual cycle, the Statsforvalter of the round's office changes them ──


def _round_scheme(w: World, side: str, *, with_key: bool = False) -> Any:
    from lokalkomp.schemes.models import DistributionKey

    round_scheme = (w.cast.round if side == "own" else w.foreign_round).round_schemes.order_by("pk").first()
    if with_key:
        DistributionKey.objects.get_or_create(round_scheme=round_scheme)
    return round_scheme


def scheme_kw(*, with_key: bool = False) -> Callable[[World, str], dict[str, Any]]:
    return lambda w, side: round_kw(w, side) | {"pk": _round_scheme(w, side, with_key=with_key).pk}


def _amount(w: World, side: str) -> dict[str, Any]:
    pk = _round_scheme(w, side).pk
    return {f"s{pk}-amount": "kr 1 200 000", f"s{pk}-basis": "staff", f"s{pk}-base_amount": "0"}


# ── The forum's seats: its Statsforvalter keeps them, the office's forum reads them, strangers 404 ──


def _forum(w: World, side: str) -> Any:
    from lokalkomp.directory.models import Forum, ForumMember, Organisation

    office = w.cast.office if side == "own" else w.foreign_office
    key = f"forum:{side}"
    if key not in w.extra:
        forum = Forum.objects.create(office=office, name=f"Samarbeidsforum {side}")
        ks = Organisation.objects.create(kind=Organisation.Kind.INTEREST, name=f"KS {side}")
        w.extra[key] = (forum, ForumMember.objects.create(forum=forum, organisation=ks, role="member"))
    return w.extra[key]


def forum_kw(w: World, side: str) -> dict[str, Any]:
    forum, _seat = _forum(w, side)
    return {"office": forum.office.slug}


def seat_kw(w: World, side: str) -> dict[str, Any]:
    forum, seat = _forum(w, side)
    return {"office": forum.office.slug, "pk": seat.pk}


def _new_seat(w: World, side: str) -> dict[str, Any]:
    from lokalkomp.directory.models import Organisation

    union = Organisation.objects.create(kind=Organisation.Kind.INTEREST, name=f"Forbundet {side}")
    return {"organisation": union.pk, "role": "observer", "person": ""}


FORUM_READERS = {"own": {"forum_member"}, "foreign": set()}


def on_forum(ok: int, *, readers_ok: bool = False) -> Callable[[str], dict[str, Any]]:
    """The Statsforvalter may (`ok`); the office's forum reads (403 where it may not act); strangers 404."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(404, anonymous=LOGIN) | dict.fromkeys(FORUM_READERS[side], ok if readers_ok else 403)
        return table | dict.fromkeys(GOVERNORS[side], ok)

    return expected


FRAMES_RULES: dict[str, Rule] = {
    "schemes:frames": Rule("get", cycle_editor(200), kwargs=round_kw),
    "schemes:set_frame": Rule("post", cycle_editor(302), kwargs=scheme_kw(), data=_amount),
    "schemes:set_key": Rule("post", cycle_editor(302), kwargs=scheme_kw(), data=_amount),
    "schemes:set_counts": Rule("post", cycle_editor(302), kwargs=scheme_kw(with_key=True)),
    "schemes:remove_key": Rule("post", cycle_editor(302), kwargs=scheme_kw(with_key=True)),
    "forum:seats": Rule("get", on_forum(200, readers_ok=True), kwargs=forum_kw),
    "forum:add_seat": Rule("post", on_forum(302), kwargs=forum_kw, data=_new_seat),
    "forum:edit_seat": Rule("get", on_forum(200), kwargs=seat_kw),
    "forum:end_seat": Rule("get", on_forum(200), kwargs=seat_kw),
}
