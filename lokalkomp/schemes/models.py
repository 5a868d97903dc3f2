"""Schemes as versioned rule sets, rounds (office × year) and their annual cycle."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import deadlines


class Use(models.TextChoices):
    """What a grant may be spent on (domain §1); schemes allow or forbid these as data."""

    ASSESSMENT = "assessment", _("Assessment/analysis")
    PLANNING = "planning", _("Planning of measures")
    IMPLEMENTATION = "implementation", _("Carrying out and evaluating measures")
    COORDINATOR = "coordinator", _("Coordinator")
    BASIC_COMPETENCE = "basic_competence", _("Basic kindergarten competence")
    ASSISTANT_COURSES = "assistant_courses", _("Courses for assistants and skilled workers")
    TRADE_CERTIFICATE = "trade_certificate", _("Child and youth worker trade certificate")
    FURTHER_EDUCATION = "further_education", _("Individual further education")


class SchemeQuerySet(models.QuerySet["Scheme"]):
    def valid_in(self, year: int) -> SchemeQuerySet:
        """Schemes in force for an allocation year."""
        return self.filter(valid_from__year__lte=year).filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))


class Scheme(models.Model):
    """A grant scheme (ordning) with its rules for one period of validity.

    A change of rules is a new row with the same family and a later period, so
    historic rounds keep the rules they were run under.
    """

    class CoFinancingBasis(models.TextChoices):
        NONE = "", _("No co-financing")
        STATE_GRANT = "state_grant", _("Share of the state grant")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    family = models.SlugField(_("family"), max_length=60, help_text=_("Versions of one scheme share a family."))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    regulation = models.CharField(_("regulation"), max_length=100, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    allowed_partner_kinds = models.JSONField(_("allowed partner kinds"), default=list, blank=True)
    allowed_uses = models.JSONField(_("allowed uses of funds"), default=list, blank=True)
    forbidden_uses = models.JSONField(_("forbidden uses of funds"), default=list, blank=True)
    co_financing_percent = models.PositiveSmallIntegerField(_("co-financing, per cent"), default=0)
    co_financing_basis = models.CharField(
        _("co-financing basis"), max_length=20, choices=CoFinancingBasis.choices, blank=True, default=""
    )
    co_financing_forms = models.JSONField(
        _("co-financing forms"), default=list, blank=True, help_text=_('For example ["money", "salary"].')
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "code"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="scheme_period_in_order",
            ),
            models.CheckConstraint(condition=Q(co_financing_percent__lte=100), name="co_financing_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not logic: the same refusal as `clean`, for every path that saves (admin, shell, scripts).
        self.refuse_change_in_place()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.refuse_change_in_place()

    def is_valid_in(self, year: int) -> bool:
        return self.valid_from.year <= year and (self.valid_to is None or self.valid_to.year >= year)

    def allows_use(self, use: str) -> bool:
        """Whether a measure of this scheme may spend its grant on `use` (the one rule: form, save and checklist)."""
        return use in self.allowed_uses and use not in self.forbidden_uses

    # Versioning. A round that runs a scheme was run under its rules: those rules are a record and
    # are never changed in place. A change of rules is a new version (`new_version`), a new row of
    # the same family that takes effect from a later year; the old row's validity ends the day before.

    def is_in_use(self) -> bool:
        """Whether a round runs this scheme (then its rules are a record)."""
        return bool(self.pk) and RoundScheme.objects.filter(scheme_id=self.pk).exists()

    def changed_fields(self) -> list[str]:
        """The fields whose value differs from the stored row (all of them for a new row)."""
        names = [f.attname for f in self._meta.concrete_fields if not f.primary_key]
        stored = Scheme.objects.filter(pk=self.pk).values(*names).first() if self.pk else None
        if stored is None:
            return names
        return [name for name in names if stored[name] != getattr(self, name)]

    def refuse_change_in_place(self) -> None:
        """Raise ValidationError if this changes the rules of a scheme that a round uses."""
        if self.pk and self.changed_fields() and self.is_in_use():
            raise ValidationError(
                gettext(
                    "%(scheme)s is used by a round and cannot be changed. A change of rules is a new version "
                    "with its own validity."
                )
                % {"scheme": self.name}
            )

    def new_version(self, *, valid_from: dt.date, by: Any, source: str = "form", **changes: Any) -> Scheme:
        """A new version of the scheme, in force from 1 January of a later year, with `changes` to its rules.

        `code` may be given; otherwise it is the family and the year («dekomp-2028»). `caps` (a list
        of dicts with percent, uses, description) replaces the caps; otherwise they are copied.
        """
        from lokalkomp.accounts.models import AuditEvent

        self._check_new_version(valid_from, changes)
        caps = changes.pop("caps", None)
        code = changes.pop("code", f"{self.family}-{valid_from.year}")
        fields = {
            f.name: getattr(self, f.name)
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name not in {"code", "valid_from"}
        }
        fields.update(changes)
        with transaction.atomic():
            if Scheme.objects.filter(code=code).exists():
                raise ValidationError(gettext("A scheme with the code %(code)s exists already.") % {"code": code})
            # Closing the validity is the one change the old version may have: a query, past the guard.
            Scheme.objects.filter(pk=self.pk).update(valid_to=valid_from - dt.timedelta(days=1))
            new = Scheme(code=code, valid_from=valid_from, **fields)
            new.full_clean()
            new.save()
            old_caps = list(self.caps.values("percent", "uses", "description"))
            for cap in old_caps if caps is None else caps:
                SchemeCap.objects.create(scheme=new, **cap)
            old_rules = {name: getattr(self, name) for name in changes} | {"valid_to": self.valid_to}
            new_rules = changes | {"valid_to": new.valid_to}
            if caps is not None:
                old_rules["caps"], new_rules["caps"] = old_caps, caps
            AuditEvent.record_change(
                f"scheme:{new.pk}:new_version",
                object_repr=f"{new.name} ({new.code})",
                old=_rules_text(old_rules | {"code": self.code}),
                new=_rules_text(new_rules | {"code": code, "valid_from": valid_from}),
                by=by,
                source=source,
            )
        self.refresh_from_db(fields=["valid_to"])
        return new

    def _check_new_version(self, valid_from: dt.date, changes: dict[str, Any]) -> None:
        names = {f.name for f in self._meta.concrete_fields} | {"caps"}
        unknown = set(changes) - names - {"code"} or set(changes) & {"id", "family", "valid_from"}
        if unknown:
            raise ValidationError(gettext("Not a rule of a scheme: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        if (valid_from.month, valid_from.day) != (1, 1) or valid_from.year <= self.valid_from.year:
            raise ValidationError(gettext("A new version takes effect from 1 January of a later year."))
        if self.valid_to is not None and valid_from > self.valid_to + dt.timedelta(days=1):
            raise ValidationError(gettext("This version's validity has ended; start from the latest version."))
        later = self.round_schemes.filter(round__year__gte=valid_from.year).select_related("round__office").first()
        if later:
            raise ValidationError(
                gettext("%(round)s already runs %(scheme)s; a new version can only start after it.")
                % {"round": later.round, "scheme": self.name}
            )

    def required_co_financing(self, state_grant: int) -> int:
        """The least co-financing the owner must declare for a state grant, in whole kroner."""
        if self.co_financing_basis != self.CoFinancingBasis.STATE_GRANT:
            return 0
        return -(-state_grant * self.co_financing_percent // 100)  # rounded up to whole kroner


def _rules_text(rules: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {_value_text(value)}" for name, value in sorted(rules.items()))


def _value_text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _refuse_change_of_used(scheme: Scheme) -> None:
    raise ValidationError(
        gettext("%(scheme)s is used by a round and cannot be changed. Make a new version.") % {"scheme": scheme.name}
    )


class SchemeCapQuerySet(models.QuerySet["SchemeCap"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Refused when any of the caps is a rule of a scheme that a round uses."""
        used = Scheme.objects.filter(caps__in=self, round_schemes__isnull=False).first()
        if used is not None:
            _refuse_change_of_used(used)
        return super().delete()


