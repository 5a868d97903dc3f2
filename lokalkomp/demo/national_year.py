"""The rest of the year for the national data (issue 12): every past round taken from its submitted reports
to its payments, as an office would have taken it, so that the history has decisions behind it.

The rounds are those of the generated offices (the ones with counties: not the offices a benchmark makes
for itself) before the newest year, whose reports are still being written. Each round goes in one
transaction, through the models' own methods, each of which writes its events:

1. **frames**: a scheme without a budget frame gets one, a third of what was asked in it (the generator
   sets every frame, so this is for data made otherwise);
2. **compilations**: every network's list delivered as it stands (the order the reports were submitted
   in, every measure recommended) on the compilation deadline's day, by the network's coordinator;
3. **recommendation**: the suggestion (fill within the frames by priority) by the forum's secretary; then
   the scheme caps held (a capped use past the cap, in the order of the reports, is given 0) and every
   amount that differs from what was asked justified, both with `RecommendationLine.apply_many`; the
   preliminary step five days before the final one, the final on the cycle's recommendation day
   (18 March), both by consensus with the forum's seats present;
4. **decisions**: `decide_round` on the cycle's decision day (15 April) by the office's Statsforvalter;
5. **payments**: every payment of the round marked paid that day, once that day has come;
6. the e-mails those steps queued (compilation delivered, decision letters) recorded as sent on their day,
   as the worker records a sending, so that a worker started on the data does not send years of letters.

`through` stops after a step. A round whose ordinary decisions are made goes straight to its payments, and
each step passes over what is on record, so running again changes nothing. On the full set (90 rounds of
about 1 500 measures) a round takes about 4 s of this process's CPU and PostgreSQL's share besides; `jobs`
shares the offices between processes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.db.models import Max, Prefetch, Q, Sum
from django.utils import timezone

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.allocation.actions import decide_round
from lokalkomp.allocation.models import Compilation, Decision, Recommendation, RecommendationLine, RecommendationStep
from lokalkomp.allocation.models.payment import Payment
from lokalkomp.allocation.recommendation_step_form import forum_seats, seat_record
from lokalkomp.allocation.suggestion import suggest
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.deadlines import NORWAY
from lokalkomp.schemes.models import Milestone, Round, SchemeCap, Transition

STEPS = ("reports", "compilations", "recommendation", "decisions", "payments")
SOURCE = "script"
FRAME_SHARE = 3  # a missing frame is a third of what was asked in the scheme
PRELIMINARY_DAYS_BEFORE = 5  # seed 004: the preliminary meeting 13–14 March, the final one 18 March
# The justifications the forum writes (data, in Norwegian, as the seeds' own texts).
FRAME_REASON = "Ikke plass innenfor rammen etter nettverkenes prioritering."
CAP_REASON = "Ordningens tak for denne bruken av midlene er nådd."
NOTE = "Samarbeidsforum innstiller etter nettverkenes prioritering innenfor rammene."
# What holding the caps and the justifications read of a line (not the measure's texts).
LINE_FIELDS = (
    "recommendation_id",
    "owner_amount",
    "partner_amount",
    "reason",
    "suggested",
    "version",
    "measure__scheme_id",
    "measure__purpose",
    "measure__owner_amount",
    "measure__partner_amount",
)


@dataclass(frozen=True)
class Staff:
    """Who takes the steps in one office."""

    governor: User | None
    secretary: User | None
    coordinators: dict[int, User]  # network pk → its coordinator


@dataclass(frozen=True)
class Dates:
    compilation: dt.date
    preliminary: dt.date
    final: dt.date
    decided: dt.date


@dataclass
class Finished:
    """What one run did, summed over its rounds."""

    rounds: int = 0
    skipped: int = 0  # decided already: only their payments were looked at
    frames: int = 0
    compilations: int = 0
    lines: int = 0
    decisions: int = 0
    paid: int = 0
    seconds: float = 0.0
    years: dict[int, int] = field(default_factory=dict)  # year → rounds taken through

    def add(self, other: Finished) -> None:
        for name in ("rounds", "skipped", "frames", "compilations", "lines", "decisions", "paid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for year, count in other.years.items():
            self.years[year] = self.years.get(year, 0) + count

    def summary(self) -> str:
        return (
            f"{self.rounds} rounds ({self.skipped} decided already): {self.frames} frames set, "
            f"{self.compilations} compilations delivered, {self.lines} lines recommended, "
            f"{self.decisions} decisions, {self.paid} payments marked paid, in {self.seconds:.1f} s"
        )


def generated_rounds(*, pks: list[int] | None = None) -> list[Round]:
    """The generated offices' rounds before the newest year (or those of `pks`), oldest first."""
    rounds = Round.objects.filter(office__counties__isnull=False).distinct()
    newest = rounds.aggregate(top=Max("year"))["top"]
    if newest is None:
        return []
    if pks is not None:
        rounds = rounds.filter(pk__in=pks)
    return list(
        rounds.filter(year__lt=newest)
        .select_related("office")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on")))
        .order_by("year", "office__slug")
    )


