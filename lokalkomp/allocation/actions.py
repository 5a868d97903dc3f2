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
from lokalkomp.needs.records.record import RecordedMeasure, ReportRecord
from lokalkomp.schemes.models import Round, Scheme

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


def second_partner_share(measure: RecordedMeasure | None, partner_amount: int) -> int:
    """Partner 2's part of a recommended UH amount: its share of the UH amount asked, rounded to the krone.

    The forum recommends one UH amount per measure; partner 2 (seed 002's «utviklingspartner 2») gets the
    same share of it as it asked, so a measure recommended as asked gives partner 2 exactly its part, and
    the two UH parts always add up to the recommended amount.
    """
    if measure is None or measure.second_partner is None or not measure.second_partner_amount:
        return 0
    asked = measure.partner_amount
    if asked <= 0:
        return 0
    share = min(measure.second_partner_amount, asked)
    return min((partner_amount * share * 2 + asked) // (2 * asked), partner_amount)


def plan(version: RecommendationVersion) -> list[Planned]:
    """One planned decision per recipient (organisation and side), with its lines of money, in first-seen order.

    A measure with a partner 2 splits its UH amount: partner 2 gets its share (`second_partner_share`) as a
    decision of its own, to the account number its record took from the register, and the report's UH the rest.
    """
    records: dict[tuple[int, int], ReportRecord] = {}
    planned: dict[tuple[int, str], Planned] = {}
    for line in lines_of(version):
        if not line.owner_amount and not line.partner_amount:
            continue
        key = (line.report, line.report_version or 0)
        if line.report_version is None:
            raise ValidationError(
                gettext("%(partnership)s has no submitted report to decide from.") % {"partnership": line.partnership}
            )
        if key not in records:
            report_version = NeedsReportVersion.objects.get(report_id=line.report, number=line.report_version)
            records[key] = ReportRecord.from_data(report_version.data, report_version)
        measure = next((m for m in records[key].measures if m.pk == line.measure), None)
        second = second_partner_share(measure, line.partner_amount)
        if second and measure is not None and measure.second_partner is not None:
            org = measure.second_partner
            if org.pk is None or not org.account_number:
                raise ValidationError(
                    gettext("%(org)s, partner 2 of «%(measure)s», has no account number on record to pay to.")
                    % {"org": org.name, "measure": line.name}
                )
            entry = planned.setdefault(
                (org.pk, "partner"),
                Planned(
                    recipient_id=org.pk,
                    side="partner",
                    name=org.name,
                    org_number=org.org_number,
                    account_number=org.account_number,
                    payment_reference="",
                ),
            )
            entry.lines.append((line, second))
        for side, amount in (("owner", line.owner_amount), ("partner", line.partner_amount - second)):
            if not amount:
                continue
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
        from .pool import reporting_deadline_of  # pool.py reads conditions_text from here

        deadline = reporting_deadline_of(round)
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
