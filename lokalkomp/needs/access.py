"""Who may see and change needs reports. Views call these; they never test roles inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.directory.models import Network
from lokalkomp.schemes.models import Round

from .models import (
    Contact,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportQuerySet,
    NeedsReportScheme,
    NeedsReportVersion,
    Participant,
    Partnership,
    UnionParticipant,
)
from .outcomes import read_with_report  # a later app's, read with the report (the outcome once decided)
from .rules import (
    can_change_accounts_on_report,
    can_edit_report,
    can_reopen_report,
    can_view_network_overview,
    can_view_report,
    visible_reports_q,
)

# One report's measures in their order. The model's own ordering starts with "report", which orders by the
# report's ordering: a join of the report, its round and its partnership in every prefetch of the measures.
MEASURE_ORDER = ("position", "id")

# Checks a later app makes before a report is shown (allocation: a forum member declares their ties for
# the round first). A gate returns where to send the person instead ('' to let them through); a list
# gate returns a filter of the reports to leave out of the person's lists and exports (None: none).
report_gates: list[Callable[[Any, NeedsReport], str]] = []
report_list_gates: list[Callable[[Any], Q | None]] = []


def visible_reports(user: Any) -> NeedsReportQuerySet:
    """Every report the user may read: index scans on partnership, round and id (no joins, no duplicates)."""
    reports = NeedsReport.objects.filter(visible_reports_q(user))
    for gate in report_list_gates:
        left_out = gate(user)
        if left_out is not None:
            reports = reports.exclude(left_out)
    return reports


def get_report_for(
    user: Any, pk: int, *, write: bool = False, light: bool = False, saving: bool = False, record: bool = False
) -> NeedsReport:
    """The report with what its page shows; 404 for strangers, 403 for readers asking to write.

    `light` loads only what a save and the checklist read (no texts of continuations, no history).
    `saving` loads only what an autosave and its checklist read (see `for_autosave`).
    `record`: the page shows a submitted report from its version, so its live rows are loaded for a draft only.
    """
    try:
        queryset = for_autosave(user) if saving else for_record() if record else with_relations(light=light)
        report = queryset.get(pk=pk)
    except NeedsReport.DoesNotExist as error:
        raise Http404 from error
    if record:
        _attach_versions(report)
    if record and report.status != NeedsReport.Status.SUBMITTED:
        # before the access check, which reads the participants' contacts too
        prefetch_related_objects([report], *_live_rows(declared=report.lk_has_declared))  # type: ignore[attr-defined]
        if not report.lk_has_declared:  # type: ignore[attr-defined]
            report._prefetched_objects_cache["declared_totals"] = report.declared_totals.none()  # type: ignore[attr-defined]
    if saving:
        _attach_measure_relations(report)
        # read by rules.is_report_contact: the annotation of for_autosave, for this user only
        report.viewer_contact = (user.pk, report.lk_viewer_is_contact)  # type: ignore[attr-defined]
    if not can_view_report(user, report):
        raise Http404
    # A writer is never sent elsewhere: an autosave knows it without a query (for_autosave's annotation).
    gates = [] if write and getattr(report, "lk_viewer_is_contact", False) else report_gates
    for gate in gates:
        if elsewhere := gate(user, report):
            raise ImmediateHttpResponse(HttpResponseRedirect(elsewhere))  # allauth's middleware returns it
    if write and not can_edit_report(user, report):
        raise PermissionDenied(_("Only the partnership's contact persons may change its needs report."))
    return report


def _live_rows(*, declared: bool = True) -> list[Any]:
    """The rows a draft's page reads besides the report itself (a submitted one reads its version).

    Not the schemes' caps: the page shows the record, not the checklist (that query pays for the one
    that reads the plans' goals and areas the measures serve, records/data.py). The declared totals
    only when there are any (an imported form's; `for_record` asks).
    """
    rows: list[Any] = [
        Prefetch("report_schemes", queryset=NeedsReportScheme.objects.select_related("scheme")),
        Prefetch(
            "partnership__participants",
            queryset=Participant.objects.select_related("organisation").prefetch_related("contacts"),
        ),
        "union_participants",
        Prefetch("measures", queryset=Measure.objects.select_related("scheme").prefetch_related("continuations")),
    ]
    if declared:
        rows.append(Prefetch("declared_totals", queryset=DeclaredTotal.objects.select_related("scheme")))
    return rows


def for_record() -> NeedsReportQuerySet:
    """Reports for their page: the report, its round's milestones, and its events with the versions they made.

    Whether the report has declared totals (only an imported one has) is asked in its own query.
    """
    events = NeedsReportEvent.objects.select_related("actor", "version__submitted_by")
    return (
        NeedsReport.objects.select_related("partnership__network__office", "round__office")
        .annotate(lk_has_declared=Exists(DeclaredTotal.objects.filter(report=OuterRef("pk"))), **read_with_report())
        .prefetch_related("round__milestones", Prefetch("events", queryset=events))
    )


def _attach_versions(report: NeedsReport) -> None:
    """The report's versions, oldest first, from its events (`for_record`): each submission made one.

    A query of their own only when a version has no event (a submission from before versions were
    kept, migration 0007): the numbers are then not 1 … n although the report was submitted.
    """
    events = list(report.events.all())
    versions = []
    for event in events:
        try:
            versions.append(event.version)  # type: ignore[attr-defined]
        except NeedsReportVersion.DoesNotExist:
            continue
    versions.sort(key=lambda v: v.number)
    submitted = NeedsReport.Status.SUBMITTED
    submitted_once = report.status == submitted or any(submitted in (e.from_status, e.to_status) for e in events)
    if submitted_once and (not versions or [v.number for v in versions] != list(range(1, len(versions) + 1))):
        versions = list(report.versions.select_related("submitted_by").order_by("number"))
    report.__dict__.setdefault("_prefetched_objects_cache", {})["versions"] = versions


def with_relations(*, light: bool = False) -> NeedsReportQuerySet:
    """Reports with everything the pages, the form and the checklist read, in a fixed number of queries."""
    measures = Measure.objects.select_related("scheme", "second_partner").order_by(*MEASURE_ORDER)
    queryset = NeedsReport.objects.select_related("partnership__network__office", "round__office").prefetch_related(
        "round__milestones",
        Prefetch(
            "report_schemes",
            queryset=NeedsReportScheme.objects.select_related("scheme").prefetch_related("scheme__caps"),
        ),
        Prefetch(
            "partnership__participants",
            queryset=Participant.objects.select_related("organisation").prefetch_related("contacts"),
        ),
        "union_participants",
    )
    if light:
        return queryset.prefetch_related(Prefetch("measures", queryset=measures))
    return queryset.prefetch_related(
        Prefetch("measures", queryset=measures.prefetch_related("continuations")),
        Prefetch("declared_totals", queryset=DeclaredTotal.objects.select_related("scheme")),
        Prefetch("events", queryset=NeedsReportEvent.objects.select_related("actor")),
    )


def for_autosave(user: Any) -> NeedsReportQuerySet:
    """Reports with what one autosave reads, in 6 queries: the report, the round's milestones, its schemes
    with their caps, the partnership's participants and the measures.

    Contact persons and union participants are not loaded: whether the user is a contact person and
    whether anyone is named for the unions are asked in the report's own query (two EXISTS). Pages
    that show them use `with_relations`.
    """
    contact = Contact.objects.filter(participant__partnership=OuterRef("partnership"), user_id=user.pk)
    return (
        NeedsReport.objects.select_related("partnership__network__office", "round__office")
        .annotate(
            lk_viewer_is_contact=Exists(contact),
            lk_has_union_participants=Exists(UnionParticipant.objects.filter(report=OuterRef("pk"))),
        )
        .prefetch_related(
            "round__milestones",
            Prefetch(
                "report_schemes",
                queryset=NeedsReportScheme.objects.select_related("scheme").prefetch_related("scheme__caps"),
            ),
            Prefetch("partnership__participants", queryset=Participant.objects.select_related("organisation")),
            Prefetch("measures", queryset=Measure.objects.order_by(*MEASURE_ORDER)),
        )
    )


def _attach_measure_relations(report: NeedsReport) -> None:
    """The measures' schemes from the report's own schemes (with their caps), and partner 2 where there is one.

    An autosave loads the measures without joins (`for_autosave`): most measures' scheme is one of the report's,
    already loaded, and few measures have a partner 2. Anything else is read in one query per relation.
    """
    schemes = {rs.scheme_id: rs.scheme for rs in report.report_schemes.all()}
    measures = list(report.measures.all())
    others = []
    for measure in measures:
        if measure.scheme_id in schemes:
            measure.scheme = schemes[measure.scheme_id]
        elif measure.scheme_id is not None:
            others.append(measure)
    prefetch_related_objects(others, "scheme")
    prefetch_related_objects([m for m in measures if m.second_partner_id is not None], "second_partner")


def get_editable_report_for(user: Any, pk: int) -> NeedsReport:
    """A report the user may change: 404 for strangers, 403 for readers."""
    return get_report_for(user, pk, write=True)


def get_reopenable_report_for(user: Any, pk: int) -> NeedsReport:
    report = get_report_for(user, pk)
    if not can_reopen_report(user, report):
        raise PermissionDenied(_("Only the network's coordinator or the Statsforvalter may reopen a needs report."))
    return report


def get_participant_account_for(user: Any, pk: int, participant: int) -> tuple[NeedsReport, Participant]:
    """A report and a participant of its partnership, for the Statsforvalter to change its account (accounts.py).

    404 for strangers to the report (or a participant of another partnership), 403 for its other readers.
    """
    report = get_report_for(user, pk, record=True)
    if not can_change_accounts_on_report(user, report):
        raise PermissionDenied(_("Only the Statsforvalter of the report's office may change an account here."))
    row = Participant.objects.select_related("organisation", "partnership").filter(pk=participant).first()
    if row is None or row.partnership_id != report.partnership_id:
        raise Http404
    return report, row


def get_network_round_for(user: Any, office: str, network: str, year: int) -> tuple[Network, Round]:
    """A network and a round of its office, for the network's overview of its reports.

    404 when there is no such network or round; 403 for everyone else than its coordinator and the
    office's Statsforvalter and forum secretariat (the network itself is public: its page is).
    """
    found = Network.objects.select_related("office").filter(office__slug=office, slug=network).first()
    if found is None:
        raise Http404
    round = Round.objects.filter(office_id=found.office_id, year=year).prefetch_related("milestones").first()
    if round is None:
        raise Http404
    round.office = found.office
    if not can_view_network_overview(user, found):
        raise PermissionDenied(
            _("Only the network's coordinator, the Statsforvalter and the forum's secretariat see this overview.")
        )
    return found, round


def partnerships_of(user: Any) -> Any:
    """The partnerships in which the user is a contact person."""
    if not getattr(user, "is_authenticated", False):
        return Partnership.objects.none()
    ids = Partnership.objects.filter(participants__contacts__user=user).values("pk")
    return Partnership.objects.filter(pk__in=ids)


def import_rounds_for(user: Any) -> list[Any]:
    """Rounds the user may import forms into: their office's (Statsforvalter) or their partnerships' offices."""
    offices = office_ids_with(user, GOVERNOR_ROLES) | set(partnerships_of(user).values_list("office_id", flat=True))
    rounds = Round.objects.select_related("office").order_by("-year")
    return list(rounds if getattr(user, "is_superuser", False) else rounds.filter(office_id__in=offices))


# ── The round's work list (the Statsforvalter's) ────────────────────────────────────────


def get_worklist_for(user: Any, office: str, year: int, *, remind: bool = False) -> Round:
    """The round whose work list the user may read (`remind`: and send its reminders); 404 unknown, 403 not theirs.

    The round itself is public (its page), so someone else is told no (403), not that it does not exist.
    """
    from .rules import can_remind_partnerships, can_view_worklist

    round = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if round is None:
        raise Http404
    if not can_view_worklist(user, round):
        raise PermissionDenied(_("Only the Statsforvalter of the office may use the round's work list."))
    if remind and not can_remind_partnerships(user, round):
        raise PermissionDenied(_("Only the Statsforvalter of the office may send reminders."))
    return round


def get_remindable_partnership_for(user: Any, office: str, year: int, pk: int) -> tuple[Round, Partnership]:
    """The round and a partnership expected in it (a report the year before), to remind; else 404.

    Whether it has a report in the round by now is the reminder's to say (it then sends nothing).
    """
    from .worklist import reported_the_year_before

    round = get_worklist_for(user, office, year, remind=True)
    partnership = reported_the_year_before(round).select_related("network").filter(pk=pk).first()
    if partnership is None:
        raise Http404
    return round, partnership
