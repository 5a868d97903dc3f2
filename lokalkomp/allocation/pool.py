"""Decisions beside the recommendation: Trøndelag's pool (seed 002) and the extra allocation (seed 004).

A pool decision goes to a UH or fagskole for the pool's long-term support in analysis and planning,
outside any needs report, from the pool's own frame line (`FrameLine.Kind.POOL`) of a scheme. An
extra allocation later in the year (29 September in Nordland) grants from what the ordinary
decisions left of a frame plus new money (`FrameLine.Kind.EXTRA`), to an owner or a UH, for one of
the round's measures or none. Neither touches an earlier decision: each is a new decision (kind
«pool» or «extra») with its number, its line and its payment, counted apart by the reconciliation.

The accounts are the directory's on the day (the organisation's number and account), kept in the
decision as its record. Two decisions of one round take turns (the round's row is locked), so two
people cannot spend the same money twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Organisation
from lokalkomp.schemes.models import Round, Scheme
from lokalkomp.templatetags.nor import format_kroner

from . import announce
from .actions import conditions_text
from .models.compilation import clean_text
from .models.decision import Decision, DecisionEvent, DecisionLine
from .models.frame_line import FrameLine
from .models.payment import REFERENCE_MAX, Payment
from .reconciliation import POOL, available_for_extra, available_in_pool

DESCRIPTION_MAX = 500
TEXT_MAX = 5000


@dataclass(frozen=True)
class SchemeMoney:
    """One scheme of the round as the pool's or the extra allocation's page shows it."""

    scheme: Scheme
    frame: int | None  # the round scheme's frame
    line: int  # the pool's frame line, or the new money
    left: int  # what may still be decided


def frame_lines(round: Round, kind: str) -> dict[int, FrameLine]:
    """The round's lines of this kind by scheme (pk)."""
    return {line.scheme_id: line for line in FrameLine.objects.filter(round=round, kind=kind)}


def scheme_money(round: Round, kind: str) -> list[SchemeMoney]:
    lines = frame_lines(round, kind)
    left = available_in_pool(round) if kind == POOL else available_for_extra(round)
    return [
        SchemeMoney(
            scheme=rs.scheme,
            frame=rs.budget,
            line=lines[rs.scheme_id].amount if rs.scheme_id in lines else 0,
            left=left.get(rs.scheme_id, 0),
        )
        for rs in round.round_schemes.select_related("scheme").order_by("scheme__code")
    ]


def decide_pool(
    *,
    round: Round,
    recipient: Organisation,
    scheme: Scheme,
    amount: int,
    description: str,
    by: Any,
    conditions: str = "",
    reference: str = "",
    now: dt.datetime | None = None,
) -> Decision:
    """A decision to a UH/fagskole for the pool's support, within what the pool's line of the scheme has left."""
    if recipient.kind not in Organisation.PARTNER_KINDS:
        raise ValidationError(_("The pool's partners are universities, university colleges and fagskoler."))
    description = clean_text(description, limit=DESCRIPTION_MAX, required=True, label=_("a description"))
    with transaction.atomic():
        _lock(round, scheme)
        left = available_in_pool(round).get(scheme.pk, 0)
        if amount > left:
            raise ValidationError(
                _("The pool's frame line of %(scheme)s has %(left)s left; the decision is %(amount)s.")
                % {"scheme": scheme.short_name, "left": format_kroner(max(left, 0)), "amount": format_kroner(amount)}
            )
        return _decide(
            round=round,
            kind=Decision.Kind.POOL,
            recipient=recipient,
            side="partner",
            scheme=scheme,
            measure=None,
            amount=amount,
            description=description,
            conditions=conditions,
            note="",
            reference=reference,
            by=by,
            now=now,
        )


def decide_extra(
    *,
    round: Round,
    recipient: Organisation,
    scheme: Scheme,
    amount: int,
    reason: str,
    by: Any,
    measure: Any = None,
    reference: str = "",
    now: dt.datetime | None = None,
) -> Decision:
    """An extra allocation's decision, within what the ordinary decisions left of the frame plus new money."""
    if recipient.kind in Organisation.OWNER_KINDS:
        side = "owner"
    elif recipient.kind in Organisation.PARTNER_KINDS:
        side = "partner"
    else:
        raise ValidationError(_("An extra allocation goes to an owner or to a UH or fagskole."))
    reason = clean_text(reason, limit=TEXT_MAX, required=True, label=_("the reason"))
    if measure is not None and (measure.report.round_id != round.pk or measure.scheme_id != scheme.pk):
        raise ValidationError(_("The measure is not one of this round's in the scheme chosen."))
    with transaction.atomic():
        _lock(round, scheme)
        left = available_for_extra(round).get(scheme.pk, 0)
        if amount > left:
            raise ValidationError(
                _("%(scheme)s has %(left)s left of its frame and new money; the decision is %(amount)s.")
                % {"scheme": scheme.short_name, "left": format_kroner(max(left, 0)), "amount": format_kroner(amount)}
            )
        return _decide(
            round=round,
            kind=Decision.Kind.EXTRA,
            recipient=recipient,
            side=side,
            scheme=scheme,
            measure=measure,
            amount=amount,
            description=measure.name if measure is not None else _("Extra allocation"),
            conditions="",
            note=reason,
            reference=reference,
            by=by,
            now=now,
        )


