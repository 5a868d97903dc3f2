"""The access matrix: every page and action of the project × every role of the cast.

The URL conf is walked; every named URL of the project's own apps must have an entry in
RULES stating, for each person, the status they get for the cast's own objects and for
another office's. A URL without an entry fails the test: state who may use it.

Statuses: 200/302 allowed (LOGIN: sent to sign in), 403 may see but not change,
404 a stranger, 405 the wrong method, and the odd case that belongs to the page
(401 for an expired session on autosave, 409 nothing to copy, 410 a used invitation).
Each request runs in a transaction that is rolled back, so actions do not disturb the next.
The second half checks that lists, exports and e-mails show nothing of other partnerships.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from lokalkomp.testing import (
    mark_reauthenticated,
)
from tests.access.archive import ARCHIVE_RULES
from tests.access.assess import ASSESS_RULES
from tests.access.claims import CLAIM_RULES
from tests.access.compile import COMPILE_RULES
from tests.access.decisions import DECISION_RULES
from tests.access.fix8 import FIX8_RULES
from tests.access.followup import FOLLOWUP_RULES
from tests.access.frames import FRAMES_RULES
from tests.access.funds import FUNDS_RULES
from tests.access.fundsversions import FUNDSVERSIONS_RULES
from tests.access.gatherings import GATHERING_RULES
from tests.access.links import LINK_RULES
from tests.access.network import NETWORK_RULES
from tests.access.opendata import OPENDATA_RULES
from tests.access.overview import OVERVIEW_RULES
from tests.access.payments import PAYMENT_RULES
from tests.access.recommend import RECOMMEND_RULES
from tests.access.rules import RULES as CORE_RULES
from tests.access.rules import Rule
from tests.access.stats import STATS_RULES
from tests.access.steps import STEPS_RULES
from tests.access.whatif import WHATIF_RULES
from tests.access.worklist import WORKLIST_RULES
from tests.access.world import (
    FOREIGN,
    FOREIGN_EMAIL,
    FOREIGN_MEASURE,
    LOGIN,
    PERSONAS,
    SIBLING,
    SIBLING_MEASURE,
    SKIPPED_MODULES,
    SKIPPED_NAMES,
    World,
    build_world,
)

RULES: dict[str, Rule] = CORE_RULES | GATHERING_RULES | FRAMES_RULES | NETWORK_RULES | WORKLIST_RULES | LINK_RULES
RULES |= ASSESS_RULES
RULES |= OVERVIEW_RULES
RULES |= FIX8_RULES
RULES |= COMPILE_RULES
RULES |= PAYMENT_RULES
RULES |= STEPS_RULES
RULES |= RECOMMEND_RULES
RULES |= WHATIF_RULES
RULES |= DECISION_RULES
RULES |= STATS_RULES
RULES |= OPENDATA_RULES
RULES |= FUNDS_RULES
RULES |= FOLLOWUP_RULES
RULES |= FUNDSVERSIONS_RULES
RULES |= ARCHIVE_RULES
RULES |= CLAIM_RULES


@pytest.fixture
def world(cast: Any) -> World:
    """The cast, with another partnership of the same office and another office (tests/access/world.py)."""
    return build_world(cast)


# ── The URL conf ──


def project_url_names() -> Iterator[tuple[str, Any]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith(SKIPPED_MODULES) or pattern.name in SKIPPED_NAMES:
                    continue
                yield f"{namespace}{pattern.name}", pattern.callback

    yield from walk(get_resolver().url_patterns, "")


def allowed_methods(view: Any) -> set[str]:
    """The methods a view's require_http_methods decorator lets through (from its closure)."""
    for cell in getattr(view, "__closure__", None) or ():
        if isinstance(cell.cell_contents, list) and all(isinstance(m, str) for m in cell.cell_contents):
            return {m.lower() for m in cell.cell_contents}
    return set()


def test_every_page_of_the_project_states_who_may_use_it():
    names = {name for name, _view in project_url_names()}
    missing = sorted(names - set(RULES))
    assert not missing, f"State who may use these URLs in RULES: {missing}"
    assert not sorted(set(RULES) - names), "RULES names URLs that no longer exist"


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """A browser per person, signed in (and just re-authenticated) once."""
    browsers = {}
    for persona, user in world.people.items():
        browsers[persona] = Client()
        if user is not None:
            browsers[persona].force_login(user)
            mark_reauthenticated(browsers[persona], user)
    return browsers