def run(
    *,
    through: str = "payments",
    rounds: list[Round] | None = None,
    jobs: int = 1,
    log: Callable[[str], None] = print,
) -> Finished:
    """Take every round (default: `generated_rounds()`) through the year up to the step `through`.

    With `jobs` > 1 (PostgreSQL, outside a transaction) the offices are shared between that many processes:
    an office's rounds stay in one, in order.
    """
    if through not in STEPS:
        raise ValueError(f"through is one of {', '.join(STEPS)}")
    started = time.monotonic()
    rounds = generated_rounds() if rounds is None else rounds
    if through == STEPS[0] or not rounds:
        return Finished()
    offices = sorted({round.office_id for round in rounds})
    if jobs > 1 and len(offices) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        shares = [[r.pk for r in rounds if r.office_id in offices[n::jobs]] for n in range(min(jobs, len(offices)))]
        connections.close_all()  # each process opens its own
        with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
            parts = pool.starmap(_job, [(share, through) for share in shares])
        done = Finished()
        for part in parts:
            done.add(part)
    else:
        done = _in_turn(rounds, through, log, started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the new tables' planner statistics, for the benchmarks that follow
    done.seconds = time.monotonic() - started
    log(f"{done.seconds:7.1f} s  {done.rounds} rounds taken through «{through}»")
    return done


def _job(pks: list[int], through: str) -> Finished:
    """One process's share of the rounds."""
    started = time.monotonic()
    return _in_turn(generated_rounds(pks=pks), through, print, started)


def _in_turn(rounds: list[Round], through: str, log: Callable[[str], None], started: float) -> Finished:
    done = Finished()
    staff: dict[int, Staff] = {}
    for round in rounds:
        if round.office_id not in staff:
            staff[round.office_id] = staff_of(round.office_id)
        finish(round, through=through, staff=staff[round.office_id], done=done)
        if done.rounds % 10 == 0:
            log(f"{time.monotonic() - started:7.1f} s  {round.year} {round.office.slug}: {done.rounds} rounds")
    return done


def staff_of(office_id: int) -> Staff:
    """The office's first Statsforvalter admin and forum secretary, and each network's coordinator (one query)."""
    found: dict[str, User] = {}
    coordinators: dict[int, User] = {}
    rows = (
        Membership.objects.filter(
            Q(office_id=office_id, role__in=[Role.GOVERNOR_ADMIN, Role.FORUM_SECRETARY])
            | Q(network__office_id=office_id, role=Role.NETWORK_COORDINATOR)
        )
        .select_related("user")
        .order_by("pk")
    )
    for membership in rows:
        if membership.role == Role.NETWORK_COORDINATOR and membership.network_id is not None:
            coordinators.setdefault(membership.network_id, membership.user)
        else:
            found.setdefault(membership.role, membership.user)
    return Staff(found.get(Role.GOVERNOR_ADMIN), found.get(Role.FORUM_SECRETARY), coordinators)


def dates_of(round: Round) -> Dates:
    """The days of the round's cycle that the steps are taken on (seed 004's where the round has no milestone)."""

    def day(transition: str, month: int, date: int) -> dt.date:
        milestone = round.deadline(transition)
        return milestone.last_day if milestone is not None else dt.date(round.year, month, date)

    final = day(Transition.RECOMMENDATION, 3, 18)
    return Dates(
        compilation=day(Transition.NETWORK_COMPILATION, 1, 10),
        preliminary=final - dt.timedelta(days=PRELIMINARY_DAYS_BEFORE),
        final=final,
        decided=day(Transition.DECISION, 4, 15),
    )


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NORWAY)


