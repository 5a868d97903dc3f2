"""The follow-up's pages: the list and its filters, a report's accept / ask for more / claim back, the claim letter
PDF, who may use them, bad input, and the number of queries."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Decision
from lokalkomp.reporting.followup_announce import latest_return
from lokalkomp.reporting.funds_testing import decide, decided, fill_in
from lokalkomp.reporting.models import Claim, FundsReport
from lokalkomp.testing import (
    add_contact,
    give_totp,
    make_measure,
    make_network,
    make_office,
    make_report,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db


def governor_of(office):
    user = make_user()
    Membership.objects.create(user=user, role=Role.CASE_OFFICER, office=office)
    give_totp(user)
    return user


def url(name, round, *args):
    return reverse(f"reporting:{name}", args=[round.office.slug, round.year, *args])


@pytest.fixture
def case():
    case = decided(amounts=((100_000, 50_000),))
    fill_in(case.report.lines.get(), used_owner=60_000, unused_proposal="return")
    case.report.submit(by=case.owner)
    case.governor = governor_of(case.round.office)
    return case


def test_the_list_shows_counts_and_links(client, case):
    client.force_login(case.governor)
    response = client.get(url("followup_list", case.round))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="followup-count-submitted" data-state="submitted" data-count="1"' in page
    assert 'id="followup-count-due" data-state="due" data-count="1"' in page
    assert f"{url('followup_report', case.round, case.report.pk)}" in page
    response = client.get(url("followup_list", case.round) + "?vis=accepted")
    assert f'data-partnership="{case.report.partnership_id}"' not in response.content.decode()


def test_the_list_stays_within_15_queries_whatever_the_size(client, django_assert_max_num_queries, case):
    for _ in range(12):
        needs = make_report(case.round)
        needs.partnership.network = make_network(case.round.office)
        needs.partnership.save(update_fields=["network"])
        decide(case.round, [make_measure(needs, 10_000, 5_000), make_measure(needs, 1_000, 0)])
        add_contact(needs, make_user(), "owner")
        FundsReport.open_for(partnership=needs.partnership, round=case.round)
    client.force_login(case.governor)
    with django_assert_max_num_queries(15):
        response = client.get(url("followup_list", case.round))
    assert response.status_code == 200
    assert 'data-state="due" data-count="13"' in response.content.decode()
    with django_assert_max_num_queries(15):
        assert client.get(url("followup_report", case.round, case.report.pk)).status_code == 200


def test_accept_writes_the_event(client, case):
    client.force_login(case.governor)
    response = client.post(url("followup_accept", case.round, case.report.pk), {"comment": ""})
    assert response.status_code == 302
    case.report.refresh_from_db()
    assert case.report.status == "accepted"
    event = case.report.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.actor_id) == ("submitted", "accepted", case.governor.pk)
    # twice: refused with a message, nothing changes
    again = client.post(url("followup_accept", case.round, case.report.pk), {"comment": ""})
    assert again.status_code == 422 and 'id="followup-error"' in again.content.decode()
    assert case.report.events.count() == 2


def test_ask_for_more_needs_a_comment_and_the_form_shows_it(client, case):
    client.force_login(case.governor)
    empty = client.post(url("followup_return", case.round, case.report.pk), {"comment": "  "})
    assert empty.status_code == 422
    case.report.refresh_from_db()
    assert case.report.status == "submitted"
    nul = client.post(url("followup_return", case.round, case.report.pk), {"comment": "a\x00b"})
    assert nul.status_code == 422
    response = client.post(url("followup_return", case.round, case.report.pk), {"comment": "Mer om elevstemmen"})
    assert response.status_code == 302
    case.report.refresh_from_db()
    assert case.report.status == "returned"
    shown = latest_return(case.report)
    assert shown is not None and shown.comment == "Mer om elevstemmen" and shown.actor_id == case.governor.pk
    case.report.submit(by=case.owner)
    assert latest_return(case.report) is None


def test_a_claim_on_the_page_makes_its_letter(client, case):
    owner = Decision.objects.get(round=case.round, side="owner")
    client.force_login(case.governor)
    response = client.post(
        url("followup_claim", case.round, case.report.pk),
        {"reason": "Ubrukte midler", f"amount_{owner.pk}": "40 000"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.total, claim.report_id, claim.made_by_id) == (40_000, case.report.pk, case.governor.pk)
    page = client.get(url("followup_report", case.round, case.report.pk)).content.decode()
    assert f'data-claim="{claim.pk}"' in page
    letter = client.get(url("followup_claim_letter", case.round, claim.pk))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(letter.content)) as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
    words = words.replace("\u00a0", " ")
    assert claim.number in words and owner.number in words and owner.recipient_name in words
    assert re.search(r"40\s000", words) and "Ubrukte midler" in words


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "x"},  # no amount
        {"reason": "", "amount": "1 000"},
        {"reason": "x", "amount": "abc"},
        {"reason": "x", "amount": "-5"},
        {"reason": "x", "amount": "99999999999999999999"},
        {"reason": "x", "amount": "100 001"},  # more than decided
        {"reason": "x\x00", "amount": "1"},
    ],
)
def test_bad_claims_get_a_message_keep_the_input_and_change_nothing(client, case, data):
    owner = Decision.objects.get(round=case.round, side="owner")
    post = {"reason": data["reason"]}
    if "amount" in data:
        post[f"amount_{owner.pk}"] = data["amount"]
    client.force_login(case.governor)
    response = client.post(url("followup_claim", case.round, case.report.pk), post)
    assert response.status_code == 422
    assert not Claim.objects.exists()
    if "amount" in data and "\x00" not in data["reason"]:
        assert f'value="{data["amount"]}"' in response.content.decode()


def test_others_are_refused(client, case):
    other_office_governor = governor_of(make_office())
    claim = Claim.make(
        case.round, lines=[(Decision.objects.get(round=case.round, side="owner"), 1)], reason="x", by=None
    )
    pages = [
        ("get", url("followup_list", case.round)),
        ("get", url("followup_report", case.round, case.report.pk)),
        ("get", url("followup_claim_letter", case.round, claim.pk)),
        ("post", url("followup_accept", case.round, case.report.pk)),
        ("post", url("followup_return", case.round, case.report.pk)),
        ("post", url("followup_claim", case.round, case.report.pk)),
    ]
    for who in (case.owner, other_office_governor):
        client.force_login(who)
        for method, address in pages:
            assert getattr(client, method)(address).status_code == 403, (who, address)
    client.logout()
    for method, address in pages:
        assert getattr(client, method)(address).status_code == 302
    client.force_login(case.governor)
    assert client.get(url("followup_report", case.round, 10**15)).status_code == 404
    assert client.get(url("followup_claim_letter", case.round, claim.pk + 999)).status_code == 404
    assert client.get(reverse("reporting:followup_list", args=[case.round.office.slug, 1999])).status_code == 404
    case.report.refresh_from_db()
    assert case.report.status == "submitted"


def test_next_years_frames_page_shows_the_accepted_transfer(client):
    case = decided(year=2024, amounts=((100_000, 50_000),))
    line = case.report.lines.get()
    fill_in(line, used_owner=80_000, unused_proposal="transfer")
    case.report.submit(by=case.owner)
    case.report.accept(by=None)
    following = make_round(office=case.round.office, year=2025, schemes=("dekomp",))
    round_scheme = following.round_schemes.get(scheme_id=line.scheme_id)
    client.force_login(governor_of(case.round.office))
    response = client.get(reverse("schemes:frames", args=[following.office.slug, following.year]))
    assert response.status_code == 200
    assert f'id="scheme-{round_scheme.pk}-transferred" data-amount="20000"' in response.content.decode()


def test_the_partnerships_form_shows_the_comment_until_it_submits_again(client, case):
    case.report.return_for_more(by=case.governor, comment="Mer om elevstemmen")
    client.force_login(case.owner)
    page = client.get(case.report.get_absolute_url()).content.decode()
    assert 'id="followup-returned"' in page and "Mer om elevstemmen" in page
    case.report.submit(by=case.owner)
    page = client.get(case.report.get_absolute_url()).content.decode()
    assert 'id="followup-returned"' not in page
