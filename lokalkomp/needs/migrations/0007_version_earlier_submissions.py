"""Keep every report submitted before versions were kept as its version 1, tied to its last submission.

Hand-written and self-contained: the serialiser below is a frozen copy of `records.serialise`
(schema 1), written against the historical models, so that this migration says the same thing
whatever the live code becomes. A report that was submitted and is now a draft again has nothing
to snapshot (what it said on the day is gone); only reports that are submitted now get a version.
"""

from django.db import migrations
from django.db.models import Prefetch
from django.utils import timezone

SCHEMA = 1
UNIT_FIELDS = ("municipal_kindergartens", "private_kindergartens", "public_schools", "private_schools", "pp_services")
NARRATIVE_FIELDS = (
    "description",
    "anchoring",
    "collective",
    "teacher_education",
    "long_term_plan",
    "owner_share_use",
    "partner_share_use",
    "coordinator_reason",
    "target_group",
)
MEASURE_FIELDS = (
    "name",
    "owner_amount",
    "partner_amount",
    "purpose",
    "needs_coordinator",
    "semesters",
    *NARRATIVE_FIELDS,
)
CONTINUATION_FIELDS = ("owner_amount", "owner_reason", "partner_amount", "partner_reason")
CONTACT_FIELDS = ("name", "function", "phone", "email")
BATCH = 200


def _scheme(scheme):
    return {"code": scheme.code, "short_name": scheme.short_name, "name": scheme.name}


def _participant(p):
    org = p.organisation
    return {
        "organisation_id": org.pk,
        "organisation": org.name,
        "short_name": org.short_name,
        "org_number": org.org_number,
        "kind": org.kind,
        "organisation_account_number": org.account_number,
        "side": p.side,
        "is_lead": p.is_lead,
        "account_number": p.account_number,
        "payment_reference": p.payment_reference,
        "contacts": [
            {"id": c.pk, "user": c.user_id, **{name: getattr(c, name) for name in CONTACT_FIELDS}}
            for c in p.contacts.all()
        ],
    }


def _measure(m):
    return {
        "id": m.pk,
        "position": m.position,
        "scheme": _scheme(m.scheme),
        **{name: getattr(m, name) for name in MEASURE_FIELDS},
        "semesters": list(m.semesters or []),
        "continued_from": m.continued_from_id,
        "continuations": [
            {"period": c.period, **{name: getattr(c, name) for name in CONTINUATION_FIELDS}}
            for c in m.continuations.all()
        ],
    }


def serialise(report):
    """The report as `records.serialise` (schema 1) writes it, from the prefetched rows of `reports`."""
    partnership = report.partnership
    return {
        "schema": SCHEMA,
        "partnership": partnership.name,
        "network": partnership.network.name if partnership.network else "",
        "participants": [_participant(p) for p in partnership.participants.all()],
        "schemes": [
            {
                **_scheme(rs.scheme),
                "co_financing_amount": rs.co_financing_amount,
                "co_financing_form": rs.co_financing_form,
            }
            for rs in report.report_schemes.all()
        ],
        "measures": [_measure(m) for m in report.measures.all()],
        "units": {name: getattr(report, name) for name in UNIT_FIELDS},
        "union_discussed": report.union_discussed,
        "union_participants": [{"id": u.pk, "role": u.role, "name": u.name} for u in report.union_participants.all()],
        "declared_totals": [
            {
                "scheme": _scheme(d.scheme) if d.scheme else None,
                "owner_amount": d.owner_amount,
                "partner_amount": d.partner_amount,
                "total_amount": d.total_amount,
            }
            for d in report.declared_totals.all()
        ],
        "unplaced_text": report.unplaced_text,
    }


def reports(apps, pks):
    """The reports with everything `serialise` reads, in the orders the live models give."""
    get = apps.get_model
    participants = (
        get("needs", "Participant")
        .objects.select_related("organisation")
        .order_by("-is_lead", "side", "organisation__name")
        .prefetch_related(Prefetch("contacts", queryset=get("needs", "Contact").objects.order_by("pk")))
    )
    by_scheme = ("scheme__valid_from", "scheme__code")
    return (
        get("needs", "NeedsReport")
        .objects.filter(pk__in=pks)
        .select_related("partnership__network")
        .prefetch_related(
            Prefetch("partnership__participants", queryset=participants),
            Prefetch(
                "report_schemes",
                queryset=get("needs", "ReportScheme").objects.select_related("scheme").order_by(*by_scheme),
            ),
            Prefetch(
                "measures",
                queryset=get("needs", "Measure")
                .objects.select_related("scheme")
                .order_by("position", "id")
                .prefetch_related(
                    Prefetch("continuations", queryset=get("needs", "Continuation").objects.order_by("period"))
                ),
            ),
            Prefetch(
                "declared_totals",
                queryset=get("needs", "DeclaredTotal").objects.select_related("scheme").order_by(*by_scheme),
            ),
            Prefetch("union_participants", queryset=get("needs", "UnionParticipant").objects.order_by("id")),
        )
    )


def snapshot_earlier_submissions(apps, schema_editor):
    NeedsReport = apps.get_model("needs", "NeedsReport")
    NeedsReportVersion = apps.get_model("needs", "NeedsReportVersion")
    ReportEvent = apps.get_model("needs", "ReportEvent")
    pks = list(
        NeedsReport.objects.filter(status="submitted", versions__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        last_submitted = {}
        for event in ReportEvent.objects.filter(report_id__in=chunk, to_status="submitted").order_by("at", "id"):
            last_submitted[event.report_id] = event  # the latest wins
        rows = []
        for report in reports(apps, chunk):
            event = last_submitted.get(report.pk)
            rows.append(
                NeedsReportVersion(
                    report_id=report.pk,
                    number=1,
                    submitted_at=event.at if event else timezone.now(),
                    submitted_by_id=event.actor_id if event else None,
                    event_id=event.pk if event else None,
                    data=serialise(report),
                )
            )
        NeedsReportVersion.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0006_import_system_comments"),
    ]

    operations = [
        migrations.RunPython(snapshot_earlier_submissions, migrations.RunPython.noop, elidable=False),
    ]
