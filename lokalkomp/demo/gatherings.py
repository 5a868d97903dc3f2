"""The demo's two gatherings (issue 14), from seeds 001 and 004 (data/gatherings.json, with its source note).

- Innlandet, 3 February 2020: the leaders' gathering with its real Mentimeter responses, the word
  cloud (12 words) and the statements per table (31 cards, each with the table it names).
- Indre Helgeland, 5 October 2023 (round 2024): the agenda, a statement game and the I-G-P timer.

Run after `build()` (it looks up Nordland, the Indre Helgeland network and the 2024 round).
Loading twice gives the same data: the gatherings, their agendas and activities are matched on
natural keys and updated in place, and the responses are put back as the seeds have them: the demo's
own participants are recreated, and anything answered in the demo since is deleted with them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lokalkomp.directory.models import Network, Office
from lokalkomp.gatherings.models import Activity, AgendaItem, Gathering, GatheringEvent, Participant, Response
from lokalkomp.schemes.models import Round, RoundScheme, Scheme

DATA = Path(__file__).resolve().parent / "data" / "gatherings.json"
TZ = dt.timezone(dt.timedelta(hours=1))  # Norway in winter; the demo's answers are stamped on the day
Kind = Activity.Kind


def load_data() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


@transaction.atomic
def build_gatherings() -> str:
    """Both demo gatherings; returns a line for the loader to print (their join codes)."""
    data = load_data()
    innlandet = _innlandet(data["innlandet_2020"])
    helgeland = _indre_helgeland(data["indre_helgeland_2023"])
    return (
        f"Gatherings: «{innlandet.title}» (code {innlandet.join_code}) and "
        f"«{helgeland.title}» (code {helgeland.join_code}, join at /delta/)."
    )


def _innlandet_round() -> Round:
    office, _ = Office.objects.get_or_create(slug="innlandet", defaults={"name": "Statsforvalteren i Innlandet"})
    round, _ = Round.objects.get_or_create(office=office, year=2020)
    for scheme in Scheme.objects.filter(code__in=["dekomp", "rekomp"]):  # the two schemes the seed names
        RoundScheme.objects.get_or_create(round=round, scheme=scheme)
    return round


def _gathering(round: Round, values: dict[str, Any], *, network: Network | None = None) -> Gathering:
    gathering, created = Gathering.objects.update_or_create(
        office=round.office,
        title=values["title"],
        date=dt.date.fromisoformat(values["date"]),
        defaults={
            "round": round,
            "network": network,
            "place_kind": Gathering.PlaceKind.PHYSICAL,
            "status": Gathering.Status.PUBLISHED,
            "join_code": values["join_code"],
        },
    )
    if created:
        GatheringEvent.objects.create(gathering=gathering, kind="published", from_state="draft", to_state="published")
    for position, item in enumerate(values["agenda"], start=1):
        AgendaItem.objects.update_or_create(
            gathering=gathering, position=position, defaults={"what": item["what"], "led_by": item["led_by"]}
        )
    gathering.agenda.filter(position__gt=len(values["agenda"])).delete()
    gathering.participants.exclude(token__startswith=_prefix(gathering)).delete()
    return gathering


def _prefix(gathering: Gathering) -> str:
    return f"demo-{gathering.join_code.lower()}-"


def _activity(gathering: Gathering, position: int, kind: str, question: str, state: str) -> Activity:
    """The activity at its place in the gathering, as the demo starts it: round 1, no timer, no answers."""
    activity, _ = Activity.objects.update_or_create(
        gathering=gathering,
        position=position,
        defaults={
            "kind": kind,
            "question": question,
            "state": state,
            "round": 1,
            "timer_phase": "",
            "phase_started_at": None,
            "moderated": False,
            "asks_name": False,
        },
    )
    activity.responses.all().delete()
    return activity


def _participant(gathering: Gathering, key: str, table: int | None) -> Participant:
    participant, _ = Participant.objects.update_or_create(
        gathering=gathering, token=_prefix(gathering) + key, defaults={"table": table, "name": ""}
    )
    return participant


def _innlandet(values: dict[str, Any]) -> Gathering:
    gathering = _gathering(_innlandet_round(), values)
    day = timezone.make_aware(dt.datetime.fromisoformat(values["date"]).replace(hour=10), TZ)
    words = _activity(gathering, 1, Kind.ONE_WORD, values["words"]["question"], Activity.State.CLOSED)
    for n, word in enumerate(values["words"]["answers"], start=1):
        response = Response.objects.create(
            activity=words, participant=_participant(gathering, f"ord-{n}", None), text=word
        )
        _stamp(response, day + dt.timedelta(seconds=20 * n))
    statements = _activity(gathering, 2, Kind.STATEMENTS, values["statements"]["question"], Activity.State.CLOSED)
    for n, answer in enumerate(values["statements"]["answers"], start=1):
        table = answer["table"]
        participant = _participant(gathering, f"bord-{table}" if table else "uten-bord", table)
        response = Response.objects.create(
            activity=statements, participant=participant, table=table, text=answer["text"], single=False
        )
        _stamp(response, day + dt.timedelta(hours=2, seconds=30 * n))
    gathering.activities.filter(position__gt=2).delete()
    return gathering


def _stamp(response: Response, moment: dt.datetime) -> None:
    """On the day of the gathering, in the seed's order (the presenter's view lists them by time)."""
    Response.objects.filter(pk=response.pk).update(created=moment)


def _indre_helgeland(values: dict[str, Any]) -> Gathering:
    office = Office.objects.filter(slug="nordland").first()
    network = Network.objects.filter(office=office, slug="indre-helgeland").first()
    round = Round.objects.filter(office=office, year=2024).first()
    if network is None or round is None:
        raise RuntimeError("Build the Nordland demo first (lokalkomp.demo.build.build): its network and round.")
    gathering = _gathering(round, values, network=network)
    _activity(gathering, 1, Kind.STATEMENT_GAME, values["statement_game"], Activity.State.OPEN)
    _activity(gathering, 2, Kind.IGP_TIMER, values["igp_timer"], Activity.State.WAITING)
    gathering.activities.filter(position__gt=2).delete()
    return gathering