def request_as(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    """One request, rolled back afterwards (the sign-in stays); returns the status, or LOGIN."""
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_may_use_each_page(clients, world, name):
    rule = RULES[name]
    for side in rule.sides:
        url = reverse(name, kwargs=rule.kwargs(world, side))
        data = rule.data(world, side)
        actual = {persona: request_as(clients[persona], rule.method, url, data) for persona in PERSONAS}
        assert actual == rule.expected(side), f"{name} ({side} objects): {url}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_page_refuses_the_wrong_method(clients, world, name):
    rule = RULES[name]
    view = dict(project_url_names())[name]
    wrong = "put" if {"get", "post"} <= allowed_methods(view) else ("post" if rule.method == "get" else "get")
    url = reverse(name, kwargs=rule.kwargs(world, "own"))
    for persona in ("anonymous", "governor_admin", "owner_contact"):
        assert request_as(clients[persona], wrong, url, {}) == 405, (name, persona)


# ── Nothing leaks into lists, exports or e-mails ──

# Who may see the other partnership of the same office, and the other office's partnership.
MAY_SEE = {
    SIBLING: {"forum_member", "governor", "governor_admin", "other_coordinator", "reader"},  # submitted
    SIBLING_MEASURE: {"forum_member", "governor", "governor_admin", "other_coordinator", "reader"},
    FOREIGN: {"other_office_governor"},
    FOREIGN_MEASURE: {"other_office_governor"},
    FOREIGN_EMAIL: {"other_office_governor"},
}

LISTS: dict[str, Callable[[World], str]] = {
    "home": lambda w: reverse("home"),
    "needs:mine": lambda w: reverse("needs:mine"),
    "needs:measures_xlsx": lambda w: reverse("needs:measures_xlsx"),
    "schemes:round (own office)": lambda w: reverse("schemes:round", args=[w.cast.office.slug, w.cast.round.year]),
    "schemes:round (other office)": lambda w: reverse(
        "schemes:round", args=[w.foreign_office.slug, w.foreign_round.year]
    ),
    "directory:network (own)": lambda w: w.cast.network.get_absolute_url(),
    "directory:network (same office)": lambda w: w.sibling_report.partnership.network.get_absolute_url(),
    "directory:network (other office)": lambda w: w.foreign_network.get_absolute_url(),
    "accounts:invitations": lambda w: reverse("accounts:invitations"),
    "accounts:audit": lambda w: reverse("accounts:audit"),
    "accounts:audit_csv": lambda w: reverse("accounts:audit_csv"),
    "accounts:people": lambda w: reverse("accounts:people", args=[w.cast.office.slug]),
    "schemes:subscribe": lambda w: reverse("schemes:subscribe"),
}


def page_text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return "\n".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("page", sorted(LISTS))
def test_lists_and_exports_show_nothing_of_other_partnerships(clients, world, page):
    from lokalkomp.accounts.audit import record

    record("login_failed", user=world.cast.other_office_governor, email=FOREIGN_EMAIL)
    leaks = {}
    for persona in PERSONAS:
        text = page_text(clients[persona].get(LISTS[page](world)))
        leaks[persona] = sorted(secret for secret, seers in MAY_SEE.items() if secret in text and persona not in seers)
    assert leaks == dict.fromkeys(PERSONAS, []), page


def test_the_lists_do_show_what_the_person_may_see(client, world):
    """The other half of the leak test: the filters are not simply empty."""
    client.force_login(world.cast.coordinator)
    assert "Eget tiltak" in page_text(client.get(reverse("needs:measures_xlsx")))
    client.force_login(world.cast.governor)
    assert (
        SIBLING
        in client.get(reverse("schemes:round", args=[world.cast.office.slug, world.cast.round.year])).content.decode()
    )
    client.force_login(world.cast.other_office_governor)
    assert FOREIGN_MEASURE in page_text(client.get(reverse("needs:measures_xlsx")))
    client.force_login(world.people["reader"])  # the office's submitted report, not its draft
    assert SIBLING_MEASURE in page_text(client.get(reverse("needs:measures_xlsx")))
    assert "Eget tiltak" not in page_text(client.get(reverse("needs:measures_xlsx")))
    round_page = client.get(reverse("schemes:round", args=[world.cast.office.slug, world.cast.round.year]))
    assert SIBLING in round_page.content.decode()


def test_the_invitation_email_carries_only_the_invitation(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.cast.coordinator)
    mark_reauthenticated(client, world.cast.coordinator)
    owner = world.cast.report.partnership.participants.get(side="owner")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invite"), {"email": "eier@example.test", "target": f"owner.participant.{owner.pk}"}
        )

    (message,) = mailoutbox
    for secret in (SIBLING, FOREIGN, SIBLING_MEASURE, FOREIGN_MEASURE, "Eget tiltak"):
        assert secret not in message.body