class SchemeCap(models.Model):
    """A ceiling on the share of a scheme's funds that may go to some uses."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="caps", verbose_name=_("scheme"))
    percent = models.PositiveSmallIntegerField(_("at most, per cent"))
    uses = models.JSONField(_("uses"), default=list)
    description = models.TextField(_("description"), blank=True)

    objects = SchemeCapQuerySet.as_manager()

    class Meta:
        verbose_name = _("cap")
        verbose_name_plural = _("caps")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="cap_at_most_100")]

    def __str__(self) -> str:
        return f"{self.scheme}: ≤ {self.percent} %"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A cap is one of the scheme's rules: the same guard as Scheme.save.
        if self.scheme.is_in_use():
            _refuse_change_of_used(self.scheme)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.scheme.is_in_use():
            _refuse_change_of_used(self.scheme)
        return super().delete(*args, **kwargs)


class RoundQuerySet(models.QuerySet["Round"]):
    def current(self, today: dt.date | None = None) -> RoundQuerySet:
        """Rounds with steps still ahead of them, the earliest year first."""
        today = today or timezone.localdate()
        return self.filter(milestones__starts_on__gte=today).distinct().order_by("year", "office__name")


class Round(models.Model):
    """One allocation year in one office (tildelingsår)."""

    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    schemes: models.ManyToManyField[Scheme, RoundScheme] = models.ManyToManyField(
        Scheme, through="RoundScheme", related_name="rounds", verbose_name=_("schemes")
    )
    reminder_days = models.PositiveSmallIntegerField(_("reminder, days before a deadline"), default=7)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "office__name"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_round_per_office_and_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="round_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("schemes:round", args=[self.office.slug, self.year])

    def deadline(self, transition: str) -> Milestone | None:
        return next((m for m in self.milestones.all() if m.governs == transition), None)

    def is_open_for(self, transition: str, now: dt.datetime | None = None) -> bool:
        """Whether the deadline governing a transition has not passed (no deadline: open).

        Every transition that a deadline governs asks this, and nothing else (see deadlines.py).
        """
        return deadlines.is_open(self.deadline(transition), now)

    def why_closed(self, transition: str, now: dt.datetime | None = None) -> str:
        """Why `is_open_for` says no, in the user's language; empty while the transition is open."""
        return deadlines.why_closed(self.deadline(transition), now)

    def copy_cycle_from(self, previous: Round, *, by: Any = None, source: str = "form") -> list[Milestone]:
        """Copy another round's milestones into this empty round, every date moved by the years between them."""
        from lokalkomp.accounts.models import AuditEvent

        years = self.year - previous.year
        with transaction.atomic():
            list(Round.objects.select_for_update().filter(pk=self.pk).order_by().values_list("pk"))  # one at a time
            if self.milestones.exists():
                raise ValidationError(
                    gettext("%(round)s already has an annual cycle. Delete its milestones before copying another.")
                    % {"round": self}
                )
            copies = [milestone.shifted(years, round=self, by=by) for milestone in previous.milestones.all()]
            if not copies:
                raise ValidationError(gettext("%(round)s has no milestones to copy.") % {"round": previous})
            created = Milestone.objects.bulk_create(copies)
            AuditEvent.record_change(
                f"round:{self.pk}:cycle_copied",
                object_repr=str(self),
                new="\n".join(m.summary() for m in created),
                by=by,
                source=source,
                office_id=self.office_id,
                copied_from=previous.year,
            )
            return created

    def frames(self, *, round_schemes: list[RoundScheme] | None = None) -> RoundFrames:
        """Per scheme its budget frame and, where a key divides it, each network's share (budgets.py; 2 queries)."""
        return frames_of(self, round_schemes=round_schemes)

    def start_next_year(self, *, by: Any = None) -> Round:
        """The round for the year after (created with the schemes in force then) with this cycle copied into it."""
        if self.year >= 2100:
            raise ValidationError(gettext("No round can be made after 2100."))
        with transaction.atomic():
            following, created = Round.objects.get_or_create(
                office=self.office, year=self.year + 1, defaults={"reminder_days": self.reminder_days}
            )
            if created:
                RoundScheme.objects.bulk_create(
                    RoundScheme(round=following, scheme=scheme) for scheme in Scheme.objects.valid_in(following.year)
                )
            following.copy_cycle_from(self, by=by)
        return following