def finish(round: Round, *, through: str, staff: Staff, done: Finished) -> None:
    """One round through the year up to `through`, in one transaction."""
    reach = STEPS.index(through)
    dates = dates_of(round)
    decided = Decision.objects.in_round(round).filter(kind=Decision.Kind.ORDINARY).exists()
    with transaction.atomic():
        if not decided:
            done.frames += set_missing_frames(round)
            if reach >= STEPS.index("compilations"):
                done.compilations += deliver_compilations(round, staff, at(dates.compilation, 12))
            if reach >= STEPS.index("recommendation"):
                done.lines += recommend(round, staff, dates)
            if reach >= STEPS.index("decisions"):
                done.decisions += len(decide_round(round=round, by=staff.governor, now=at(dates.decided, 10)))
        if reach >= STEPS.index("payments") and dates.decided <= timezone.localdate():
            payments = Payment.objects.in_round(round).to_pay()
            done.paid += payments.mark_paid(on=dates.decided, by=staff.governor)
        if not decided:
            sent_at_the_time(round, dates)
    done.rounds += 1
    done.skipped += decided
    done.years[round.year] = done.years.get(round.year, 0) + 1


def set_missing_frames(round: Round) -> int:
    """A frame for every scheme of the round that has none: a third of what was asked in it (in thousands)."""
    missing = list(round.round_schemes.filter(budget__isnull=True).select_related("round", "scheme"))
    if not missing:
        return 0
    asked = dict(
        Measure.objects.filter(report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .values_list("scheme_id")
        .annotate(s=Sum("owner_amount") + Sum("partner_amount"))
        .order_by()
    )
    for round_scheme in missing:
        amount = int(asked.get(round_scheme.scheme_id) or 0) // FRAME_SHARE // 1000 * 1000
        round_scheme.set_frame(amount, by=None, source=SOURCE)
    return len(missing)


def deliver_compilations(round: Round, staff: Staff, now: dt.datetime) -> int:
    """Every network with submitted reports in the round delivers its compilation as it stands."""
    networks = Network.objects.filter(
        partnerships__reports__round=round, partnerships__reports__status=NeedsReport.Status.SUBMITTED
    ).distinct()
    delivered = set(
        Compilation.objects.in_round(round).delivered().values_list("network_id", flat=True)  # on record
    )
    count = 0
    for network in networks.order_by("name", "pk"):
        if network.pk in delivered:
            continue
        coordinator = staff.coordinators.get(network.pk)
        compilation = Compilation.of(round, network, by=coordinator)
        compilation.sync()
        compilation.deliver(by=coordinator, expected_version=None, now=now)
        count += 1
    return count


def recommend(round: Round, staff: Staff, dates: Dates) -> int:
    """The main recommendation made final (unless it is): the suggestion, caps held, amounts justified, two
    steps. Returns the number of lines it recommends."""
    secretary = staff.secretary
    main = Recommendation.main_of(round, by=secretary)
    if main.status == Recommendation.Status.DRAFT:
        suggest(main, by=secretary)
        hold_caps_and_justify(main, by=secretary)
    present = [seat_record(seat) for seat in forum_seats(round)]
    for to, day in ((Recommendation.Status.PRELIMINARY, dates.preliminary), (Recommendation.Status.FINAL, dates.final)):
        if Recommendation.STEPS.get(main.status) != to:
            continue  # taken already
        main.advance(
            to=to,
            by=secretary,
            meeting_date=day,
            present=present,
            decided_how=RecommendationStep.DecidedHow.CONSENSUS,
            note=NOTE if to == Recommendation.Status.FINAL else "",
            now=at(day, 14),
        )
    return main.lines.count()


def hold_caps_and_justify(main: Recommendation, *, by: User | None) -> tuple[int, int]:
    """After the suggestion: 0 for a capped use past its scheme's cap (the suggestion does not weigh caps), and
    a justification for every amount that differs from what was asked. Returns the lines of each."""
    with transaction.atomic():
        main._lock()
        lines = list(
            main.lines.select_for_update(of=("self",))
            .select_related("measure")
            .only(*LINE_FIELDS)
            .order_by("measure__report_id", "measure__position", "measure_id")
        )
        frames = {frame.scheme.pk: frame.amount for frame in main.round.frames()}
        over: list[tuple[RecommendationLine, int, int]] = []
        for cap in SchemeCap.objects.filter(scheme_id__in=list(frames)):
            basis = frames[cap.scheme_id]
            if basis is None:
                continue  # no frame: the suggestion left the scheme's lines undecided, and the step says so
            used = 0
            for line in lines:
                if line.measure.scheme_id != cap.scheme_id or line.measure.purpose not in cap.uses or not line.total:
                    continue
                if (used + line.total) * 100 <= basis * cap.percent:
                    used += line.total
                else:
                    over.append((line, 0, 0))
        capped = RecommendationLine.apply_many(over, by=by, why=CAP_REASON, suggested=False, reason=CAP_REASON)
        short = [
            (line, line.owner_amount or 0, line.partner_amount or 0)
            for line in lines
            if line.is_decided and line.differs_from_asked and not line.reason.strip()
        ]
        justified = RecommendationLine.apply_many(short, by=by, why=FRAME_REASON, suggested=False, reason=FRAME_REASON)
    return capped, justified


def sent_at_the_time(round: Round, dates: Dates) -> int:
    """The e-mails the round's steps queued (compilations delivered, decision letters) are history: sent on the day.

    Left queued, a worker started on the data would send years of old letters (and make their PDFs)
    before anything a benchmark queues. Each is recorded as the worker records a sending (a letter's
    «sent» event on its decision); their delivery tasks then find nothing to send.
    """
    from lokalkomp.notifications.mail import after_sent
    from lokalkomp.notifications.models import Notification

    compilations = list(Compilation.objects.in_round(round).values_list("pk", flat=True))
    decisions = list(Decision.objects.in_round(round).values_list("pk", flat=True))
    about = Q(context__compilation__in=compilations) | Q(context__decision__in=decisions)
    queued = list(Notification.objects.queued().filter(about).order_by("pk"))
    sent = 0
    for notification in queued:
        day = dates.decided if "decision" in notification.context else dates.compilation
        if day > timezone.localdate():
            continue  # a day still to come: the worker sends it
        notification.status, notification.sent_at = Notification.Status.SENT, at(day, 13)
        notification.save(update_fields=["status", "sent_at"])
        after_sent(notification)
        sent += 1
    return sent


def clear() -> None:
    """Empty what `run` fills (before `national.clear` on SQLite; PostgreSQL's TRUNCATE … CASCADE takes it along).

    Decisions, versions and steps are records that refuse a delete through the ORM; generated data may go whole.
    """
    from lokalkomp.allocation.models import (
        CompilationEntry,
        CompilationEvent,
        CompilationVersion,
        DecisionEvent,
        DecisionLine,
        PaymentEvent,
        RecommendationEvent,
        RecommendationVersion,
    )

    models = (
        PaymentEvent,
        Payment,
        DecisionEvent,
        DecisionLine,
        Decision,
        RecommendationEvent,
        RecommendationVersion,
        RecommendationStep,
        RecommendationLine,
        Recommendation,
        CompilationEvent,
        CompilationVersion,
        CompilationEntry,
        Compilation,
    )
    with transaction.atomic():
        for model in models:
            rows = model._default_manager.all()
            rows._raw_delete(rows.db)
