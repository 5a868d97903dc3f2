"""Decision letters (vedtaksbrev) by e-mail: queued in the Statsforvalter's request, made and sent by the worker.

The round is the steps' round (two measures, each partnership with its own owner and UH), made
final; each submitted report is recorded again with its contacts, so that the letters go to the
contacts of the submitted record.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation import announce
from lokalkomp.allocation.actions import decide_round
from lokalkomp.allocation.models import Decision, DecisionEvent
from lokalkomp.allocation.models.frame_line import FrameLine
from lokalkomp.allocation.pool import decide_extra
from lokalkomp.allocation.tests.payment_helpers import make_uh, pool_decision
from lokalkomp.allocation.tests.steps_helpers import StepRound, make_step_round, take
from lokalkomp.directory.models import LanguageForm
from lokalkomp.needs.models import Contact, Measure
from lokalkomp.notifications.actions import notify_decision_letters
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.tasks import enqueue_delivery
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import add_contact, make_municipality, make_user

from .conftest import server_down

pytestmark = pytest.mark.cast(year=2024)
SITE = "https://lokalkomp.example.no"
LETTER = Notification.Kind.DECISION_LETTER


@dataclass
class Letters:
    steps: StepRound
    round: Any
    governor: Any
    # the addresses each recipient's letter goes to, by (measure name, side)
    addresses: dict[tuple[str, str], list[str]]


def with_contacts(
    measure: Measure, tag: str, owner_people: int = 1, uh_address: bool = True
) -> dict[tuple[str, str], list[str]]:
    """Contacts for the measure's owner and UH, recorded as the report's next version (what the decision reads)."""
    report = measure.report
    owners = [make_user(f"eier-{tag}{n}@letters.test") for n in range(owner_people)]
    for user in owners:
        add_contact(report, user, "owner")
    uh = make_user(f"uh-{tag}@letters.test")
    contact = add_contact(report, uh, "partner")
    if not uh_address:
        Contact.objects.filter(pk=contact.pk).update(email="")
    report.record_version(by=None)
    return {(measure.name, "owner"): [u.email for u in owners], (measure.name, "partner"): [uh.email]}


def build(cast: Any, *, uh_b_address: bool = True) -> Letters:
    steps = make_step_round(cast)
    addresses = with_contacts(steps.a, "a", owner_people=2) | with_contacts(steps.b, "b", uh_address=uh_b_address)
    nynorsk = make_municipality(steps.round.office)
    nynorsk.language_form = LanguageForm.NYNORSK
    nynorsk.save()
    owner_b = steps.b.report.partnership.participants.get(side="owner").organisation
    owner_b.municipality = nynorsk
    owner_b.save()
    take(steps, "preliminary")
    take(steps, "final")
    return Letters(steps=steps, round=steps.round, governor=cast.governor, addresses=addresses)


@pytest.fixture
def r(cast, settings) -> Letters:
    settings.SITE_URL = SITE
    return build(cast)


def decide(r: Letters, capture: Any) -> list[Decision]:
    with capture(execute=True):
        return decide_round(round=r.round, by=r.governor)


def decision_of(r: Letters, measure: Measure, side: str) -> Decision:
    return Decision.objects.get(round=r.round, lines__measure=measure, side=side)


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_deciding_queues_one_letter_per_recipient_and_sends_nothing_in_the_request(
    r, mailoutbox, django_capture_on_commit_callbacks
):
    decisions = decide(r, django_capture_on_commit_callbacks)
    letters = Notification.objects.filter(kind=LETTER)
    assert len(decisions) == 4
    assert sorted(n.context["decision"] for n in letters) == sorted(d.pk for d in decisions)
    assert {n.status for n in letters} == {Notification.Status.QUEUED}
    assert mailoutbox == []
    assert not DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT).exists()
    # One task for all the letters in the request; the worker fans it out.
    assert DBTaskResult.objects.count() == 1


def test_the_worker_sends_each_letter_with_its_pdf_to_the_recipients_contacts_on_record(
    r, mailoutbox, django_capture_on_commit_callbacks
):
    decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert len(mailoutbox) == 4
    for (name, side), addresses in r.addresses.items():
        measure = r.steps.a if name == r.steps.a.name else r.steps.b
        decision = decision_of(r, measure, side)
        (mail,) = [m for m in mailoutbox if decision.number in m.subject]
        assert mail.to == addresses
        ((filename, content, mimetype),) = mail.attachments
        assert (filename.endswith(".pdf"), mimetype) == (True, "application/pdf")
        assert content.startswith(b"%PDF") and decision.number in pdf_text(content)
        page = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, decision.pk])
        assert f"{SITE}{page}" in mail.body and f'href="{SITE}{page}"' in mail.alternatives[0][0]
        assert f"{SITE}{reverse('allocation:my_decisions')}" in mail.body
    assert set(Notification.objects.filter(kind=LETTER).values_list("status", flat=True)) == {"sent"}


def test_a_contact_added_to_the_partnership_after_submission_gets_no_letter(
    r, mailoutbox, django_capture_on_commit_callbacks
):
    later = make_user("senere@letters.test")
    add_contact(r.steps.a.report, later, "owner")
    decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert all(later.email not in m.to for m in mailoutbox)
    assert mailoutbox, "the letters went to those on record"


def test_a_recipient_in_a_nynorsk_municipality_gets_its_letter_in_nynorsk(
    r, mailoutbox, django_capture_on_commit_callbacks
):
    decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    nynorsk = decision_of(r, r.steps.b, "owner")
    bokmal = decision_of(r, r.steps.a, "owner")
    assert (nynorsk.language_form, bokmal.language_form) == ("nn", "nb")
    for decision, language in ((nynorsk, "nn"), (bokmal, "nb")):
        (mail,) = [m for m in mailoutbox if decision.number in m.subject]
        assert mail.extra_headers["Content-Language"] == language
        with translation.override(language):
            decided = gettext("Decided")
        assert decided in pdf_text(mail.attachments[0][1])
    with translation.override("nn"):
        nn_decided = gettext("Decided")
    with translation.override("nb"):
        assert nn_decided != gettext("Decided"), "the catalogues tell the two forms apart"


def test_the_letter_sent_event_is_written_once_with_when_and_to_whom(
    r, mailoutbox, client, django_capture_on_commit_callbacks
):
    decide(r, django_capture_on_commit_callbacks)
    decision = decision_of(r, r.steps.a, "owner")
    client.force_login(r.governor)
    page = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, decision.pk])
    before = client.get(page).content.decode()
    with translation.override("nb"):
        assert gettext("Not yet") in before
    run_queued_tasks()
    run_queued_tasks()
    (event,) = DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.LETTER_SENT)
    sent = Notification.objects.get(kind=LETTER, context__decision=decision.pk)
    assert (event.actor, event.at, event.sent_to) == (None, sent.sent_at, r.addresses[(r.steps.a.name, "owner")])
    assert DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT).count() == 4
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    shown = html.split('id="decision-letter-sent"')[1].split("</dd>")[0]
    assert all(address in shown for address in event.sent_to)
    assert timezone.localtime(event.at).strftime("%d.%m.%Y") in shown


def test_queueing_again_or_a_second_task_sends_nothing_twice(r, mailoutbox, django_capture_on_commit_callbacks):
    decisions = decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert len(mailoutbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_decision_letters(decisions) == 0, "a retried request queues nothing new"
        for pk in Notification.objects.filter(kind=LETTER).values_list("pk", flat=True):
            enqueue_delivery(pk)  # a copy of the task (a second worker, the sweep)
    run_queued_tasks()
    assert len(mailoutbox) == 4
    assert DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT).count() == 4


def test_a_letter_the_server_refused_is_sent_once_on_the_retry_with_one_event(
    r, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    decide(r, django_capture_on_commit_callbacks)
    mail_server.failure = server_down()
    run_queued_tasks()
    assert mailoutbox == []
    assert not DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT).exists()
    mail_server.failure = None
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        run_queued_tasks()
    assert len(mailoutbox) == 4
    assert DecisionEvent.objects.filter(kind=DecisionEvent.Kind.LETTER_SENT).count() == 4


def test_pool_and_extra_decisions_are_emailed_with_their_letters(r, mailoutbox, django_capture_on_commit_callbacks):
    decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    mailoutbox.clear()
    uh = make_uh("Poolhøgskolen")
    member = make_user("pool@letters.test")
    Membership.objects.create(user=member, role=Role.PARTNER_CONTACT, organisation=uh)
    scheme = r.round.schemes.order_by("pk").first()
    owner_a = r.steps.a.report.partnership.participants.get(side="owner").organisation
    FrameLine.put(round=r.round, scheme=scheme, kind=FrameLine.Kind.EXTRA, amount=90_000, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        pool = pool_decision(r.round, amount=50_000, recipient=uh, by=r.governor)
        extra = decide_extra(
            round=r.round,
            recipient=owner_a,
            scheme=scheme,
            amount=40_000,
            reason="Ubrukte midler",
            measure=r.steps.a,
            by=r.governor,
        )
    assert Notification.objects.filter(kind=LETTER, context__decision__in=[pool.pk, extra.pk]).count() == 2
    run_queued_tasks()
    assert len(mailoutbox) == 2
    (pool_mail,) = [m for m in mailoutbox if pool.number in m.subject]
    (extra_mail,) = [m for m in mailoutbox if extra.number in m.subject]
    assert pool_mail.to == [member.email], "a pool partner outside the reports gets it at its members' addresses"
    assert extra_mail.to == r.addresses[(r.steps.a.name, "owner")], "the measure's report's contacts on record"
    text = pdf_text(pool_mail.attachments[0][1])
    assert pool.number in text and "Langsiktig partnerskap" in text
    with translation.override(pool.language_form):
        assert str(Decision.Kind.POOL.label) in text, "the letter says what kind of decision it is"
    assert pool.conditions and " ".join(pool.conditions.split()) in " ".join(text.split()), "the scheme's conditions"
    assert DecisionEvent.objects.filter(decision__in=[pool, extra], kind=DecisionEvent.Kind.LETTER_SENT).count() == 2


def test_a_failing_listener_rolls_the_decisions_and_their_letters_back(r, monkeypatch):
    def refuse(**keywords: Any) -> None:
        raise RuntimeError("the mail queue is down")

    name = announce.DECISIONS_MADE
    monkeypatch.setitem(announce._listeners, name, [*announce.listeners(name), refuse])
    with pytest.raises(RuntimeError):
        decide_round(round=r.round, by=r.governor)
    assert not Decision.objects.filter(round=r.round).exists()
    assert not Notification.objects.filter(kind=LETTER).exists()


def test_queueing_the_letters_takes_a_fixed_number_of_queries(r, monkeypatch):
    monkeypatch.setitem(announce._listeners, announce.DECISIONS_MADE, [])
    decisions = decide_round(round=r.round, by=r.governor)
    with CaptureQueriesContext(connection) as queries:
        assert notify_decision_letters(decisions) == 4
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]


def test_a_recipient_without_any_address_gets_no_message_and_the_others_theirs(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    r = build(cast, uh_b_address=False)  # the UH of measure b: a contact without an address on record, no members
    decide(r, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert len(mailoutbox) == 3
    assert not Notification.objects.filter(context__decision=decision_of(r, r.steps.b, "partner").pk).exists()


def test_a_letter_whose_pdf_is_not_ready_in_time_waits_for_the_next_attempt_and_never_goes_without(
    r, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from lokalkomp.allocation import decision_documents

    decide(r, django_capture_on_commit_callbacks)
    monkeypatch.setattr(decision_documents, "PDF_SECONDS", 0.000001)
    run_queued_tasks()
    assert mailoutbox == []
    letters = Notification.objects.filter(kind=LETTER)
    assert {(n.status, n.attempts) for n in letters} == {(Notification.Status.QUEUED, 1)}
    assert all("PdfTimeout" in n.last_error for n in letters)
    monkeypatch.setattr(decision_documents, "PDF_SECONDS", 60)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        run_queued_tasks()
    assert len(mailoutbox) == 4 and all(m.attachments for m in mailoutbox)
