"""Small builders for test data (`make_*`) and the shared cast of people.

No fixture files: every test states the few rows it needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.directory.models import County, Municipality, Network, Office, Organisation
from lokalkomp.needs.models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    Participant,
    Partnership,
    UnionParticipant,
)
from lokalkomp.schemes.models import Milestone, Round, RoundScheme, Scheme, SchemeCap
from lokalkomp.schemes.seed import seed_schemes

_seq = itertools.count(1)


def make_office(slug: str | None = None) -> Office:
    n = next(_seq)
    office, _ = Office.objects.get_or_create(slug=slug or f"office-{n}", defaults={"name": f"Statsforvalteren {n}"})
    return office


def make_municipality(office: Office | None = None, number: str | None = None) -> Municipality:
    n = next(_seq)
    office = office or make_office()
    county, _ = County.objects.get_or_create(
        number=f"{n % 90 + 10:02d}", defaults={"name": f"Fylke {n}", "office": office}
    )
    return Municipality.objects.create(number=number or f"{n % 9000 + 1000:04d}", name=f"Kommune {n}", county=county)


def make_organisation(kind: str = Organisation.Kind.MUNICIPALITY, **values: Any) -> Organisation:
    n = next(_seq)
    values.setdefault("name", f"Organisasjon {n}")
    return Organisation.objects.create(kind=kind, **values)


def make_user(email: str | None = None, **values: Any) -> User:
    n = next(_seq)
    return User.objects.create_user(email or f"person{n}@example.test", password="pw-Secret-123", **values)


def make_round(
    office: Office | None = None,
    year: int = 2027,
    schemes: tuple[str, ...] | None = None,
    deadline: dt.date | None = None,
) -> Round:
    # A transactional test before this one may have flushed the schemes the migration seeded.
    seed_schemes(Scheme, SchemeCap)
    office = office or make_office()
    round = Round.objects.create(office=office, year=year)
    codes = schemes or tuple(s.code for s in Scheme.objects.valid_in(year))
    for scheme in Scheme.objects.filter(code__in=codes):
        RoundScheme.objects.create(round=round, scheme=scheme)
    if deadline:
        Milestone.objects.create(
            round=round,
            title="Frist for behovsmeldinger",
            starts_on=deadline,
            governs="needs_reports",
            audience="partnerships",
        )
    return round


def make_network(office: Office, coordinator: User | None = None) -> Network:
    """A network of the office; the coordinator, if given, holds the coordinator membership in it."""
    n = next(_seq)
    network = Network.objects.create(office=office, name=f"Nettverk {n}", slug=f"nettverk-{n}")
    if coordinator is not None:
        Membership.objects.create(user=coordinator, role=Role.NETWORK_COORDINATOR, network=network)
    return network


def make_partnership(office: Office, network: Network | None = None) -> Partnership:
    n = next(_seq)
    partnership = Partnership.objects.create(office=office, network=network, name=f"Partnerskap {n}")
    Participant.objects.create(partnership=partnership, organisation=make_organisation(), side="owner", is_lead=True)
    Participant.objects.create(
        partnership=partnership,
        organisation=make_organisation(Organisation.Kind.UNIVERSITY),
        side="partner",
        is_lead=True,
    )
    return partnership


def make_report(round: Round, partnership: Partnership | None = None, **values: Any) -> NeedsReport:
    partnership = partnership or make_partnership(round.office)
    report = NeedsReport.objects.create(partnership=partnership, round=round, **values)
    for scheme in round.schemes.all():
        report.report_schemes.create(scheme=scheme)
    return report


def make_measure(
    report: NeedsReport, owner: int = 0, partner: int = 0, scheme: Scheme | None = None, **values: Any
) -> Measure:
    scheme = scheme or report.report_schemes.first().scheme  # type: ignore[union-attr]
    values.setdefault("name", f"Tiltak {next(_seq)}")
    position = report.measures.count() + 1
    return Measure.objects.create(
        report=report, scheme=scheme, owner_amount=owner, partner_amount=partner, position=position, **values
    )


def add_contact(report: NeedsReport, user: User, side: str = "owner") -> Contact:
    participant = report.partnership.participants.get(side=side, is_lead=True)
    return Contact.objects.create(participant=participant, user=user, name=str(user), email=user.email)


def complete(
    report: NeedsReport, *, owner: int = 100_000, public_schools: int = 3, payment_reference: str = ""
) -> Measure:
    """Fill in what the checklist asks for, so that the report can be submitted.

    The leads get valid account numbers, the union participant the cast names is discussed, the report
    covers `public_schools` schools, and it gets one measure: owner `owner` (kr 100 000), UH kr 50 000.
    """
    for side, account in (("owner", "45162794918"), ("partner", "76940500660")):
        values = {"account_number": account} | ({"payment_reference": payment_reference} if payment_reference else {})
        Participant.objects.filter(partnership=report.partnership, side=side, is_lead=True).update(**values)
    NeedsReport.objects.filter(pk=report.pk).update(union_discussed=True, public_schools=public_schools)
    report.refresh_from_db()
    return make_measure(
        report,
        owner,
        50_000,
        name="Lesing i barnehagen",
        purpose="implementation",
        anchoring="I hver barnehage.",
        collective="Lærende fellesskap.",
        teacher_education="Praksis.",
        long_term_plan="Kompetanseplanen.",
        semesters=[f"{report.round.year}-spring"],
    )


# The rows an import of a needs report writes: a refused import must leave every count as it was.
COUNTED = (
    Organisation,
    Partnership,
    Participant,
    Contact,
    NeedsReport,
    NeedsReportScheme,
    DeclaredTotal,
    Measure,
    Continuation,
    UnionParticipant,
    NeedsReportEvent,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@dataclass
class Cast:
    """One person per role around one report, plus strangers from elsewhere."""

    office: Office
    round: Round
    network: Network
    report: NeedsReport
    governor: User
    forum_member: User
    coordinator: User
    owner_contact: User
    partner_contact: User
    union_rep: User
    outsider: User
    other_coordinator: User
    other_office_governor: User


def make_cast(year: int = 2027, deadline: dt.date | None = None) -> Cast:
    office = make_office()
    round = make_round(office, year=year, deadline=deadline)
    people = {
        name: make_user(f"{name}@cast.test")
        for name in (
            "governor",
            "forum_member",
            "coordinator",
            "owner_contact",
            "partner_contact",
            "union_rep",
            "outsider",
            "other_coordinator",
            "other_office_governor",
        )
    }
    network = make_network(office, coordinator=people["coordinator"])
    report = make_report(round, make_partnership(office, network))
    add_contact(report, people["owner_contact"], "owner")
    add_contact(report, people["partner_contact"], "partner")
    UnionParticipant.objects.create(report=report, role="Hovedtillitsvalgt", name="T", user=people["union_rep"])
    Membership.objects.create(user=people["governor"], role=Role.CASE_OFFICER, office=office)
    Membership.objects.create(user=people["forum_member"], role=Role.FORUM_MEMBER, office=office)
    make_network(office, coordinator=people["other_coordinator"])
    Membership.objects.create(user=people["other_office_governor"], role=Role.CASE_OFFICER, office=make_office())
    for name in ("governor", "forum_member", "other_office_governor"):
        give_totp(people[name])  # their roles must sign in with two-factor authentication
    from lokalkomp.allocation.models import Declaration

    # A forum member reads the round's reports once they have declared their ties (allocation's habilitet gate).
    Declaration.declare(round=round, person=people["forum_member"], no_other_ties=True, organisations=[], ties="")
    return Cast(office=office, round=round, network=network, report=report, **people)


# ── People and access (issue 4) ─────────────────────────────────────────────────────────

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_totp(user: User, secret: str = TEST_TOTP_SECRET) -> None:
    """A TOTP authenticator with a known secret, as if the person had set up an authenticator app."""
    from lokalkomp.accounts.twofactor import activate_totp

    activate_totp(user, secret)


def totp_code(secret: str = TEST_TOTP_SECRET, seconds_left: float = 5) -> str:
    """The current code, waiting for the next 30-second window when this one is about to end."""
    import time

    from allauth.mfa import app_settings

    from lokalkomp.accounts.twofactor import current_code

    remaining = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if remaining < seconds_left:
        time.sleep(remaining + 0.1)
    return current_code(secret)


def mark_reauthenticated(client: Any, user: User) -> None:
    """As if the signed-in person had just confirmed their password (allauth's session record)."""
    import time

    from allauth.account.internal.flows import login

    session = client.session
    session[login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session[login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def sign_in_with_two_factor(client: Any, user: User) -> None:
    """Signed in with the password and a TOTP code, as allauth records it (the admin asks for both)."""
    import time

    from allauth.account.internal.flows import login

    give_totp(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now},
        {"method": "mfa", "type": "totp", "at": now},
    ]
    session[login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def make_governor_admin(office: Office, email: str | None = None) -> User:
    user = make_user(email)
    Membership.objects.create(user=user, role=Role.GOVERNOR_ADMIN, office=office)
    give_totp(user)
    return user


def make_invitation(invited_by: User, role: str = Role.FORUM_MEMBER, email: str | None = None, **place: Any) -> Any:
    """An invitation as if sent through the form (not e-mailed); place defaults to the inviter's office."""
    from lokalkomp.accounts.models import Invitation

    if not any(place.get(k) for k in ("office", "network", "organisation")):
        place["office"] = invited_by.memberships.filter(office__isnull=False).first().office  # type: ignore[union-attr]
    if place.get("network") and not place.get("office"):
        place["office"] = place["network"].office
    return Invitation.objects.create(
        email=email or f"invited{next(_seq)}@example.test", role=role, invited_by=invited_by, **place
    )


def admin_form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """The POST an admin change page would send unchanged (its form and inlines), with `changes` laid over."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:  # 0 (a formset's count) is a value
                data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class RenamedModels:
    """The app registry as an old data migration knew it: the models by the names they had then.

    Lets a test run a migration's function on today's tables (ReportEvent is now NeedsReportEvent).
    """

    RENAMED = {"ReportEvent": "NeedsReportEvent", "ReportScheme": "NeedsReportScheme"}

    def get_model(self, app_label: str, model_name: str) -> Any:
        from django.apps import apps

        return apps.get_model(app_label, self.RENAMED.get(model_name, model_name))


@contextmanager
def rolled_back_afterwards() -> Iterator[None]:
    """A transaction on every database, opened as TestCase opens its class's, and rolled back at the end:
    for data a module of tests builds once (the demo, a small national set) inside `django_db_blocker.unblock()`."""
    atomics = [transaction.atomic(using=alias) for alias in connections]
    for atomic in atomics:
        atomic._from_testcase = True  # type: ignore[attr-defined]  # as TestCase's own
        atomic.__enter__()
    try:
        yield
    finally:
        for atomic in reversed(atomics):
            transaction.set_rollback(True, using=atomic.using)
            atomic.__exit__(None, None, None)
