"""Actions that span several allocation models: the Statsforvalter's decisions for a round.

`decide_round` reads the main recommendation's final version (never the live lines) and writes one
decision per recipient: the owner side's lead organisation of each report gets the owner amounts,
the partner (UH) side's lead the partner amounts. The recipient's name, numbers and account are
those of the submitted report's version the recommendation recorded. Everything happens in one
transaction: the decisions, their lines and events, the payments and the e-mails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from lokalkomp.directory.models import LanguageForm, Organisation
from lokalkomp.needs.models import NeedsReportVersion
from lokalkomp.needs.records.record import ReportRecord
from lokalkomp.schemes.models import Round, Scheme, Transition

from . import announce
from .models import Decision, DecisionEvent, DecisionLine, Recommendation, RecommendationVersion
from .recommendation_record import RecordedLine, lines_of


@dataclass
class Planned:
    """One recipient's decision before it is written."""

    recipient_id: int
    side: str
    name: str
    org_number: str
    account_number: str
    payment_reference: str
    lines: list[tuple[RecordedLine, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(amount for _, amount in self.lines)


def final_version(round: Round) -> RecommendationVersion | None:
    """The main recommendation's final version in the round, or None."""
    recommendation = Recommendation.objects.main().in_round(round).first()
    if recommendation is None:
        return None
    return (
        recommendation.versions.filter(status=Recommendation.Status.FINAL).order_by("-number").first()  # type: ignore[attr-defined]
    )


def conditions_text(scheme: Scheme, language_form: str) -> str:
    """The standard conditions of a grant from the scheme: regulation, co-financing, reporting duty."""
    with translation.override(language_form):
        parts = [gettext("The grant is given under %(regulation)s.") % {"regulation": scheme.regulation or scheme.name}]
        if scheme.co_financing_percent:
            parts.append(
                gettext("The recipient co-finances at least %(percent)s per cent.")
                % {"percent": scheme.co_financing_percent}
            )
        parts.append(gettext("The recipient reports on the use of the funds by the reporting deadline."))
        return " ".join(parts)


def plan(version: RecommendationVersion) -> list[Planned]:
    """One planned decision per recipient (organisation and side), with its lines of money, in first-seen order."""
    records: dict[tuple[int, int], ReportRecord] = {}
    planned: dict[tuple[int, str], Planned] = {}
    for line in lines_of(version):
        for side, amount in (("owner", line.owner_amount), ("partner", line.partner_amount)):
            if not amount:
                continue
            key = (line.report, line.report_version or 0)
            if line.report_version is None:
                raise ValidationError(
                    gettext("%(partnership)s has no submitted report to decide from.")
                    % {"partnership": line.partnership}
                )
            if key not in records:
                report_version = NeedsReportVersion.objects.get(report_id=line.report, number=line.report_version)
                records[key] = ReportRecord.from_data(report_version.data, report_version)
            lead = records[key].lead(side)
            if lead is None or lead.organisation.pk is None:
                raise ValidationError(
                    gettext("%(partnership)s has no organisation on that side to decide for.")
                    % {"partnership": line.partnership}
                )
            entry = planned.setdefault(
                (lead.organisation.pk, side),
                Planned(
                    recipient_id=lead.organisation.pk,
                    side=side,
                    name=lead.organisation.name,
                    org_number=lead.organisation.org_number,
                    account_number=lead.account_number or lead.organisation.account_number,
                    payment_reference=lead.payment_reference,
                ),
            )
            entry.lines.append((line, amount))
    return list(planned.values())


def decide_round(*, round: Round, by: Any, now: dt.datetime | None = None) -> list[Decision]:
    """The round's decisions, one per recipient, from the final recommendation; ValidationError if not possible."""
    now = now or timezone.now()
    actor = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()
        if Decision.objects.in_round(round).filter(kind=Decision.Kind.ORDINARY).exists():
            raise ValidationError(gettext("The round's decisions have been made already."))
        version = final_version(round)
        if version is None:
            raise ValidationError(gettext("There is no final recommendation to decide from."))
        office = round.office
        planned = plan(version)
        nynorsk = set(
            Organisation.objects.filter(
                pk__in=[entry.recipient_id for entry in planned], municipality__language_form=LanguageForm.NYNORSK
            ).values_list("pk", flat=True)
        )
        milestone = round.deadline(Transition.REPORTS_DUE)
        deadline = milestone.starts_on if milestone else None
        schemes = {s.code: s for s in Scheme.objects.all()}
        decisions: list[Decision] = []
        for n, entry in enumerate(planned, start=1):
            language_form = "nn" if entry.recipient_id in nynorsk else "nb"
            codes = list(dict.fromkeys(line.scheme_code for line, _ in entry.lines))
            decision = Decision.objects.create(
                round=round,
                number=f"{round.year}-{office.slug.upper()}-{n:03d}",
                kind=Decision.Kind.ORDINARY,
                recipient_id=entry.recipient_id,
                recipient_name=entry.name,
                org_number=entry.org_number,
                account_number=entry.account_number,
                payment_reference=entry.payment_reference,
                side=entry.side,
                language_form=language_form,
                reporting_deadline=deadline,
                conditions="\n".join(conditions_text(schemes[c], language_form) for c in codes if c in schemes),
                recommendation_version=version,
                decided_at=now,
                decided_by=actor,
            )
            for line, amount in entry.lines:
                DecisionLine.objects.create(
                    decision=decision,
                    measure_id=line.measure,
                    scheme=schemes[line.scheme_code],
                    description=line.name[:500],
                    amount=amount,
                )
            DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.DECIDED, at=now, actor=actor)
            decisions.append(decision)
        from .models.payment import Payment

        for decision in decisions:
            Payment.open_for(decision, by=by)
        announce.announce(announce.DECISIONS_MADE, round=round, decisions=decisions, by=actor)
    return decisions
