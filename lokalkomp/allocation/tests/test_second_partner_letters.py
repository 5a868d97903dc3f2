"""Partner 2's decision letter: its address block is the record's partner 2 (name and org. number as submitted),
and, with no contact person on the record (partner 2 is outside the partnership), it goes by e-mail to the
organisation's members, or else the decision page says it must be sent by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Organisation
from lokalkomp.notifications.models import Notification
from lokalkomp.testing import make_organisation, make_user

from ..actions import decide_round
from ..decision_documents import letter_html
from ..letters import letter_contacts, sent_by_hand
from ..models import Decision
from .steps_helpers import as_asked, make_step_round, take
from .test_second_partner_decisions import submitted_with_partner_2

pytestmark = pytest.mark.cast(year=2024)
BY_HAND = (
    "This letter has no e-mail address: the submitted report names no contact person for the recipient, and the "
    "organisation has no member with an account. It is not sent by e-mail. Send the letter (PDF below) by hand."
)


@pytest.fixture
def ntnu():
    return make_organisation(
        Organisation.Kind.UNIVERSITY, name="NTNU", org_number="974767880", account_number="15032080119"
    )


@pytest.fixture
def r(cast, ntnu):
    """The steps' round with «Regning» (50 000 + 90 000, of which 30 000 to NTNU as partner 2), recommended as
    asked; not yet decided."""
    c = submitted_with_partner_2(cast, 50_000, 90_000, ntnu, 30_000, "Regning")
    step_round = make_step_round(cast)
    as_asked(step_round.recommendation, c)
    step_round.c = c
    return step_round


def decide(r) -> list[Decision]:
    take(r, "preliminary")
    take(r, "final")
    return decide_round(round=r.round, by=r.cast.governor)


def partner_2s(r, ntnu) -> Decision:
    return Decision.objects.with_totals().select_related("round__office").get(round=r.round, recipient=ntnu)


def page(client, r, decision):
    client.force_login(r.cast.governor)
    with translation.override("en"):
        url = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, decision.pk])
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_the_address_block_is_partner_2_as_recorded_at_submission(r, ntnu):
    Organisation.objects.filter(pk=ntnu.pk).update(name="Noregs teknisk-naturvitskaplege universitet")
    decide(r)
    decision = partner_2s(r, ntnu)
    assert (decision.recipient_name, decision.org_number) == ("NTNU", "974767880")
    html = letter_html(decision)
    assert "<p>NTNU, " in html and "974767880" in html
    assert "Noregs teknisk" not in html


def test_without_members_the_letter_is_not_e_mailed_and_the_page_says_send_it_by_hand(client, r, ntnu):
    decide(r)
    decision = partner_2s(r, ntnu)
    assert decision.pk not in letter_contacts([decision])
    assert sent_by_hand([decision]) == {decision.pk}
    assert not Notification.objects.filter(kind=Notification.Kind.DECISION_LETTER, context__decision=decision.pk)
    response = page(client, r, decision)
    assert response.status_code == 200
    assert response.context["by_hand"] is True
    with translation.override(response.wsgi_request.LANGUAGE_CODE):  # the page's language (bokmål)
        assert escape(gettext(BY_HAND)) in response.content.decode()
    assert 'id="decision-by-hand"' in response.content.decode()


def test_with_a_member_the_letter_goes_to_the_members_address(client, r, ntnu):
    member = make_user("post@ntnu.no")
    Membership.objects.create(user=member, role=Role.PARTNER_CONTACT, organisation=ntnu)
    retired = make_user("gone@ntnu.no", is_active=False)
    Membership.objects.create(user=retired, role=Role.PARTNER_CONTACT, organisation=ntnu)
    decide(r)
    decision = partner_2s(r, ntnu)
    contacts = letter_contacts([decision])[decision.pk]
    assert [(c.email, c.user) for c in contacts] == [("post@ntnu.no", member)]
    assert sent_by_hand([decision]) == set()
    queued = Notification.objects.get(kind=Notification.Kind.DECISION_LETTER, context__decision=decision.pk)
    assert (queued.email, queued.context["to"]) == ("post@ntnu.no", ["post@ntnu.no"])
    response = page(client, r, decision)
    assert response.context["by_hand"] is False
    assert 'id="decision-by-hand"' not in response.content.decode()


def test_the_reports_own_uh_without_any_address_is_marked_by_hand_too_and_with_one_is_not(client, r, ntnu):
    decisions = decide(r)
    own = [d for d in decisions if d.recipient_id != ntnu.pk and d.side == "partner"]
    assert own
    found = letter_contacts(own)
    assert sent_by_hand(own) == {d.pk for d in own if d.pk not in found}
    for decision in own:
        assert page(client, r, decision).context["by_hand"] is (decision.pk not in found)


def test_the_decision_page_stays_within_the_query_budget(client, r, ntnu, django_assert_max_num_queries):
    decide(r)
    decision = partner_2s(r, ntnu)
    client.force_login(r.cast.governor)
    url = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, decision.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
