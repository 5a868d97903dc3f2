"""The audit record: every sign-in, failed sign-in, role change, invitation and re-authentication.

Sign-ins and the steps of allauth's flows are recorded from signals (Django's and
allauth's); role changes and invitations call `record` where they happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.signals import authentication_step_completed, password_changed, password_reset
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django import forms
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Office

from .models import GOVERNOR_ROLES, AuditEvent, User
from .rules import office_ids_with, visible_audit_events_q

Kind = AuditEvent.Kind


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as allauth's rate limits see it (honouring the trusted proxy settings)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    actor: Any = None,
    office: Any = None,
    email: str = "",
    **details: Any,
) -> AuditEvent:
    user = user if getattr(user, "pk", None) else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor if getattr(actor, "pk", None) else None,
        office=office,
        email=email or getattr(user, "email", ""),
        ip=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        details=details,
    )


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    methods = [r["method"] for r in get_authentication_records(request, user)] if request is not None else []
    record(Kind.LOGIN, request=request, user=user, methods=methods)


def _on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    tried = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    known = User.objects.filter(email__iexact=tried).first() if tried else None
    record(Kind.LOGIN_FAILED, request=request, user=known, email=tried)


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def _on_step(sender: Any, request: HttpRequest, user: Any, method: str, **kwargs: Any) -> None:
    if kwargs.get("reauthenticated"):
        record(Kind.REAUTHENTICATED, request=request, user=user, method=method)


def _on_mfa_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.MFA_FAILED, request=request, user=user)


def _on_authenticator_added(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == "totp":
        record(Kind.MFA_ENABLED, request=request, user=user)


def _on_authenticator_removed(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == "totp":
        record(Kind.MFA_DISABLED, request=request, user=user)


def _on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.PASSWORD_CHANGED, request=request, user=user)


def _on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Kind.PASSWORD_RESET, request=request, user=user)


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    uid = "lokalkomp.accounts.audit"
    user_logged_in.connect(_on_login, dispatch_uid=f"{uid}.login")
    user_login_failed.connect(_on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid=f"{uid}.logout")
    authentication_step_completed.connect(_on_step, dispatch_uid=f"{uid}.step")
    authentication_failed.connect(_on_mfa_failed, dispatch_uid=f"{uid}.mfa_failed")
    authenticator_added.connect(_on_authenticator_added, dispatch_uid=f"{uid}.mfa_added")
    authenticator_removed.connect(_on_authenticator_removed, dispatch_uid=f"{uid}.mfa_removed")
    password_changed.connect(_on_password_changed, dispatch_uid=f"{uid}.password_changed")
    password_reset.connect(_on_password_reset, dispatch_uid=f"{uid}.password_reset")


# ── Reading the record: the audit page and its CSV export ───────────────────────────────────────
#
# The page lists the audit events (sign-ins, roles, and changes to the rules and the annual cycle)
# together with the changes that later apps record on their own objects (a needs report's
# FieldEdit rows). Those apps come after accounts, so they register a feed here (`change_feeds`);
# the page merges the rows in one UNION query, newest first, and reads each page's rows by id.


@dataclass(frozen=True)
class Line:
    """One line of the audit page or its CSV."""

    at: dt.datetime
    event: str
    person: str = ""
    done_by: str = ""
    office: str = ""
    object: str = ""
    what: str = ""
    old: str = ""
    new: str = ""
    source: str = ""
    ip: str = ""
    user_agent: str = ""
    details: str = ""


@dataclass(frozen=True)
class ChangeFeed:
    """Another app's change record: its rows under the filters and the readable offices, and the lines of some."""

    rows: Callable[[dict[str, Any], set[int] | None], QuerySet[Any]]
    fetch: Callable[[list[int]], dict[int, Any]]  # pk → an object with at, by, source, what, old, new, object, office


change_feeds: dict[str, ChangeFeed] = {}
AUDIT = "audit"


class AuditFilterForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none(), required=False)
    person = forms.CharField(label=_("Person"), max_length=100, required=False, help_text=_("Name or e-mail."))
    object = forms.CharField(
        label=_("Object"), max_length=100, required=False, help_text=_("E.g. a partnership, a round or “milestone”.")
    )
    since = forms.DateField(label=_("From"), required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    until = forms.DateField(label=_("To"), required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everything")), ("changes", _("Changes")), ("accounts", _("Sign-ins, roles and invitations"))],
    )

    def __init__(self, *args: Any, offices: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Office.objects.all() if offices is None else Office.objects.filter(pk__in=offices)
        self.fields["office"].queryset = queryset  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out: the page still lists, and says which)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        filters = {name: value for name, value in data.items() if value not in (None, "")}
        if "office" in filters:
            filters["office"] = filters["office"].pk
        return filters


def readable_offices(user: Any) -> set[int] | None:
    """The offices whose record the user reads; None for all (a superuser)."""
    return None if user.is_superuser else office_ids_with(user, GOVERNOR_ROLES)


def _audit_q(filters: dict[str, Any]) -> Q:
    q = Q()
    if filters.get("office"):
        q &= Q(office_id=filters["office"])
    if filters.get("person"):
        text = filters["person"]
        q &= (
            Q(email__icontains=text)
            | Q(user__email__icontains=text)
            | Q(actor__email__icontains=text)
            | Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
            | Q(actor__first_name__icontains=text)
            | Q(actor__last_name__icontains=text)
        )
    if filters.get("object"):
        text = filters["object"]
        q &= Q(object_repr__icontains=text) | Q(key__icontains=text)
    if filters.get("since"):
        q &= Q(at__date__gte=filters["since"])
    if filters.get("until"):
        q &= Q(at__date__lte=filters["until"])
    if filters.get("kind") == "changes":
        q &= Q(kind=Kind.CHANGED)
    if filters.get("kind") == "accounts":
        q &= ~Q(kind=Kind.CHANGED)
    return q


def record_rows(user: Any, filters: dict[str, Any]) -> QuerySet[Any]:
    """(at, pk, feed) of every line the user may read under the filters, newest first: one query."""
    tag: dict[str, Any] = {"output_field": models.CharField()}
    events = AuditEvent.objects.filter(visible_audit_events_q(user)).filter(_audit_q(filters))
    rows = events.annotate(feed=Value(AUDIT, **tag)).values_list("at", "pk", "feed").order_by()
    if filters.get("kind") != "accounts":
        offices = readable_offices(user)
        others = [
            feed.rows(filters, offices).annotate(feed=Value(name, **tag)).values_list("at", "pk", "feed").order_by()
            for name, feed in change_feeds.items()
        ]
        if others:
            rows = rows.union(*others, all=True)
    return rows.order_by("-at", "-pk")


def lines(rows: list[tuple[dt.datetime, int, str]]) -> list[Line]:
    """The lines for some rows of `record_rows`, in their order: one query per feed present."""
    by_feed: dict[str, list[int]] = {}
    for _at, pk, feed in rows:
        by_feed.setdefault(feed, []).append(pk)
    fetched: dict[str, dict[int, Line]] = {}
    if by_feed.get(AUDIT):
        events = AuditEvent.objects.filter(pk__in=by_feed[AUDIT]).select_related("user", "actor", "office")
        fetched[AUDIT] = {e.pk: _event_line(e) for e in events}
    for name, pks in by_feed.items():
        if name != AUDIT and name in change_feeds:
            fetched[name] = {pk: _change_line(c) for pk, c in change_feeds[name].fetch(pks).items()}
    return [fetched[feed][pk] for _at, pk, feed in rows if pk in fetched.get(feed, {})]


def _event_line(event: AuditEvent) -> Line:
    person = str(event.user) if event.user else event.email
    if event.user and event.email and event.email != event.user.email:
        person = f"{person} ({event.email})"
    return Line(
        at=event.at,
        event=event.get_kind_display(),
        person=person,
        done_by=str(event.actor or ""),
        office=str(event.office or ""),
        object=event.object_repr,
        what=event.key,
        old=event.old_value,
        new=event.new_value,
        source=event.get_source_display() if event.source else "",
        ip=event.ip or "",
        user_agent=event.user_agent,
        details="; ".join(f"{key}: {value}" for key, value in event.details.items()),
    )


def _change_line(change: Any) -> Line:
    return Line(
        at=change.at,
        event=str(Kind.CHANGED.label),
        done_by=str(change.by or ""),
        office=change.office,
        object=change.object,
        what=change.what,
        old=change.old,
        new=change.new,
        source=change.source,
    )


CSV_COLUMNS = [
    ("at", _("Time")),
    ("event", _("Event")),
    ("person", _("Person")),
    ("done_by", _("Done by")),
    ("office", _("Office")),
    ("object", _("Object")),
    ("what", _("What")),
    ("old", _("Old value")),
    ("new", _("New value")),
    ("source", _("From")),
    ("ip", _("IP address")),
    ("details", _("Details")),
]
CSV_BATCH = 500


def csv_lines(user: Any, filters: dict[str, Any]) -> Iterator[list[str]]:
    """The CSV's rows: a header, then every line under the filters, newest first, read in batches."""
    yield [str(label) for _name, label in CSV_COLUMNS]
    rows = record_rows(user, filters)
    start = 0
    while True:
        batch = list(rows[start : start + CSV_BATCH])
        for line in lines(batch):
            values = {name: getattr(line, name) for name, _label in CSV_COLUMNS}
            values["at"] = timezone.localtime(line.at).strftime("%d.%m.%Y %H:%M:%S")
            yield [_csv_safe(str(values[name])) for name, _label in CSV_COLUMNS]
        if len(batch) < CSV_BATCH:
            return
        start += CSV_BATCH


def _csv_safe(text: str) -> str:
    """A value a spreadsheet will not run as a formula (CSV injection), with plain spaces."""
    text = text.replace("\u00a0", " ")
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
