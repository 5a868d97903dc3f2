from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalkomp.accounts.models import User
from lokalkomp.directory.access import forum_of, may_view_seats

from . import ical
from .access import get_cycle_for, get_milestone_for, get_round, may_edit_cycle, may_edit_frames
from .calendar_grid import months_for
from .forms import MilestoneForm, ReminderForm
from .models import CalendarFeed, Milestone, Round, RoundScheme
from .panels import calendar_sources, round_panels


@require_GET
def round_detail(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """A round: its schemes and frames, its annual cycle, its networks, and what later apps add (the reports)."""
    round = get_round(
        office,
        year,
        Round.objects.select_related("office", "office__forum").prefetch_related(
            Prefetch("round_schemes", queryset=RoundScheme.objects.select_related("scheme", "distribution_key")),
            "milestones",
        ),
    )
    frames = round.frames(round_schemes=list(round.round_schemes.all()))  # and the office's networks, one query
    networks = frames.networks
    panels = [panel(request, round, networks) for panel in round_panels]
    context = {
        "round": round,
        "frames": frames,
        "may_edit_frames": may_edit_frames(request.user, round),
        "forum": forum_of(round.office) if may_view_seats(request.user, round.office) else None,
        "networks": [(network, "".join(p.network_notes.get(network.pk, "") for p in panels)) for network in networks],
        "sections": [panel.section for panel in panels],
        "may_edit": may_edit_cycle(request.user, round),
        "years": sorted(Round.objects.filter(office_id=round.office_id).order_by().values_list("year", flat=True)),
    }
    return render(request, "schemes/round.html", context)


@require_GET
def round_calendar(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The round's annual cycle as a month-by-month calendar (public, like the round page)."""
    round = get_round(office, year)
    entries = list(round.milestones.all()) + [m for source in calendar_sources for m in source.in_round(round)]
    months = months_for(entries, timezone.localdate())
    context = {
        "round": round,
        "months": months,
        "weekdays": [day.date for day in months[0].weeks[0].days] if months else [],
        "may_edit": may_edit_cycle(request.user, round),
    }
    return render(request, "schemes/calendar.html", context)


# The annual cycle's editor: one page, and one view for each change it posts.


def _render_editor(request: HttpRequest, round: Round, status: int = 200, **context: Any) -> HttpResponse:
    previous = Round.objects.filter(office=round.office, year=round.year - 1).annotate(n=Count("milestones")).first()
    following = Round.objects.filter(office=round.office, year=round.year + 1).annotate(n=Count("milestones")).first()
    context.setdefault("form", MilestoneForm(instance=Milestone(round=round)))
    context.setdefault("reminder_form", ReminderForm(instance=round))
    context.update(round=round, milestones=round.milestones.all(), previous=previous, following=following)
    return render(request, "schemes/cycle.html", context, status=status)


@require_GET
@login_required
def cycle(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The Statsforvalter's page for the round's milestones and reminders."""
    return _render_editor(request, get_cycle_for(request.user, office, year))


@require_POST
@login_required
def add_milestone(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_cycle_for(request.user, office, year)
    form = MilestoneForm(request.POST, instance=Milestone(round=round))
    if not form.is_valid():
        return _render_editor(request, round, status=422, form=form)
    milestone = form.save_by(request.user)
    messages.success(request, _("“%(title)s” was added.") % {"title": milestone.title})
    return redirect(reverse("schemes:cycle", args=[office, year]) + f"#milestone-{milestone.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def edit_milestone(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    milestone = get_milestone_for(request.user, office, year, pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST":
        if form.is_valid():
            form.save_by(request.user)
            messages.success(request, _("“%(title)s” was saved.") % {"title": milestone.title})
            return redirect(reverse("schemes:cycle", args=[office, year]) + f"#milestone-{milestone.pk}")
        return render(request, "schemes/milestone_form.html", {"form": form, "milestone": milestone}, status=422)
    return render(request, "schemes/milestone_form.html", {"form": form, "milestone": milestone})


@require_http_methods(["GET", "POST"])
@login_required
def delete_milestone(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    milestone = get_milestone_for(request.user, office, year, pk)
    if request.method == "POST":
        milestone.delete_by(by=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": milestone.title})
        return redirect("schemes:cycle", office, year)
    return render(request, "schemes/milestone_delete.html", {"milestone": milestone})


@require_POST
@login_required
def set_reminder(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_cycle_for(request.user, office, year)
    form = ReminderForm(request.POST, instance=round)
    if not form.is_valid():
        return _render_editor(request, round, status=422, reminder_form=form)
    form.save()
    messages.success(request, _("The reminder setting was saved."))
    return redirect("schemes:cycle", office, year)


@require_POST
@login_required
def copy_previous_cycle(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Fill this round's empty cycle with last year's, every date a year later."""
    round = get_cycle_for(request.user, office, year)
    previous = Round.objects.filter(office=round.office, year=round.year - 1).first()
    if previous is None:
        return _render_editor(
            request,
            round,
            status=409,
            copy_error=_("There is no round for %(year)s to copy from.") % {"year": round.year - 1},
        )
    try:
        copies = round.copy_cycle_from(previous, by=request.user)
    except ValidationError as error:
        return _render_editor(request, round, status=409, copy_error=" ".join(error.messages))
    messages.success(
        request, _("%(n)s milestones were copied from %(year)s.") % {"n": len(copies), "year": previous.year}
    )
    return redirect("schemes:cycle", office, year)


@require_POST
@login_required
def start_next_year(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Make next year's round (if need be) with this cycle copied into it, every date a year later."""
    round = get_cycle_for(request.user, office, year)
    try:
        following = round.start_next_year(by=request.user)
    except ValidationError as error:
        return _render_editor(request, round, status=409, copy_error=" ".join(error.messages))
    messages.success(request, _("The round %(round)s now has this annual cycle, a year later.") % {"round": following})
    return redirect("schemes:cycle", office, following.year)


# The calendar feed: a secret address per person, for their calendar program to subscribe to.


def _person(request: HttpRequest) -> User:
    """The signed-in person, in views behind login_required."""
    return cast(User, request.user)


@require_GET
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    """The person's secret calendar address, and what it holds."""
    feed = CalendarFeed.objects.filter(user=_person(request)).first()
    today = timezone.localdate()
    upcoming = (
        Milestone.objects.concerning(request.user)
        .filter(Q(starts_on__gte=today) | Q(ends_on__gte=today))
        .select_related("round__office")[:12]
    )
    url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    context = {
        "feed": feed,
        "url": url,
        "webcal": url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "upcoming": upcoming,
    }
    return render(request, "schemes/subscribe.html", context)


@require_POST
@login_required
def new_feed_link(request: HttpRequest) -> HttpResponse:
    """Make the person's calendar address, or a new one in place of the old."""
    feed, created = CalendarFeed.objects.get_or_create(user=_person(request))
    if not created:
        feed.rotate()
        messages.success(request, _("You have a new calendar link. The old one no longer works."))
    return redirect("schemes:subscribe")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The milestones that concern the feed's owner, as iCalendar; no login, the address is the secret."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    milestones = Milestone.objects.concerning(feed.user).select_related("round__office")
    with translation.override(feed.user.language or settings.LANGUAGE_CODE):
        events = [_event(request, milestone) for milestone in milestones]
        events += [event for source in calendar_sources for event in source.in_feed(request, feed.user)]
        name = _("lokalkomp – annual cycle")
    response = HttpResponse(
        ical.calendar(name, events, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="lokalkomp.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _event(request: HttpRequest, milestone: Milestone) -> ical.Event:
    round = milestone.round
    summary = milestone.title
    if milestone.is_deadline and not summary.casefold().startswith(_("Deadline").casefold()):
        summary = _("Deadline: %(title)s") % {"title": summary}  # «Frist: …», unless the title says it
    facts = [
        str(round),
        milestone.when_text,
        _("For whom: %(audience)s") % {"audience": milestone.get_audience_display()},
        milestone.details,
    ]
    url = request.build_absolute_uri(reverse("schemes:calendar", args=[round.office.slug, round.year]))
    return ical.Event(
        uid=f"milestone-{milestone.pk}@lokalkomp",
        first_day=milestone.starts_on,
        last_day=milestone.last_day,
        summary=summary,
        location=milestone.location,
        description="\n".join(fact for fact in facts if fact),
        url=url,
        stamp=milestone.updated_at,
    )


@require_GET
@login_required
def my_round(request: HttpRequest) -> HttpResponse:
    """The header's «The round»: straight to it when the person works in one office, else a choice."""
    from .navigation import my_rounds

    rounds = my_rounds(request.user)
    if len(rounds) == 1:
        return redirect(rounds[0])
    return render(request, "schemes/my_rounds.html", {"rounds": rounds})
