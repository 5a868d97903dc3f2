"""Gatherings, their agendas and live activities, the anonymous participants and their responses."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..profanity import is_profane

# Letters and digits nobody mixes up on a projector: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
MAX_TABLE = 999
MAX_TEXT = 1000
MAX_NAME = 100
MAX_CHOICES = 20
SCALE_LIMIT = 100
PUBLISH_ATTEMPTS = 10
# The phones poll their stage every 3 s, so 300 phones at one gathering ask the same question 100 times
# a second. The answer is kept in the shared cache for at most this long, and forgotten at once when a
# change to an activity or to the gathering's publication moves the stage (`forget_stage`).
STAGE_CACHE_SECONDS = 1


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed, as a code: capitals and digits only (no spaces, dashes, or anything else)."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _stage_key(code: str) -> str:
    return f"gatherings:stage:{code}"


def phone_stage(code: str) -> str | None:
    """What a phone at this join code shows, as `Activity.stage()`, or "none" with no open activity;
    None where no published gathering has the code. Read from the cache for at most STAGE_CACHE_SECONDS."""
    key = _stage_key(normalise_code(code[:20]))
    stage = cache.get(key)
    if stage is None:
        gathering = Gathering.objects.with_code(code[:20]).only("pk").first()
        activity = gathering.activities.filter(state=Activity.State.OPEN).first() if gathering else None
        stage = "" if gathering is None else activity.stage() if activity else "none"
        cache.set(key, stage, STAGE_CACHE_SECONDS)
    return stage or None


def forget_stage(code: str) -> None:
    """The stage of this code has moved: forgotten now, and again at the commit (a poll between the two
    may have read the rows from before the change)."""
    key = _stage_key(code)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class PublishFailed(Exception):
    """Publishing drew only codes that published gatherings have: the gathering stays a draft."""


class GatheringQuerySet(models.QuerySet["Gathering"]):
    def published(self) -> GatheringQuerySet:
        return self.filter(status=Gathering.Status.PUBLISHED)

    def with_code(self, code: str) -> GatheringQuerySet:
        return self.published().filter(join_code=normalise_code(code))

    def annotate_picks(self) -> GatheringQuerySet:
        """`has_picks`: whether a response or a group answer of it is picked for the needs analysis."""
        from .tasks import GroupAnswer

        responses = Response.objects.picked().filter(activity__gathering=OuterRef("pk"))
        answers = GroupAnswer.objects.filter(group__task__gathering=OuterRef("pk"), picked_at__isnull=False)
        return self.annotate(has_picks=Exists(responses) | Exists(answers.exclude(text="")))

    def with_picks(self) -> GatheringQuerySet:
        return self.annotate_picks().filter(has_picks=True)  # type: ignore[misc]


class Gathering(models.Model):
    """A gathering (samling) of an office, a network or a forum, in one round."""

    class PlaceKind(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        TEAMS = "teams", _("Teams")
        BOTH = "both", _("Physical and Teams")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Audience(models.TextChoices):
        """Who is invited (see audience.py for who that is, from their memberships)."""

        ORGANISERS = "", _("Only the organisers")
        FORUM = "forum", _("The forum")
        NETWORK = "network", _("The network's owners, universities/colleges and union representatives")
        COUNTY = "county", _("Everyone in the county")

    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="gatherings", verbose_name=_("office")
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gatherings",
        verbose_name=_("network"),
    )
    forum = models.ForeignKey(
        "directory.Forum",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gatherings",
        verbose_name=_("forum"),
    )
    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="gatherings", verbose_name=_("round")
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place_kind = models.CharField(_("place"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.PHYSICAL)
    place = models.CharField(_("where"), max_length=200, blank=True)
    link = models.URLField(_("Teams link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(_("invited"), max_length=10, choices=Audience.choices, default="", blank=True)
    join_code = models.CharField(_("join code"), max_length=CODE_LENGTH, default=new_join_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Admission (see admit): at most this many participants, and NEW_PER_MINUTE new ones a minute.
    participant_limit = models.PositiveIntegerField(
        _("at most this many participants"), default=1000, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    admitted = models.PositiveIntegerField(default=0, editable=False)
    admit_window_at = models.DateTimeField(null=True, blank=True, editable=False)
    admitted_in_window = models.PositiveIntegerField(default=0, editable=False)

    objects = GatheringQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        constraints = [
            # A code is unique among the gatherings people can join; drafts may share one until published.
            models.UniqueConstraint(
                fields=["join_code"], condition=Q(status="published"), name="gathering_code_unique_while_active"
            ),
            models.CheckConstraint(condition=Q(join_code__regex=r"^[A-Z0-9]{6}$"), name="gathering_code_format"),
            models.CheckConstraint(
                condition=~Q(network__isnull=False, forum__isnull=False), name="gathering_network_or_forum"
            ),
            models.CheckConstraint(
                condition=~Q(audience="network", network__isnull=True), name="gathering_network_audience_has_network"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.pk])

    def join_url(self) -> str:
        return reverse("gatherings:phone", args=[self.join_code])

    def admit(self, *, per_minute: int, now: dt.datetime | None = None) -> str:
        """Counts one new participant; "" when admitted, else "full" or "busy" (nothing counted).

        A script that drops its cookie gets a new participant with each answer; a venue's phones share
        one address, so the cap is the gathering's: its size, and how many may join in a minute.
        One conditional UPDATE, so phones joining at the same moment are counted one after the other.
        """
        now = now or timezone.now()
        stale = Q(admit_window_at__isnull=True) | Q(admit_window_at__lte=now - dt.timedelta(minutes=1))
        admitted = Gathering.objects.filter(
            Q(pk=self.pk), Q(admitted__lt=F("participant_limit")), stale | Q(admitted_in_window__lt=per_minute)
        ).update(
            admitted=F("admitted") + 1,
            admit_window_at=Case(When(stale, then=Value(now)), default=F("admit_window_at")),
            admitted_in_window=Case(When(stale, then=Value(1)), default=F("admitted_in_window") + 1),
        )
        if admitted:
            return ""
        self.refresh_from_db(fields=["admitted", "participant_limit"])
        return "full" if self.admitted >= self.participant_limit else "busy"

    def publish(self, *, by: Any) -> None:
        """Opens the gathering for participants; draws a new code if a published gathering has this one."""
        if self.status == self.Status.PUBLISHED:
            return
        drafted_code = self.join_code
        for _attempt in range(PUBLISH_ATTEMPTS):
            try:
                with transaction.atomic():
                    Gathering.objects.filter(pk=self.pk).update(status=self.Status.PUBLISHED, join_code=self.join_code)
                    forget_stage(self.join_code)
                    GatheringEvent.objects.create(
                        gathering=self, actor=by, kind="published", from_state="draft", to_state="published"
                    )
                break
            except IntegrityError:
                self.join_code = new_join_code()
        else:
            self.join_code = drafted_code  # the row is still the draft it was
            raise PublishFailed(_("No free join code was found. The gathering is still a draft: try again."))
        self.status = self.Status.PUBLISHED

    def unpublish(self, *, by: Any) -> None:
        if self.status != self.Status.PUBLISHED:
            return
        Gathering.objects.filter(pk=self.pk).update(status=self.Status.DRAFT)
        forget_stage(self.join_code)
        self.status = self.Status.DRAFT
        GatheringEvent.objects.create(
            gathering=self, actor=by, kind="unpublished", from_state="published", to_state="draft"
        )


class AgendaItem(models.Model):
    """One line of the agenda: when, what, who leads it."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("gathering")
    )
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    what = models.CharField(_("what"), max_length=300)
    led_by = models.CharField(_("who leads"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.CheckConstraint(condition=Q(position__lte=1000), name="agenda_position_sane")]

    def __str__(self) -> str:
        return self.what


# I-G-P (individuelt – gruppe – plenum): seven minutes alone, fifteen at the table, then plenary.
PHASE_SECONDS = {"individual": 7 * 60, "table": 15 * 60, "plenary": None}
PHASE_ORDER = ["individual", "table", "plenary"]


class Activity(models.Model):
    """A live activity of a gathering; participants answer it while it is open."""

    class Kind(models.TextChoices):
        ONE_WORD = "one_word", _("One word (word cloud)")
        STATEMENTS = "statements_per_table", _("Statements per table")
        STATEMENT_GAME = "statement_game", _("The statement game")
        IGP_TIMER = "igp_timer", _("I-G-P timer")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class Phase(models.TextChoices):
        NONE = "", _("Not started")
        INDIVIDUAL = "individual", _("Individually")
        TABLE = "table", _("At the table")
        PLENARY = "plenary", _("Plenary")

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="activities", verbose_name=_("gathering")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    question = models.CharField(_("question"), max_length=500)
    options = models.JSONField(_("options"), default=dict, blank=True)
    moderated = models.BooleanField(_("moderated"), default=False)
    asks_name = models.BooleanField(_("asks for a name"), default=False)
    profanity_filter = models.BooleanField(_("profanity filter"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    timer_phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default="", blank=True)
    phase_started_at = models.DateTimeField(_("phase started"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Bumped in the same UPDATE as every change a viewer would see: what the live views poll.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="activity_round_one_or_two"),
            models.CheckConstraint(condition=Q(position__lte=1000), name="activity_position_sane"),
            models.CheckConstraint(
                condition=Q(timer_phase="") | Q(phase_started_at__isnull=False), name="activity_phase_has_start"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    # ── What participants may answer ──

    @property
    def one_answer_each(self) -> bool:
        """Everyone answers once per round (a new answer replaces theirs); statements are many per table."""
        return self.kind != self.Kind.STATEMENTS

    @property
    def takes_answers(self) -> bool:
        return self.kind != self.Kind.IGP_TIMER and self.state == self.State.OPEN

    @property
    def choices(self) -> list[str]:
        values = self.options.get("choices", []) if isinstance(self.options, dict) else []
        return [str(v) for v in values][:MAX_CHOICES]

    @property
    def scale_bounds(self) -> tuple[int, int]:
        options = self.options if isinstance(self.options, dict) else {}
        return int(options.get("min", 1)), int(options.get("max", 5))

    # ── Changes, each with its event and a new version ──

    def _change(self, *, by: Any, kind: str, to_state: str = "", **fields: Any) -> None:
        from_state = self.state
        Activity.objects.filter(pk=self.pk).update(version=F("version") + 1, **fields)
        for name, value in fields.items():
            setattr(self, name, value)
        self.version += 1
        if Activity.gathering.is_cached(self):  # type: ignore[attr-defined]
            forget_stage(self.gathering.join_code)
        else:
            forget_stage(Gathering.objects.filter(pk=self.gathering_id).values_list("join_code", flat=True).get())
        GatheringEvent.objects.create(
            gathering_id=self.gathering_id, activity=self, actor=by, kind=kind, from_state=from_state, to_state=to_state
        )

    def open(self, *, by: Any) -> None:
        """Opens this activity and closes any other open activity of the gathering (one at a time)."""
        with transaction.atomic():
            for other in Activity.objects.filter(gathering_id=self.gathering_id, state=self.State.OPEN).exclude(
                pk=self.pk
            ):
                other.close(by=by)
            self._change(by=by, kind="opened", to_state=self.State.OPEN, state=self.State.OPEN)

    def close(self, *, by: Any) -> None:
        self._change(by=by, kind="closed", to_state=self.State.CLOSED, state=self.State.CLOSED)

    def start_round_two(self, *, by: Any) -> None:
        """The statement game's second round: everyone may change their position (stored beside round 1)."""
        self._change(by=by, kind="round_two", to_state=self.state, round=2)

    def start_timer(self, *, by: Any, now: dt.datetime | None = None) -> None:
        self._change(
            by=by,
            kind="timer_started",
            to_state=self.state,
            timer_phase="individual",
            phase_started_at=now or timezone.now(),
        )

    def next_phase(self, *, by: Any, now: dt.datetime | None = None) -> None:
        """Ends the current phase early (the table is done before its fifteen minutes)."""
        phase, _left = self.timer_state(now)
        if phase in ("", "plenary"):
            return
        following = PHASE_ORDER[PHASE_ORDER.index(phase) + 1]
        self._change(
            by=by, kind="next_phase", to_state=self.state, timer_phase=following, phase_started_at=now or timezone.now()
        )

    def reset(self, *, by: Any) -> None:
        """Back to the start: every response deleted, round 1, waiting, no timer."""
        with transaction.atomic():
            self.responses.all().delete()
            self._change(
                by=by,
                kind="reset",
                to_state=self.State.WAITING,
                state=self.State.WAITING,
                round=1,
                timer_phase="",
                phase_started_at=None,
            )

    def bump(self) -> None:
        Activity.objects.filter(pk=self.pk).update(version=F("version") + 1)
        self.version += 1

    def timer_state(self, now: dt.datetime | None = None) -> tuple[str, int | None]:
        """(phase, seconds left in it): a phase runs into the next when its time is up."""
        if not self.timer_phase or self.phase_started_at is None:
            return "", None
        elapsed = ((now or timezone.now()) - self.phase_started_at).total_seconds()
        for phase in PHASE_ORDER[PHASE_ORDER.index(self.timer_phase) :]:
            length = PHASE_SECONDS[phase]
            if length is None or elapsed < length:
                return phase, None if length is None else int(length - elapsed)
            elapsed -= length
        return "plenary", None

    def stage(self, now: dt.datetime | None = None) -> str:
        """What a participant's phone shows, as a short string: it changes when the phone must redraw."""
        phase, _left = self.timer_state(now)
        return f"{self.pk}.{self.state}.{self.round}.{phase}"

    def answer(self, participant: Participant, **values: Any) -> Response:
        """Stores an answer; where everyone answers once per round, a new one replaces theirs in this round."""
        values.setdefault("table", participant.table)
        values["hidden"] = False
        if self.asks_name:
            values.setdefault("name", participant.name)
        # A swear word holds the response for the presenter, as moderation does (see profanity.py).
        values["flagged"] = self.profanity_filter and is_profane(values.get("text", ""), values.get("name", ""))
        values["approved"] = not (self.moderated or values["flagged"])
        with transaction.atomic():
            # The version first: its row lock holds the next answer back until this one is committed, so
            # a response's version is never below one already committed (the presenter's poll relies on it).
            self.bump()
            self.refresh_from_db(fields=["version"])
            values["version"] = self.version
            if self.one_answer_each:
                earlier = (
                    Response.objects.select_for_update()
                    .filter(activity=self, participant=participant, round=self.round, single=True)
                    .first()
                )
                if earlier is not None:
                    # A new answer is not the one that was picked for the needs analysis, and a hidden
                    # answer stays hidden: the presenter decides again, the participant cannot undo it.
                    values.update(picked_at=None, picked_by=None, hidden=earlier.hidden)
                response, _created = Response.objects.update_or_create(
                    activity=self, participant=participant, round=self.round, single=True, defaults=values
                )
            else:
                response = Response.objects.create(
                    activity=self, participant=participant, round=self.round, single=False, **values
                )
        return response


class Participant(models.Model):
    """Someone at a gathering, known only by a random token kept in a signed cookie of their browser."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="participants", verbose_name=_("gathering")
    )
    token = models.CharField(_("token"), max_length=40, default=new_token)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=MAX_NAME, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # The throttle (see count_answer): when the current window began and how many answers it has taken.
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    answers_in_window = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "token"], name="participant_token_unique_per_gathering"),
            models.CheckConstraint(
                condition=Q(table__isnull=True) | Q(table__gte=1, table__lte=MAX_TABLE), name="participant_table_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Anonymous"))

    def count_answer(self, *, limit: int, window: dt.timedelta, now: dt.datetime | None = None) -> bool:
        """Counts one more answer, new or replacing; False (and nothing counted) when the window has `limit`.

        One conditional UPDATE, so answers sent at the same moment are counted one after the other.
        """
        now = now or timezone.now()
        stale = Q(window_started_at__isnull=True) | Q(window_started_at__lte=now - window)
        counted = Participant.objects.filter(Q(pk=self.pk), stale | Q(answers_in_window__lt=limit)).update(
            window_started_at=Case(When(stale, then=Value(now)), default=F("window_started_at")),
            answers_in_window=Case(When(stale, then=Value(1)), default=F("answers_in_window") + 1),
        )
        return counted == 1


class ResponseQuerySet(models.QuerySet["Response"]):
    def shown(self) -> ResponseQuerySet:
        """What the room may see: approved (where the activity is moderated) and not hidden."""
        return self.filter(approved=True, hidden=False)

    def pending(self) -> ResponseQuerySet:
        return self.filter(approved=False, hidden=False)

    def picked(self) -> ResponseQuerySet:
        """Picked for the needs analysis, and still shown to the room (a hidden one drops out)."""
        return self.shown().filter(picked_at__isnull=False)


class Response(models.Model):
    """One answer of one participant to one activity (in the statement game: one per round)."""

    class Position(models.TextChoices):
        AGREE = "agree", _("Agree")
        PARTLY = "partly", _("Partly agree")
        DISAGREE = "disagree", _("Disagree")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="responses", verbose_name=_("activity")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="responses", verbose_name=_("participant")
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=MAX_NAME, blank=True)
    text = models.CharField(_("text"), max_length=MAX_TEXT, blank=True)
    choice = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # True where the activity takes one answer per participant and round (see Activity.one_answer_each).
    single = models.BooleanField(default=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    approved = models.BooleanField(_("approved"), default=True)
    flagged = models.BooleanField(_("held by the profanity filter"), default=False)
    # Picked by the organisers for the needs analysis: shown beside the network's reports (panels.py).
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    picked_at = models.DateTimeField(_("picked for the needs analysis"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The activity's version this answer made: the presenter's poll sends what is new since its version.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["participant", "created"], name="response_participant_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant", "round"], condition=Q(single=True), name="one_answer_per_round"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="response_round_one_or_two"),
            models.CheckConstraint(
                condition=Q(table__isnull=True) | Q(table__gte=1, table__lte=MAX_TABLE), name="response_table_range"
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=True) | Q(choice__lt=MAX_CHOICES), name="response_choice_range"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=-SCALE_LIMIT, value__lte=SCALE_LIMIT),
                name="response_value_range",
            ),
            models.CheckConstraint(
                condition=Q(position__in=["", "agree", "partly", "disagree"]), name="response_position_known"
            ),
        ]

    def __str__(self) -> str:
        return self.text or self.position or str(self.choice if self.choice is not None else self.value)

    def display(self) -> str:
        """The answer as the participant gave it: the text, the position, the choice's label or the value."""
        if self.choice is not None:
            choices = self.activity.choices
            return choices[self.choice] if self.choice < len(choices) else str(self.choice + 1)
        if self.value is not None:
            return str(self.value)
        parts = [str(self.get_position_display()) if self.position else "", self.text]
        return " – ".join(p for p in parts if p)

    def pick(self, *, by: Any) -> None:
        """Into the needs analysis: who picked it, and when (a second pick keeps the first)."""
        unpicked = Response.objects.shown().filter(pk=self.pk, picked_at__isnull=True)
        unpicked.update(picked_by=by, picked_at=timezone.now())

    def unpick(self) -> None:
        Response.objects.filter(pk=self.pk).update(picked_by=None, picked_at=None)

    def hide(self, *, by: Any) -> None:
        Response.objects.filter(pk=self.pk).update(hidden=True)
        self.hidden = True
        self.activity._change(by=by, kind="hidden", to_state=self.activity.state)

    def approve(self, *, by: Any) -> None:
        Response.objects.filter(pk=self.pk).update(approved=True, hidden=False)
        self.approved, self.hidden = True, False
        self.activity._change(by=by, kind="approved", to_state=self.activity.state)


class GatheringEvent(models.Model):
    """An append-only record of what the organisers did: published, opened, closed, reset, hid, approved."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Back to draft")
        OPENED = "opened", _("Activity opened")
        CLOSED = "closed", _("Activity closed")
        ROUND_TWO = "round_two", _("Second round started")
        TIMER_STARTED = "timer_started", _("Timer started")
        NEXT_PHASE = "next_phase", _("Next phase")
        RESET = "reset", _("Activity reset")
        HIDDEN = "hidden", _("Response hidden")
        APPROVED = "approved", _("Response approved")

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="events", verbose_name=_("gathering")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("activity")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
