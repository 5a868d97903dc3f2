"""Declarations of ties (habilitetserklæringer): a member declares per round; the Statsforvalter reads them all.

A declaration is a record: each one is a new row, the latest counts, none is changed. The auditor's
page lists every declaration of the round (time, person, ties) and each member's disqualifications
as the rules work them out now, with the reason for each; the CSV has the same lines.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lokalkomp.accounts.models import Membership, User
from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import Partnership

from ... import conflicts
from ...access.assessment import get_declaration_round_for, get_declarations_for
from ...models import Declaration
from ...rules.assessment import ASSESSOR_ROLES
from .forms import DeclarationForm


def _choices(round: Any) -> Any:
    """The organisations the person may name: the office's participants (owners and partner institutions)."""
    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(participations__partnership__office_id=round.office_id).values("pk")
    ).order_by("name", "pk")


def _next(request: HttpRequest) -> str:
    """Where the person was going (a page of this site), or ''."""
    target = request.POST.get("neste") or request.GET.get("neste") or ""
    if "\x00" in target or len(target) > 500:
        return ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


@require_http_methods(["GET", "POST"])
@login_required
def declaration(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The member's declaration for the round: before they see the reports, and again whenever a tie changes."""
    user: Any = request.user
    round = get_declaration_round_for(user, office, year)
    form = DeclarationForm(request.POST if request.method == "POST" else None, choices=_choices(round))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        Declaration.declare(
            round=round,
            person=user,
            no_other_ties=data["no_other_ties"],
            organisations=list(data["organisations"]),
            ties=data["ties"],
        )
        conflicts.forget(user)
        user.__dict__.pop("_lokalkomp_declared", None)
        messages.success(request, _("Your declaration is recorded."))
        return redirect(_next(request) or reverse("allocation:assessments", args=[round.office.slug, round.year]))
    mine = list(Declaration.objects.filter(round=round, person=user).order_by("-at", "-pk"))
    found = conflicts.disqualifications(round, [user.pk])[user.pk]
    names = dict(Partnership.objects.filter(pk__in=found).values_list("pk", "name"))
    known = [
        (names.get(pk, ""), sorted(conflicts.describe(tie) for tie in ties if tie.kind != "declared"))
        for pk, ties in found.items()
    ]
    context = {
        "round": round,
        "form": form,
        "declarations": mine,
        "known": sorted((name, ties) for name, ties in known if ties),
        "next": _next(request),
    }
    return render(request, "allocation/declaration.html", context, status=422 if form.errors else 200)


@dataclass
class Person:
    """A member or deputy of the office (or anyone who declared), with their declarations and disqualifications."""

    user: User
    declarations: list[Declaration] = field(default_factory=list)
    disqualified: list[tuple[str, list[str]]] = field(default_factory=list)  # (partnership, reasons)


def people(round: Any) -> list[Person]:
    """Every assessor of the office and every declarant of the round, in a fixed number of queries."""
    declarations = list(Declaration.objects.filter(round=round).select_related("person").order_by("at", "pk"))
    assessors = User.objects.filter(
        pk__in=Membership.objects.current().filter(office_id=round.office_id, role__in=ASSESSOR_ROLES).values("user_id")
    )
    found: dict[int, Person] = {user.pk: Person(user) for user in assessors}
    for declaration in declarations:
        found.setdefault(declaration.person_id, Person(declaration.person)).declarations.append(declaration)
    ties = conflicts.disqualifications(round, found)
    names = dict(Partnership.objects.filter(pk__in={pk for t in ties.values() for pk in t}).values_list("pk", "name"))
    for pk, person in found.items():
        person.disqualified = sorted(
            (names.get(partnership, ""), sorted(conflicts.describe(tie) for tie in reasons))
            for partnership, reasons in ties[pk].items()
        )
    return sorted(found.values(), key=lambda p: (p.user.last_name, p.user.first_name, p.user.email))


@require_GET
@login_required
def declarations(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The auditor's record: every declaration of the round, and each member's disqualifications."""
    round = get_declarations_for(request.user, office, year)
    everyone = people(round)
    record = sorted((d for person in everyone for d in person.declarations), key=lambda d: (d.at, d.pk), reverse=True)
    return render(request, "allocation/declarations.html", {"round": round, "people": everyone, "record": record})


class Echo:
    """A file that hands back what is written to it, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _safe(text: str) -> str:
    """A value a spreadsheet will not run as a formula (CSV injection), on one line."""
    text = text.replace("\u00a0", " ").replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t"} else text


def csv_lines(round: Any) -> Iterator[list[str]]:
    yield [
        _("Declared"),
        _("Person"),
        _("E-mail"),
        _("No other ties"),
        _("Organisations"),
        _("Other ties"),
        _("Disqualified from (now)"),
    ]
    for person in people(round):
        disqualified = "; ".join(f"{name} ({', '.join(reasons)})" for name, reasons in person.disqualified)
        lines: list[Declaration | None] = [*person.declarations] or [None]
        for d in lines:
            yield [
                _safe(timezone.localtime(d.at).strftime("%d.%m.%Y %H:%M:%S")) if d else _("Not declared"),
                _safe(str(person.user)),
                _safe(person.user.email),
                (_("Yes") if d.no_other_ties else _("No")) if d else "",
                _safe(", ".join(d.organisation_names)) if d else "",
                _safe(d.ties) if d else "",
                _safe(disqualified),
            ]


@require_GET
@login_required
def declarations_csv(request: HttpRequest, office: str, year: int) -> StreamingHttpResponse:
    round = get_declarations_for(request.user, office, year)
    writer = csv.writer(Echo(), delimiter=";")
    rows = (writer.writerow(row) for row in csv_lines(round))
    response = StreamingHttpResponse(itertools.chain(["\ufeff"], rows), content_type="text/csv; charset=utf-8")
    name = f"habilitet-{round.office.slug}-{round.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
