"""The decision pages: the summary and «make the decisions», the list, one decision; who may see them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from lokalkomp.needs.models import Contact, Participant
from lokalkomp.templatetags.nor import format_kroner
from lokalkomp.testing import make_user

from ..models import Decision
from .overview_helpers import in_english, text
from .payment_helpers import decided_round, url
from .test_recommendation_pdf import pdf_text

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    with translation.override("en"):
        yield in_english(client)


@pytest.fixture
def r(cast):
    return decided_round(cast, decide=False)


def test_the_officer_sees_the_summary_decides_through_the_form_and_sees_the_list(client, r):
    client.force_login(r.governor)
    page = client.get(url("decisions", r.round))
    assert page.status_code == 200
    assert "Make the decisions" in text(page)
    assert page.context["planned_total"] == r.recommended
    response = client.post(url("decide", r.round), {"confirm": "yes"})
    assert response.status_code == 302
    made = list(Decision.objects.in_round(r.round).with_totals())
    assert len(made) == 4 and sum(d.total for d in made) == r.recommended
    page = client.get(url("decisions", r.round))
    body = text(page)
    assert "Make the decisions" not in body
    for d in made:
        assert d.number in body and d.recipient_name in body
    one = client.get(url("decision", r.round, made[0].pk))
    assert one.status_code == 200
    assert made[0].number in text(one) and "Decided" in text(one)


def test_deciding_without_the_confirmation_makes_nothing_and_says_so(client, r):
    client.force_login(r.governor)
    response = client.post(url("decide", r.round), follow=True)
    assert "Tick the box" in text(response)
    assert not Decision.objects.in_round(r.round).exists()


def test_deciding_twice_is_a_message_not_an_error(client, r):
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    response = client.post(url("decide", r.round), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert "made already" in text(response)
    assert Decision.objects.in_round(r.round).count() == 4


def test_the_secretary_reads_the_list_but_may_not_decide(client, r):
    client.force_login(r.secretary)
    assert client.get(url("decisions", r.round)).status_code == 200
    assert client.post(url("decide", r.round), {"confirm": "yes"}).status_code == 403
    assert not Decision.objects.in_round(r.round).exists()


def test_a_forum_member_is_refused_and_an_unknown_round_or_decision_is_not_found(client, r):
    client.force_login(r.cast.forum_member)
    assert client.get(url("decisions", r.round)).status_code == 403
    assert client.post(url("decide", r.round), {"confirm": "yes"}).status_code == 403
    client.force_login(r.governor)
    unknown = reverse("allocation:decisions", args=["no-such-office", 2024])
    assert client.get(unknown).status_code == 404
    assert client.get(url("decision", r.round, 2**40)).status_code == 404


def test_the_recipient_sees_its_own_decision_and_no_one_elses(client, r):
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    mine, other = list(Decision.objects.in_round(r.round).order_by("number"))[:2]
    person = make_user("recipient@decisions.test")
    participant = Participant.objects.filter(organisation=mine.recipient).first()
    Contact.objects.create(participant=participant, user=person, name="Kari")
    client.force_login(person)
    assert client.get(url("decision", r.round, mine.pk)).status_code == 200
    assert client.get(url("decision", r.round, other.pk)).status_code == 403
    assert client.get(url("decisions", r.round)).status_code == 403


def test_a_get_on_decide_is_not_allowed(client, r):
    client.force_login(r.governor)
    assert client.get(url("decide", r.round)).status_code == 405


def test_the_list_takes_a_bounded_number_of_queries(client, r, django_assert_max_num_queries):
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    with django_assert_max_num_queries(15):
        assert client.get(url("decisions", r.round)).status_code == 200


def test_the_letter_is_a_pdf_with_the_recipient_the_lines_and_the_total(client, r):
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    decision = Decision.objects.in_round(r.round).with_totals().order_by("number").first()
    response = client.get(url("decision_letter", r.round, decision.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "vedtaksbrev" in response["Content-Disposition"]
    body = pdf_text(response.content)
    assert decision.number in body and decision.recipient_name in body
    for line in decision.lines.all():
        assert line.description[:20] in body
    assert re.sub(r"[ \xa0]+", " ", format_kroner(decision.total)) in body


def test_my_decisions_lists_the_recipients_own_decisions_only(client, r):
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    mine, other = list(Decision.objects.in_round(r.round).order_by("number"))[:2]
    person = make_user("mine@decisions.test")
    participant = Participant.objects.filter(organisation=mine.recipient).first()
    Contact.objects.create(participant=participant, user=person, name="Kari")
    client.force_login(person)
    page = client.get(reverse("allocation:my_decisions"))
    assert page.status_code == 200
    assert [d.pk for d in page.context["decisions"]] == [mine.pk]
    assert mine.number in text(page) and other.number not in text(page)
    client.force_login(r.cast.outsider)
    assert list(client.get(reverse("allocation:my_decisions")).context["decisions"]) == []


def test_the_letter_is_written_in_the_recipients_language_form_whatever_the_reader_reads(client, r):
    from lokalkomp.directory.models import LanguageForm, Organisation
    from lokalkomp.testing import make_municipality

    from ..decision_documents import letter_html

    first = Participant.objects.filter(partnership=r.steps.a.report.partnership, side="owner").first()
    nynorsk = make_municipality(r.round.office)
    nynorsk.language_form = LanguageForm.NYNORSK
    nynorsk.save()
    Organisation.objects.filter(pk=first.organisation_id).update(municipality=nynorsk)
    client.force_login(r.governor)
    client.post(url("decide", r.round), {"confirm": "yes"})
    decision = Decision.objects.get(round=r.round, recipient_id=first.organisation_id, side="owner")
    assert decision.language_form == "nn"
    assert translation.get_language() == "en"
    assert '<html lang="nn">' in letter_html(decision)
    others = Decision.objects.in_round(r.round).exclude(pk=decision.pk)
    assert all('<html lang="nb">' in letter_html(d) for d in others)