def _lock(round: Round, scheme: Scheme) -> None:
    """Decisions of one round take turns; the scheme must be one of the round's."""
    list(Round.objects.select_for_update().filter(pk=round.pk).values_list("pk"))
    if not round.round_schemes.filter(scheme=scheme).exists():
        raise ValidationError(_("The scheme is not one of this round's."))


def _decide(
    *,
    round: Round,
    kind: str,
    recipient: Organisation,
    side: str,
    scheme: Scheme,
    measure: Any,
    amount: int,
    description: str,
    conditions: str,
    note: str,
    reference: str,
    by: Any,
    now: dt.datetime | None,
) -> Decision:
    """The decision with its one line, its event and its payment (the caller holds the round's lock)."""
    if not 0 < amount <= 10**10:
        raise ValidationError(_("An amount is whole kroner from 1 to 10 000 000 000."))
    language_form = language_form_of(round, recipient)
    # The letter states the grant's conditions: without any typed, the scheme's standard ones, as ordinary decisions.
    conditions = clean_text(conditions, limit=TEXT_MAX) or conditions_text(scheme, language_form)
    reference = clean_text(reference, limit=REFERENCE_MAX)
    at = now or timezone.now()
    actor = by if getattr(by, "pk", None) else None
    decision = Decision.objects.create(
        round=round,
        number=number_for(round, kind),
        kind=kind,
        recipient=recipient,
        recipient_name=recipient.name,
        org_number=recipient.org_number,
        account_number=recipient.account_number,
        payment_reference=reference,
        side=side,
        conditions=conditions,
        decided_at=at,
        decided_by=actor,
        note=note,
        language_form=language_form,
        reporting_deadline=reporting_deadline_of(round),
    )
    DecisionLine.objects.create(
        decision=decision, measure=measure, scheme=scheme, description=description[:DESCRIPTION_MAX], amount=amount
    )
    DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.DECIDED, at=at, actor=actor)
    Payment.open_for(decision, by=by)
    # As the ordinary decisions: the apps after allocation hear of it in this transaction (the letter by e-mail).
    announce.announce(announce.DECISIONS_MADE, round=round, decisions=[decision], by=actor)
    return decision


# A pool decision is «P», an extra allocation's «T» (tilleggstildeling): their own series beside the ordinary ones.
NUMBER_LETTER = {"pool": "P", "extra": "T"}


def number_for(round: Round, kind: str) -> str:
    """The next number of the kind in the round, e.g. «2024-NORDLAND-P001» (the caller holds the round's lock)."""
    count = Decision.objects.filter(round=round, kind=kind).count()
    return f"{round.year}-{round.office.slug.upper()}-{NUMBER_LETTER[kind]}{count + 1:03d}"


def language_form_of(round: Round, recipient: Organisation | None = None) -> str:
    """Nynorsk for a recipient in a nynorsk municipality (as the ordinary decisions); else the office's language
    form; without one, nynorsk where most of its municipalities write it, else bokmål."""
    from django.db.models import Count

    from lokalkomp.directory.models import LanguageForm, Municipality

    nynorsk_here = Municipality.objects.filter(language_form=LanguageForm.NYNORSK)
    if (
        recipient is not None
        and recipient.municipality_id
        and nynorsk_here.filter(pk=recipient.municipality_id).exists()
    ):
        return "nn"
    own = getattr(round.office, "language_form", "")
    if own in ("nb", "nn"):
        return str(own)
    forms = dict(
        Municipality.objects.filter(county__office_id=round.office_id)
        .values_list("language_form")
        .annotate(n=Count("pk"))
        .order_by()
    )
    nynorsk, bokmal = forms.get(LanguageForm.NYNORSK, 0), forms.get(LanguageForm.BOKMAL, 0)
    return "nn" if nynorsk > bokmal else "nb"


def reporting_deadline_of(round: Round) -> dt.date | None:
    """When the round's grants are reported on: the next year's «reports due» milestone in the office (seed 004:
    the 2024 cycle's 17 June is the deadline for the funds granted in 2023), else the round's own; the same rule
    as reporting's `FundsReport.due_on`. One query."""
    from lokalkomp.schemes.models import Milestone, Transition

    milestone = (
        Milestone.objects.filter(
            round__office_id=round.office_id,
            round__year__in=[round.year, round.year + 1],
            governs=Transition.REPORTS_DUE,
        )
        .order_by("-round__year", "starts_on")
        .first()
    )
    return milestone.starts_on if milestone else None
