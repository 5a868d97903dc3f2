"""Builders for the compilation's tests: submitted reports in the cast's network, the compilation's addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Compilation
from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import Milestone, Scheme, Transition
from lokalkomp.testing import make_measure, make_partnership, make_report, make_user

DEKOMP, REKOMP = "dekomp", "rekomp"


def scheme(code: str) -> Scheme:
    return Scheme.objects.get(code=code)


def submit(report: NeedsReport, by: Any = None) -> NeedsReport:
    """The report submitted with its event and its first (or next) version, as «Send inn» leaves it."""
    event = report.events.create(from_status=report.status, to_status=NeedsReport.Status.SUBMITTED, actor=by)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    report.record_version(by=by, event=event)
    return report


def submitted_report(
    cast: Any, measures: list[tuple[str, int, int]], *, name: str = "", codes: Any = None
) -> NeedsReport:
    """A new partnership of the cast's network with a submitted report of the cast's round.

    `measures`: (name, owner, UH); `codes`: the scheme code of each measure (default: the report's first).
    """
    partnership = make_partnership(cast.office, cast.network)
    if name:
        partnership.name = name
        partnership.save()
    report = make_report(cast.round, partnership)
    for n, (title, owner, partner) in enumerate(measures):
        code = codes[n] if codes else None
        make_measure(report, owner, partner, scheme=scheme(code) if code else None, name=title)
    return submit(report)


def compilation_of(cast: Any) -> Compilation:
    compilation = Compilation.of(cast.round, cast.network)
    compilation.sync()
    compilation.refresh_from_db()
    return compilation


def url(cast: Any, name: str = "compilation", **more: Any) -> str:
    kwargs = {"office": cast.office.slug, "network": cast.network.slug, "year": cast.round.year, **more}
    return reverse(f"allocation:{name}", kwargs=kwargs)


def round_url(cast: Any) -> str:
    return reverse("allocation:round_compilations", kwargs={"office": cast.office.slug, "year": cast.round.year})


def set_deadline(cast: Any, day: dt.date) -> Milestone:
    return Milestone.objects.create(
        round=cast.round,
        title="Nettverkene leverer sammenstilt behovsmelding",
        starts_on=day,
        governs=Transition.NETWORK_COMPILATION,
        audience="networks",
    )


def office_person(cast: Any, role: str, email: str | None = None) -> Any:
    """Someone with a role in the cast's office (with two-factor set up, as the forum's and the office's roles must)."""
    from lokalkomp.testing import give_totp

    user = make_user(email)
    Membership.objects.create(user=user, role=role, office=cast.office)
    give_totp(user)
    return user


def secretary(cast: Any) -> Any:
    return office_person(cast, Role.FORUM_SECRETARY, f"sekretariat-{cast.office.slug}@example.test")


def entries_in_order(compilation: Compilation) -> list[str]:
    return [e.measure.name for e in compilation.ordered_entries()]


def hx(client: Any, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, HTTP_HX_REQUEST="true")


def text(response: Any) -> str:
    """The page as text, with the non-breaking spaces of amounts («kr 1 544 000») as plain spaces."""
    return response.content.decode().replace("\xa0", " ")


def in_english(client: Any) -> Any:
    """The client reads the site in English (the language switch's cookie): the texts these tests look for
    are the source strings, whatever the translations say."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
