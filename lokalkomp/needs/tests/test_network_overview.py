"""The network's overview of a round: every report of its partnerships, status, totals per scheme, checklist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Network, Organisation
from lokalkomp.needs import marks
from lokalkomp.needs.access import visible_reports
from lokalkomp.needs.checks import problems, problems_of_many
from lokalkomp.needs.models import Measure, NeedsReport, Participant, Partnership, UnionParticipant
from lokalkomp.needs.rules import can_view_network_overview, network_overview_q
from lokalkomp.needs.views.network import report_status
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import (
    complete,
    give_totp,
    make_measure,
    make_network,
    make_partnership,
    make_report,
    make_round,
    make_user,
)


def overview_url(cast, year=None):
    return reverse("needs:network_overview", args=[cast.office.slug, cast.network.slug, year or cast.round.year])


def body(response):
    return response.content.decode().replace("\u00a0", " ")


def make_secretary(cast):
    secretary = make_user()
    Membership.objects.create(user=secretary, role=Role.FORUM_SECRETARY, office=cast.office)
    give_totp(secretary)
    return secretary


def submitted_report(cast, name="Innsendt partnerskap", owner=100_000):
    report = make_report(cast.round, make_partnership(cast.office, cast.network))
    report.partnership.name = name
    report.partnership.save()
    UnionParticipant.objects.create(report=report, role="Hovedtillitsvalgt", name="T")
    complete(report, owner=owner)
    report.submit(by=cast.owner_contact)
    return report


def sent_back_report(cast, comment="Rett opp egenandelen"):
    report = submitted_report(cast, name="Sendt tilbake partnerskap")
    report.reopen(by=cast.coordinator, comment=comment)
    return report


@pytest.fixture
def network(cast):
    """The cast's draft, a submitted report, a sent-back one, a partnership without a report; and others' reports."""
    submitted = submitted_report(cast)
    sent_back = sent_back_report(cast)
    idle = make_partnership(cast.office, cast.network)
    idle.name = "Partnerskap uten melding"
    idle.save()
    elsewhere = make_report(
        cast.round, make_partnership(cast.office, Network.objects.exclude(pk=cast.network.pk).get())
    )
    elsewhere.partnership.name = "Naboens partnerskap"
    elsewhere.partnership.save()
    earlier = make_report(make_round(cast.office, year=cast.round.year - 1), idle)
    return {"submitted": submitted, "sent_back": sent_back, "idle": idle, "elsewhere": elsewhere, "earlier": earlier}


def test_the_coordinator_sees_every_report_of_the_network_with_its_status(client, cast, network):
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    assert response.status_code == 200
    rows = {row.report.pk: row for row in response.context["rows"]}
    assert set(rows) == {cast.report.pk, network["submitted"].pk, network["sent_back"].pk}
    assert (rows[cast.report.pk].status, rows[network["submitted"].pk].status) == ("draft", "submitted")
    assert rows[network["sent_back"].pk].status == "sent_back"
    page = body(response)
    assert "Naboens partnerskap" not in page  # another network's report
    assert 'data-status="submitted"' in page and 'data-status="sent_back"' in page and 'data-status="draft"' in page


def test_each_row_names_the_owners_and_the_university(client, cast, network):
    client.force_login(cast.coordinator)
    row = next(r for r in client.get(overview_url(cast)).context["rows"] if r.report.pk == network["submitted"].pk)
    participants = network["submitted"].partnership.participants.all()
    owners = [p.organisation.name for p in participants if p.side == "owner"]
    assert [p.organisation.name for p in row.owners] == owners
    assert [p.organisation.name for p in row.partners] == [
        p.organisation.name for p in participants if p.side == "partner"
    ]
    assert str(row.owners[0].organisation) in body(client.get(overview_url(cast)))


def test_the_totals_per_scheme_are_computed_from_the_measures(client, cast, network):
    report = network["submitted"]
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    row = next(r for r in response.context["rows"] if r.report.pk == report.pk)
    expected = NeedsReport.objects.get(pk=report.pk).totals_by_scheme()
    assert {s: t for s, t in row.cells if t.total} == {s: t for s, t in expected.items() if t.total}
    assert (row.total.owner, row.total.partner, row.total.total) == (100_000, 50_000, 150_000)
    assert "kr 150 000" in body(response)
    sums = response.context["sums"]
    assert sums["submitted"]["total"].total == 150_000  # the sent-back one is a draft now
    assert sums["all"]["total"].total == 300_000


def test_a_submitted_report_shows_what_it_submitted_even_when_its_rows_are_changed_behind_its_back(
    client, cast, network
):
    report = network["submitted"]
    Measure.objects.filter(report=report).update(owner_amount=999_000)  # a script, the admin, a bug
    owner = report.partnership.participants.get(side="owner", is_lead=True)
    submitted_owner = owner.organisation.name
    Organisation.objects.filter(pk=owner.organisation_id).update(name="Nytt eiernavn")
    Participant.objects.filter(partnership=report.partnership, side="partner").delete()  # next year's partner
    Partnership.objects.filter(pk=report.partnership_id).update(name="Nytt partnerskapsnavn")
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    row = next(r for r in response.context["rows"] if r.report.pk == report.pk)
    assert (row.total.owner, row.total.partner) == (100_000, 50_000)
    assert [str(p.organisation) for p in row.owners] == [submitted_owner] and len(row.partners) == 1
    assert row.name == "Innsendt partnerskap"
    assert response.context["sums"]["submitted"]["total"].total == 150_000
    page = body(response)
    assert "999 000" not in page and "Nytt eiernavn" not in page and "Nytt partnerskapsnavn" not in page
    assert submitted_owner in page and "Innsendt partnerskap" in page


def test_a_sent_back_report_shows_its_rows_as_they_are_now(client, cast, network):
    Measure.objects.filter(report=network["sent_back"]).update(owner_amount=200_000)
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    row = next(r for r in response.context["rows"] if r.report.pk == network["sent_back"].pk)
    assert row.total.total == 250_000


def test_the_checklist_counts_the_problems_and_shows_the_first(client, cast, network):
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    rows = {row.report.pk: row for row in response.context["rows"]}
    draft = rows[cast.report.pk]
    assert len(draft.problems) == len(problems(NeedsReport.objects.get(pk=cast.report.pk))) > 3
    assert len(draft.top_problems) == 3 and draft.more_problems == len(draft.problems) - 3
    assert rows[network["submitted"].pk].problems == []
    page = body(response)
    assert f'data-problems="{len(draft.problems)}"' in page
    assert draft.problems[0].message[:60] in page and draft.problems[3].message[:60] not in page
    assert 'data-problems="0"' in page


def test_the_partnerships_without_a_report_this_round_are_listed(client, cast, network):
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    assert [item["partnership"] for item in response.context["without_report"]] == [network["idle"]]
    assert "Partnerskap uten melding" in body(response)


def test_the_sent_back_report_shows_when_and_why_it_was_sent_back(client, cast, network):
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    row = next(r for r in response.context["rows"] if r.report.pk == network["sent_back"].pk)
    event = network["sent_back"].events.order_by("pk").last()
    assert row.reopened == {"at": event.at, "note": "Rett opp egenandelen", "by": str(cast.coordinator)}
    assert "Rett opp egenandelen" in body(response)
    assert f"Av {cast.coordinator}, " in body(response)  # who sent it back
    assert all(r.reopened is None for r in response.context["rows"] if r.status != "sent_back")


def test_only_submitted_reports_offer_a_send_back_form(client, cast, network):
    client.force_login(cast.coordinator)
    page = body(client.get(overview_url(cast)))
    assert reverse("needs:reopen", args=[network["submitted"].pk]) in page
    assert reverse("needs:reopen", args=[cast.report.pk]) not in page
    assert reverse("needs:reopen", args=[network["sent_back"].pk]) not in page


def test_the_forum_secretariat_sees_the_overview_but_sends_nothing_back(client, cast, network):
    client.force_login(make_secretary(cast))
    response = client.get(overview_url(cast))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3
    assert reverse("needs:reopen", args=[network["submitted"].pk]) not in body(response)


def test_the_statsforvalter_sees_the_overview_and_may_send_back(client, cast, network):
    client.force_login(cast.governor)
    response = client.get(overview_url(cast))
    assert response.status_code == 200
    assert reverse("needs:reopen", args=[network["submitted"].pk]) in body(response)


@pytest.mark.parametrize(
    "who", ["forum_member", "owner_contact", "partner_contact", "union_rep", "other_coordinator", "outsider"]
)
def test_others_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(overview_url(cast)).status_code == 403


def test_another_offices_statsforvalter_is_refused(client, cast):
    client.force_login(cast.other_office_governor)
    assert client.get(overview_url(cast)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(overview_url(cast))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_round_or_network_that_does_not_exist_is_404(client, cast):
    client.force_login(cast.coordinator)
    assert client.get(overview_url(cast, year=1999)).status_code == 404
    url = reverse("needs:network_overview", args=[cast.office.slug, "no-such-network", cast.round.year])
    assert client.get(url).status_code == 404


def test_the_overview_answers_only_get(client, cast):
    client.force_login(cast.coordinator)
    assert client.post(overview_url(cast)).status_code == 405


def test_every_report_shown_is_one_the_viewer_may_read(client, cast, network):
    for user in (cast.coordinator, cast.governor, make_secretary(cast)):
        client.force_login(user)
        shown = {row.report.pk for row in client.get(overview_url(cast)).context["rows"]}
        assert shown <= set(visible_reports(user).values_list("pk", flat=True))


def test_the_list_filter_agrees_with_the_predicate(cast):
    secretary = make_secretary(cast)
    networks = list(Network.objects.all())
    for user in (cast.coordinator, cast.other_coordinator, cast.governor, cast.forum_member, cast.outsider, secretary):
        listed = set(Network.objects.filter(network_overview_q(user)))
        assert listed == {n for n in networks if can_view_network_overview(user, n)}, user


def test_the_checklist_of_many_reports_is_each_reports_checklist(cast, network):
    reports = list(NeedsReport.objects.filter(round=cast.round).select_related("partnership", "round"))
    many = problems_of_many(reports)
    for report in NeedsReport.objects.filter(round=cast.round):
        assert [p.code for p in many[report.pk]] == [p.code for p in problems(report)]


def test_a_submitted_report_opened_again_counts_as_sent_back_and_a_draft_as_a_draft(cast, network):
    reports = NeedsReport.objects.with_reopening()
    assert report_status(reports.get(pk=network["sent_back"].pk)) == "sent_back"
    assert report_status(reports.get(pk=cast.report.pk)) == "draft"


def test_a_late_draft_the_statsforvalter_reopens_is_still_a_draft(client, cast, network):
    NeedsReport.objects.get(pk=cast.report.pk).reopen(by=cast.governor)  # never submitted: open after the deadline
    client.force_login(cast.coordinator)
    response = client.get(overview_url(cast))
    rows = {row.report.pk: row for row in response.context["rows"]}
    assert rows[cast.report.pk].status == "draft" and rows[cast.report.pk].reopened is None
    assert response.context["counts"] == {"submitted": 1, "sent_back": 1, "draft": 1}
    assert set(NeedsReport.objects.sent_back()) == {network["sent_back"]}


def add_reports(cast, n):
    """n more reports of the network, each with a measure in every scheme: drafts, submitted and sent back."""
    schemes = list(Scheme.objects.filter(round_schemes__round=cast.round))
    for i in range(n):
        if i % 3 == 0:
            report = submitted_report(cast, name=f"Partnerskap {i:02d}")
            if i % 2:
                report.reopen(by=cast.coordinator, comment=f"Grunn {i}")
        else:
            report = make_report(cast.round, make_partnership(cast.office, cast.network))
        for scheme in schemes:
            make_measure(report, 10_000, 5_000, scheme=scheme)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_overview_takes_the_same_at_most_15_queries_for_one_or_thirty_reports(client, cast):
    make_measure(cast.report, 1000, 2000)
    client.force_login(cast.coordinator)
    one, response = count_queries(client, overview_url(cast))
    assert len(response.context["rows"]) == 1
    add_reports(cast, 29)  # submitted, sent back and drafts, each with a measure in every scheme
    thirty, response = count_queries(client, overview_url(cast))
    assert len(response.context["rows"]) == 30
    assert {r.status for r in response.context["rows"]} == {"draft", "submitted", "sent_back"}
    assert all(r.reopened["by"] for r in response.context["rows"] if r.status == "sent_back")
    assert one == thirty <= 15, (one, thirty)


def test_the_compiled_column_shows_what_the_registered_functions_say(client, cast, network, monkeypatch):
    seen = []

    def compiled(round, report_ids):
        seen.append((round.pk, sorted(report_ids)))
        return {network["submitted"].pk: "Levert 10.01.2027"}

    monkeypatch.setattr(marks, "report_marks", [compiled])
    monkeypatch.setattr("lokalkomp.needs.views.network.report_marks", marks.report_marks)
    client.force_login(cast.coordinator)
    page = body(client.get(overview_url(cast)))
    assert 'id="compiled-heading"' in page and "Levert 10.01.2027" in page
    assert seen == [(cast.round.pk, sorted([cast.report.pk, network["submitted"].pk, network["sent_back"].pk]))]


def test_without_a_registered_function_there_is_no_compiled_column(client, cast, network, monkeypatch):
    monkeypatch.setattr("lokalkomp.needs.views.network.report_marks", [])
    client.force_login(cast.coordinator)
    assert 'id="compiled-heading"' not in body(client.get(overview_url(cast)))


def test_the_network_page_links_the_overview_for_those_who_may_see_it(client, cast):
    url = overview_url(cast)
    client.force_login(cast.coordinator)
    assert url in body(client.get(cast.network.get_absolute_url()))
    client.force_login(cast.forum_member)
    assert url not in body(client.get(cast.network.get_absolute_url()))
    client.logout()
    assert url not in body(client.get(cast.network.get_absolute_url()))


def test_the_round_page_links_the_coordinators_network_only(client, cast):
    other = Network.objects.exclude(pk=cast.network.pk).get()
    other_url = reverse("needs:network_overview", args=[cast.office.slug, other.slug, cast.round.year])
    round_url = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    client.force_login(cast.coordinator)
    page = body(client.get(round_url))
    assert overview_url(cast) in page and other_url not in page
    client.force_login(cast.governor)
    page = body(client.get(round_url))
    assert overview_url(cast) in page and other_url in page
    client.force_login(cast.owner_contact)
    assert overview_url(cast) not in body(client.get(round_url))


def test_a_new_network_without_partnerships_shows_an_empty_overview(client, cast):
    empty = make_network(cast.office, coordinator=cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.get(reverse("needs:network_overview", args=[cast.office.slug, empty.slug, cast.round.year]))
    assert response.status_code == 200
    assert response.context["rows"] == [] and response.context["without_report"] == []