class RoundScheme(models.Model):
    """A scheme run in a round, with the frame Udir gave the office."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_schemes", verbose_name=_("round"))
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="round_schemes", verbose_name=_("scheme"))
    budget = models.PositiveBigIntegerField(_("budget frame (kr)"), null=True, blank=True)

    class Meta:
        ordering = ["scheme__valid_from", "scheme__code"]
        verbose_name = _("scheme in round")
        verbose_name_plural = _("schemes in round")
        constraints = [models.UniqueConstraint(fields=["round", "scheme"], name="scheme_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round}: {self.scheme}"

    def set_frame(self, amount: int | None, *, by: Any, source: str = "form") -> bool:
        """Set the budget frame (None: not set), with an event of old → new; False if it was so already."""
        return set_frame(self, amount, by=by, source=source)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.round_id and self.scheme_id and not self.scheme.is_valid_in(self.round.year):
            raise ValidationError(
                {
                    "scheme": _("%(scheme)s is not in force in %(year)s.")
                    % {"scheme": self.scheme, "year": self.round.year}
                }
            )


class Transition(models.TextChoices):
    """The workflow steps a deadline governs."""

    NEEDS_REPORTS = "needs_reports", _("Needs reports close")
    NETWORK_COMPILATION = "network_compilation", _("Network compilation closes")
    RECOMMENDATION = "recommendation", _("Recommendation")
    DECISION = "decision", _("Decision")
    REPORTS_DUE = "reports_due", _("Reports on the use of funds due")


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def concerning(self, user: Any) -> MilestoneQuerySet:
        """The milestones meant for the roles the user holds (see audience.py)."""
        from .audience import concerning_q

        return self.filter(concerning_q(user))


class Milestone(models.Model):
    """A dated step in a round's annual cycle (årshjul)."""

    class Audience(models.TextChoices):
        ALL = "all", _("Everyone")
        PARTNERSHIPS = "partnerships", _("Partnerships")
        NETWORKS = "networks", _("Networks")
        FORUM = "forum", _("Forum")
        GOVERNOR = "governor", _("Statsforvalter")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("round"))
    title = models.CharField(_("what"), max_length=300)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    when_text = models.CharField(_("when, as written"), max_length=60, blank=True, help_text=_("E.g. “Week 43”."))
    location = models.CharField(_("where"), max_length=200, blank=True)
    audience = models.CharField(_("for whom"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    governs = models.CharField(_("deadline for"), max_length=30, choices=Transition.choices, blank=True, default="")
    # At most 2 000 characters on every path: the form and the admin read max_length, full_clean the validator.
    details = models.TextField(_("details"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "governs"], condition=~Q(governs=""), name="one_deadline_per_transition"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="milestone_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deadline(self) -> bool:
        return bool(self.governs)

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    @property
    def days(self) -> list[dt.date]:
        """Every day the milestone covers, first to last."""
        return [self.starts_on + dt.timedelta(days=n) for n in range((self.last_day - self.starts_on).days + 1)]

    def closes_at(self) -> dt.datetime:
        """Deadlines run to the end of their last day, Norwegian time."""
        return deadlines.closes_at(self.last_day)

    def has_passed(self, now: dt.datetime | None = None) -> bool:
        return not deadlines.is_open(self, now)

    RECORDED_FIELDS = ("title", "starts_on", "ends_on", "when_text", "location", "audience", "governs", "details")

    def snapshot(self) -> dict[str, Any]:
        """The values the change record compares, before a change is saved."""
        return {name: getattr(self, name) for name in self.RECORDED_FIELDS}

    def summary(self) -> str:
        days = f"{self.starts_on:%d.%m.%Y}" + (f"–{self.ends_on:%d.%m.%Y}" if self.ends_on else "")
        deadline = f" ({self.governs})" if self.governs else ""  # the code: the record is in no one language
        return f"{self.title}, {days}{deadline}"

    def record_saved(self, before: dict[str, Any] | None, *, by: Any, source: str = "form") -> None:
        """Record that the milestone was added (`before` is None) or which of its fields changed."""
        from lokalkomp.accounts.models import AuditEvent

        where = {"object_repr": f"{self.round}: {self.title}", "by": by, "source": source}
        if before is None:
            AuditEvent.record_change(
                f"milestone:{self.pk}:added", new=self.summary(), office_id=self.round.office_id, **where
            )
            return
        for name, old in before.items():
            if getattr(self, name) != old:
                AuditEvent.record_change(
                    f"milestone:{self.pk}:{name}",
                    old=old,
                    new=getattr(self, name),
                    office_id=self.round.office_id,
                    **where,
                )

    def delete_by(self, *, by: Any, source: str = "form") -> None:
        """Delete the milestone, with a record of what it was."""
        from lokalkomp.accounts.models import AuditEvent

        with transaction.atomic():
            AuditEvent.record_change(
                f"milestone:{self.pk}:removed",
                object_repr=f"{self.round}: {self.title}",
                old=self.summary(),
                by=by,
                source=source,
                office_id=self.round.office_id,
            )
            self.delete()

    def shifted(self, years: int, *, round: Round, by: Any = None) -> Milestone:
        """An unsaved copy in another round, its dates moved by whole years."""
        return Milestone(
            round=round,
            title=self.title,
            starts_on=shift_years(self.starts_on, years),
            ends_on=shift_years(self.ends_on, years) if self.ends_on else None,
            when_text=self.when_text,
            location=self.location,
            audience=self.audience,
            governs=self.governs,
            details=self.details,
            updated_by=by,
        )


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret address for subscribing to the milestones that concern them (iCalendar)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("link made"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("schemes:ical", args=[self.token])

    def rotate(self) -> None:
        """A new secret: the old address stops working at once."""
        self.token = new_feed_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


# Models of this app in modules of their own: the budget frames' keys and counts (budgets.py), and
# the forum's long-term plan and its goals (long_term_plans.py).
from .budgets import DistributionKey as DistributionKey  # noqa: E402
from .budgets import KeyInput as KeyInput  # noqa: E402
from .budgets import RoundFrames, frames_of, set_frame  # noqa: E402
from .long_term_plans import LongTermPlan as LongTermPlan  # noqa: E402
from .long_term_plans import PlanGoal as PlanGoal  # noqa: E402
