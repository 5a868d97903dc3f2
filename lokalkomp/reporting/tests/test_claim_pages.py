"""A claim back followed to its end: its page, marked repaid on a date, withdrawn with why, bad input (422, the
input kept), who may use it, its effect on the payment list, and the number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lokalkomp.allocation.models import Decision, Payment
from lokalkomp.allocation.payment_export import payment_rows
from lokalkomp.reporting.funds_testing import decide, decided, fill_in
from lokalkomp.reporting.models import Claim, ClaimEvent
from lokalkomp.templatetags.nor import format_kroner
from lokalkomp.testing import make_measure, make_office, make_report, make_round

from .test_followup_pages import governor_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = decided(amounts=((100_000, 50_000),))
    fill_in(case.report.lines.get(), used_owner=60_000, used_uh=45_000, unused_proposal="return")
    case.report.submit(by=case.owner)
    case.governor = governor_of(case.round.office)
    case.owner_decision = Decision.objects.get(round=case.round, side="owner")
    case.partner_decision = Decision.objects.get(round=case.round, side="partner")
    case.claim = Claim.make(
        case.round,
        lines=[(case.owner_decision, 40_000), (case.partner_decision, 5_000)],
        reason="Ubrukte midler",
        by=case.governor,
        report=case.report,
    )
    return case


def page_of(client, case):
    response = client.get(url("followup_claim_detail", case.round, case.claim.pk))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_claim_its_lines_letter_report_and_history(client, case):
    client.force_login(case.governor)
    response = client.get(url("followup_claim_detail", case.round, case.claim.pk))
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert case.claim.number in page and "Ubrukte midler" in page
    assert 'id="claim-status" data-status="claimed"' in page
    for decision, amount in ((case.owner_decision, 40_000), (case.partner_decision, 5_000)):
        assert decision.recipient_name in page and decision.number in page
        assert f'data-amount="{amount}">{format_kroner(amount)}<' in page
    assert f'id="claim-total" data-amount="45000">{format_kroner(45_000)}<' in page
    assert f'href="{url("followup_claim_letter", case.round, case.claim.pk)}"' in page
    assert f'href="{url("followup_report", case.round, case.report.pk)}"' in page
    assert page.count('<tr data-kind="made">') == 1 and str(case.governor) in page
    assert "Krevd tilbake kr\u00a045\u00a0000" in page  # the made event's new value, as people read it
    # the date field starts at today
    assert f'name="repaid_on" value="{timezone.localdate().isoformat()}"' in page


def test_a_claim_made_on_the_decisions_alone_has_no_report_link(client, case):
    alone = Claim.make(case.round, lines=[(case.owner_decision, 1_000)], reason="Uten rapport", by=None)
    client.force_login(case.governor)
    response = client.get(url("followup_claim_detail", case.round, alone.pk))
    page = response.content.decode()
    assert response.status_code == 200 and "Uten rapport" in page
    assert 'id="claim-report"' not in page and url("followup_report", case.round, case.report.pk) not in page
    assert '<tr data-kind="made">' in page and 'id="claim-repaid-form"' in page


def test_the_report_page_links_to_the_claim(client, case):
    client.force_login(case.governor)
    page = client.get(url("followup_report", case.round, case.report.pk)).content.decode()
    assert f'href="{url("followup_claim_detail", case.round, case.claim.pk)}"' in page


def test_marking_it_repaid_sets_the_date_and_writes_the_event(client, case):
    client.force_login(case.governor)
    response = client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "02.05.2024"})
    assert response.status_code == 302
    assert response["Location"] == url("followup_claim_detail", case.round, case.claim.pk)
    case.claim.refresh_from_db()
    assert (case.claim.status, case.claim.repaid_on) == ("repaid", dt.date(2024, 5, 2))
    event = case.claim.events.order_by("-pk").first()
    assert (event.kind, event.old, event.new, event.actor_id) == (
        "repaid",
        "claimed",
        "repaid 2024-05-02",
        case.governor.pk,
    )
    followed = client.get(response["Location"])
    page = followed.content.decode()
    assert case.claim.number in "".join(str(m) for m in followed.context["messages"])
    assert 'data-status="repaid"' in page and "Tilbakebetalt 02.05.2024" in page
    assert 'name="repaid_on" value="2024-05-02"' in page  # the form shows the date it has
    # the same day again changes nothing; another day is a new event
    client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "2024-05-02"})
    assert case.claim.events.count() == 2
    client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "2024-05-03"})
    case.claim.refresh_from_db()
    assert case.claim.repaid_on == dt.date(2024, 5, 3) and case.claim.events.count() == 3


FAR = (timezone.localdate() + dt.timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv datoen det ble tilbakebetalt."),
        ("31.02.2024", "Skriv en dato som finnes, som dd.mm.åååå."),
        ("i går", "Skriv en dato som finnes, som dd.mm.åååå."),
        ("2024-05-02\x00", "Skriv en dato som finnes, som dd.mm.åååå."),
        ("1" * 5000, "Skriv en dato som finnes, som dd.mm.åååå."),
        ("01.01.1999", "Skriv en dato fra år 2000 til et år fra i dag."),
        (FAR, "Skriv en dato fra år 2000 til et år fra i dag."),  # the model refuses it
    ],
)
def test_a_bad_date_gets_a_message_keeps_the_input_and_changes_nothing(client, case, typed, message):
    client.force_login(case.governor)
    response = client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": typed})
    page = response.content.decode()
    assert response.status_code == 422 and response["Cache-Control"] == "private, no-store"
    if typed:  # the required-message is a new string (its translation is not compiled yet): only its place
        assert message in page
    else:
        assert 'id="claim-repaid-on-error"' in page and 'aria-invalid="true"' in page
    if "\x00" not in typed:
        assert f'name="repaid_on" value="{typed}"' in page
    case.claim.refresh_from_db()
    assert (case.claim.status, case.claim.repaid_on) == ("claimed", None)
    assert case.claim.events.count() == 1


def test_withdrawing_it_needs_why_and_writes_the_event(client, case):
    client.force_login(case.governor)
    response = client.post(
        url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": "Feilberegnet\r\nav oss"}
    )
    assert response.status_code == 302
    case.claim.refresh_from_db()
    assert (case.claim.status, case.claim.repaid_on) == ("withdrawn", None)
    event = case.claim.events.order_by("-pk").first()
    assert (event.kind, event.old, event.new, event.reason, event.actor_id) == (
        "withdrawn",
        "claimed",
        "withdrawn",
        "Feilberegnet\nav oss",
        case.governor.pk,
    )
    page = page_of(client, case)
    assert 'data-status="withdrawn"' in page and "Feilberegnet<br>av oss" in page
    assert 'id="claim-repaid-form"' not in page and 'id="claim-withdraw-form"' not in page
    # marking a withdrawn claim repaid is refused with the model's message; withdrawing again changes nothing
    refused = client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "2024-05-02"})
    assert refused.status_code == 422
    assert "Et krav som er trukket tilbake, kan ikke merkes tilbakebetalt." in refused.content.decode()
    again = client.post(url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": "Igjen"})
    assert again.status_code == 302
    case.claim.refresh_from_db()
    assert (case.claim.status, case.claim.events.count()) == ("withdrawn", 2)


def test_a_repaid_claim_can_still_be_withdrawn(client, case):
    case.claim.mark_repaid(on=dt.date(2024, 5, 2), by=case.governor)
    client.force_login(case.governor)
    assert client.post(url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": "Feil"}).status_code == 302
    case.claim.refresh_from_db()
    assert (case.claim.status, case.claim.repaid_on) == ("withdrawn", None)
    assert case.claim.events.order_by("-pk").first().old == "repaid 2024-05-02"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv hvorfor kravet trekkes tilbake."),
        ("   \r\n ", "Skriv hvorfor kravet trekkes tilbake."),
        ("Feil\x00", "Null-tegn er ikke tillatt."),
        ("x" * 4001, "Sørg for at denne verdien har 4000 eller færre tegn (den har nå 4001)."),
    ],
)
def test_a_bad_reason_gets_a_message_keeps_the_input_and_changes_nothing(client, case, typed, message):
    client.force_login(case.governor)
    response = client.post(url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": typed})
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    if "\x00" not in typed and typed.strip():
        assert f">{typed}</textarea>" in page
    case.claim.refresh_from_db()
    assert case.claim.status == "claimed" and case.claim.events.count() == 1


def test_the_message_is_in_the_users_language(client, case):
    client.force_login(case.governor)
    client.cookies["django_language"] = "nn"
    response = client.post(url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": " "})
    assert response.status_code == 422 and "Skriv kvifor kravet blir trekt tilbake." in response.content.decode()
    far = client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": FAR})
    assert far.status_code == 422 and "Skriv ein dato frå år 2000 til eitt år frå i dag." in far.content.decode()


def test_the_payment_list_follows_the_claim_to_its_end(client, case):
    for decision in (case.owner_decision, case.partner_decision):
        Payment.open_for(decision, by=None)
    payments = reverse("allocation:payments", args=[case.round.office.slug, case.round.year])
    client.force_login(case.governor)

    def shown():
        response = client.get(payments)
        assert response.status_code == 200
        return response.content.decode()

    page = shown()
    assert case.claim.number in page and 'id="payments-claim"' in page
    assert f'id="payments-total">{format_kroner(150_000 - 45_000)}<' in page

    client.post(url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "2024-05-02"}, follow=True)
    claims = [row for row in payment_rows(case.round) if row.kind == "claim"]
    assert sorted((row.amount, row.status) for row in claims) == [(-40_000, "repaid"), (-5_000, "repaid")]
    page = shown()
    assert f'id="payments-total">{format_kroner(150_000 - 45_000)}<' in page  # repaid: it still counts

    client.post(url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": "Feilberegnet"}, follow=True)
    assert [row for row in payment_rows(case.round) if row.kind == "claim"] == []
    page = shown()
    assert case.claim.number not in page and 'id="payments-claim"' not in page
    assert f'id="payments-total">{format_kroner(150_000)}<' in page
    # what is left to claim on the decisions is whole again
    again = Claim.make(case.round, lines=[(case.owner_decision, 100_000)], reason="Alt", by=None)
    assert again.total == 100_000


def test_others_are_refused(client, case):
    other_office_governor = governor_of(make_office())
    pages = [
        ("get", url("followup_claim_detail", case.round, case.claim.pk), {}),
        ("post", url("followup_claim_repaid", case.round, case.claim.pk), {"repaid_on": "2024-05-02"}),
        ("post", url("followup_claim_withdraw", case.round, case.claim.pk), {"reason": "Feil"}),
    ]
    for who in (case.owner, case.partner, other_office_governor):
        client.force_login(who)
        for method, address, data in pages:
            assert getattr(client, method)(address, data).status_code == 403, (who, address)
    client.logout()
    for method, address, data in pages:
        response = getattr(client, method)(address, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    case.claim.refresh_from_db()
    assert case.claim.status == "claimed" and case.claim.events.count() == 1


def test_a_claim_of_another_round_or_no_claim_is_404(client, case):
    other = decided(amounts=((10_000, 0),))
    foreign = Claim.make(
        other.round, lines=[(Decision.objects.get(round=other.round, side="owner"), 1)], reason="x", by=None
    )
    same_office_round = make_round(office=case.round.office, year=case.round.year + 1)
    client.force_login(case.governor)
    for address in (
        url("followup_claim_detail", case.round, foreign.pk),
        url("followup_claim_detail", same_office_round, case.claim.pk),  # the office's, but another year's
        url("followup_claim_detail", case.round, 10**15),
        url("followup_claim_repaid", case.round, foreign.pk),
        url("followup_claim_withdraw", case.round, foreign.pk),
    ):
        method = client.get if "tilbakebetalt" not in address and "trekk" not in address else client.post
        assert method(address, {"repaid_on": "2024-05-02", "reason": "x"}).status_code == 404, address
    foreign.refresh_from_db()
    assert foreign.status == "claimed"


def test_the_wrong_method_is_refused(client, case):
    client.force_login(case.governor)
    assert client.post(url("followup_claim_detail", case.round, case.claim.pk)).status_code == 405
    assert client.get(url("followup_claim_repaid", case.round, case.claim.pk)).status_code == 405
    assert client.get(url("followup_claim_withdraw", case.round, case.claim.pk)).status_code == 405


def test_the_page_stays_within_15_queries_whatever_the_size(client, django_assert_max_num_queries, case):
    for _ in range(10):
        needs = make_report(case.round)
        decide(case.round, [make_measure(needs, 10_000, 5_000)])
    decisions = Decision.objects.filter(round=case.round).exclude(
        pk__in=[case.owner_decision.pk, case.partner_decision.pk]
    )
    big = Claim.make(case.round, lines=[(d, 1_000) for d in decisions], reason="Mange", by=None, report=case.report)
    big.mark_repaid(on=dt.date(2024, 5, 2), by=case.governor)
    big.mark_repaid(on=dt.date(2024, 5, 3), by=case.governor)
    big.withdraw(by=case.governor, reason="Feil")
    assert big.lines.count() == 20 and ClaimEvent.objects.filter(claim=big).count() == 4
    client.force_login(case.governor)
    with django_assert_max_num_queries(15):
        response = client.get(url("followup_claim_detail", case.round, big.pk))
    assert response.status_code == 200
    assert response.content.decode().count("<tr data-line=") == 20
