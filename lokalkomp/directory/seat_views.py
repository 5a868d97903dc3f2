"""The forum's seats (samarbeidsforum): the office's forum reads them, its Statsforvalter keeps them.

One page lists the seats; adding, changing and ending a seat each have their own URL. Every
change is an event on the audit record (ForumMember.add, .change, .end).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import get_forum_for, get_seat_for, may_manage_seats
from .models import Forum, ForumMember
from .seat_forms import SeatForm

ROLE_ORDER = {role: n for n, role in enumerate(ForumMember.Role.values)}  # members first, observers last


def _seats_url(forum: Forum, seat: ForumMember | None = None) -> str:
    url = reverse("forum:seats", args=[forum.office.slug])
    return url + (f"#seat-{seat.pk}" if seat else "")


def _render_list(request: HttpRequest, forum: Forum, status: int = 200, **context: Any) -> HttpResponse:
    may_manage = may_manage_seats(request.user, forum.office)
    seats = sorted(
        forum.members.select_related("organisation", "person"),
        key=lambda seat: (ROLE_ORDER.get(seat.role, 99), seat.organisation.name.casefold(), seat.pk),
    )
    if may_manage:
        context.setdefault("form", SeatForm(forum=forum))
    context.update(forum=forum, seats=seats, may_manage=may_manage, votes=sum(1 for seat in seats if seat.votes))
    return render(request, "directory/forum.html", context, status=status)


@require_GET
@login_required
def forum_seats(request: HttpRequest, office: str) -> HttpResponse:
    """The forum's seats: who sits for which organisation, in which role, and who votes."""
    return _render_list(request, get_forum_for(request.user, office))


@require_POST
@login_required
def add_seat(request: HttpRequest, office: str) -> HttpResponse:
    forum = get_forum_for(request.user, office, write=True)
    form = SeatForm(request.POST, forum=forum)
    if form.is_valid():
        data = form.cleaned_data
        try:
            seat = ForumMember.add(
                forum,
                organisation=data["organisation"],
                role=data["role"],
                votes=data["votes"],
                person=data["person"],
                by=request.user,
            )
        except ValidationError as error:  # someone else took the seat in the meantime
            form.add_errors(error)
        else:
            messages.success(request, _("%(seat)s was added to the forum.") % {"seat": seat})
            return redirect(_seats_url(forum, seat))
    return _render_list(request, forum, status=422, form=form)


@require_http_methods(["GET", "POST"])
@login_required
def edit_seat(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """Change a seat's role, vote or representative (its organisation stays: end it and add another)."""
    seat = get_seat_for(request.user, office, pk)
    form = SeatForm(request.POST or None, forum=seat.forum, seat=seat)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = seat.change(role=data["role"], votes=data["votes"], person=data["person"], by=request.user)
        except ValidationError as error:
            form.add_errors(error)
        else:
            text = _("%(seat)s was saved.") if changed else _("Nothing was changed for %(seat)s.")
            messages.success(request, text % {"seat": seat})
            return redirect(_seats_url(seat.forum, seat))
    status = 422 if request.method == "POST" else 200
    return render(request, "directory/seat_form.html", {"form": form, "seat": seat}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def end_seat(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """GET asks to confirm; POST ends the seat."""
    seat = get_seat_for(request.user, office, pk)
    if request.method == "POST":
        text = str(seat)
        seat.end(by=request.user)
        messages.success(request, _("The seat of %(seat)s was ended.") % {"seat": text})
        return redirect(_seats_url(seat.forum))
    return render(request, "directory/seat_end.html", {"seat": seat})
