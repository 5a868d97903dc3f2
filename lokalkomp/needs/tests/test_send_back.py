"""Sending a submitted report back to the partnership with a comment, and the comment on the owner's form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs.models import Continuation, DeclaredTotal, NeedsReport, NeedsReportEvent, continuation_periods
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import complete, give_totp, make_measure, make_user

SECTIONS = ("partnership", "measures", "union", "units", "check")


def fresh(cast):
    return NeedsReport.objects.get(pk=cast.report.pk)


def overview_url(cast):
    return reverse("needs:network_overview", args=[cast.office.slug, cast.network.slug, cast.round.year])


def send_back(client, cast, comment, **extra):
    return client.post(reverse("needs:reopen", args=[cast.report.pk]), {"comment": comment, **extra})


def body(response):
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def measure(cast):
    measure = complete(cast.report)
    fresh(cast).submit(by=cast.owner_contact)
    return measure


def form_pages(client, cast, measure):
    """The owner's form: each section page and the measure's own page."""
    urls = [reverse("needs:edit_section", args=[cast.report.pk, s]) for s in SECTIONS]
    urls.append(reverse("needs:measure", args=[cast.report.pk, measure.pk]))
    return {url: body(client.get(url)) for url in urls}


def test_the_coordinator_sends_a_report_back_from_the_overview_and_comes_back_to_it(client, cast, measure):
    client.force_login(cast.coordinator)
    response = send_back(client, cast, "Egenandelen mangler for tiltak 1.", next=overview_url(cast))
    assert response.status_code == 302 and response.url == overview_url(cast)
    report = fresh(cast)
    assert (report.status, report.reopened) == ("draft", True)
    event = NeedsReportEvent.objects.filter(report=report).last()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "submitted",
        "draft",
        cast.coordinator,
        "Egenandelen mangler for tiltak 1.",
    )


def test_the_statsforvalter_sends_a_report_back(client, cast, measure):
    client.force_login(cast.governor)
    assert send_back(client, cast, "Se på budsjettet.").status_code == 302
    assert fresh(cast).status == "draft"


def test_sending_back_without_a_comment_is_refused_and_changes_nothing(client, cast, measure):
    client.force_login(cast.coordinator)
    response = send_back(client, cast, "   ")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in body(response)
    assert fresh(cast).status == "submitted"
    assert NeedsReportEvent.objects.filter(report=cast.report).count() == 1


def test_a_comment_over_2000_characters_is_refused_and_kept(client, cast, measure):
    client.force_login(cast.coordinator)
    response = send_back(client, cast, "x" * 2001)
    assert response.status_code == 422
    assert "x" * 2001 in body(response)
    assert fresh(cast).status == "submitted"


def test_a_comment_of_2000_characters_with_several_lines_is_kept_whole(client, cast, measure):
    client.force_login(cast.coordinator)
    comment = "Første linje.\nAndre linje." + "y" * (2000 - 26)
    assert send_back(client, cast, comment).status_code == 302
    assert NeedsReportEvent.objects.filter(report=cast.report).last().note == comment


def test_a_next_address_on_another_site_is_ignored(client, cast, measure):
    client.force_login(cast.coordinator)
    response = send_back(client, cast, "Rett opp.", next="https://evil.example/")
    assert response.url == cast.report.get_absolute_url()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner_contact", 403),
        ("partner_contact", 403),
        ("forum_member", 403),
        ("union_rep", 403),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("other_office_governor", 404),
    ],
)
def test_others_cannot_send_a_report_back(client, cast, measure, who, status):
    client.force_login(getattr(cast, who))
    assert send_back(client, cast, "Nei.").status_code == status
    assert fresh(cast).status == "submitted"


def test_the_forum_secretariat_cannot_send_a_report_back(client, cast, measure):
    secretary = make_user()
    Membership.objects.create(user=secretary, role=Role.FORUM_SECRETARY, office=cast.office)
    give_totp(secretary)
    client.force_login(secretary)
    assert send_back(client, cast, "Nei.").status_code == 403
    assert fresh(cast).status == "submitted"


def test_sending_back_only_answers_post(client, cast, measure):
    client.force_login(cast.coordinator)
    assert client.get(reverse("needs:reopen", args=[cast.report.pk])).status_code == 405


def test_the_contacts_get_an_email_that_says_why(client, cast, measure, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        send_back(client, cast, "Egenandelen & kontonummeret må rettes.")
    run_queued_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    for mail in mailoutbox:
        assert "Egenandelen & kontonummeret må rettes." in mail.body
        assert "Egenandelen &amp; kontonummeret må rettes." in mail.alternatives[0][0]


def test_the_comment_is_at_the_top_of_every_page_of_the_owners_form(client, cast, measure):
    client.force_login(cast.coordinator)
    send_back(client, cast, "Egenandelen mangler for tiltak 1.")
    event = NeedsReportEvent.objects.filter(report=cast.report).last()
    client.force_login(cast.owner_contact)
    for url, page in form_pages(client, cast, measure).items():
        assert 'id="sent-back"' in page, url
        banner = page[page.index('id="sent-back"') : page.index("</div>", page.index('id="sent-back"'))]
        assert "Egenandelen mangler for tiltak 1." in banner, url
        assert str(cast.coordinator) in banner, url
        assert event.at.astimezone().strftime("%d.%m.%Y") in banner, url
        assert page.index('id="sent-back"') < page.index('id="section-form"'), url  # above the form


def test_the_comment_is_on_the_report_page_too(client, cast, measure):
    client.force_login(cast.coordinator)
    send_back(client, cast, "Egenandelen mangler for tiltak 1.")
    client.force_login(cast.partner_contact)
    page = body(client.get(cast.report.get_absolute_url()))
    assert 'id="sent-back"' in page and "Egenandelen mangler for tiltak 1." in page


def test_the_comment_is_gone_once_the_report_is_submitted_again(client, cast, measure):
    client.force_login(cast.coordinator)
    send_back(client, cast, "Egenandelen mangler for tiltak 1.")
    client.force_login(cast.owner_contact)
    assert client.post(reverse("needs:submit", args=[cast.report.pk])).status_code == 302
    assert fresh(cast).status == "submitted"
    for url, page in form_pages(client, cast, measure).items():
        assert 'id="sent-back"' not in page and "Egenandelen mangler" not in page, url
    assert 'id="sent-back"' not in body(client.get(cast.report.get_absolute_url()))


def test_sent_back_again_the_form_shows_the_new_comment_only(client, cast, measure):
    client.force_login(cast.coordinator)
    send_back(client, cast, "Første runde: egenandelen.")
    fresh(cast).submit(by=cast.owner_contact)
    send_back(client, cast, "Andre runde: kontonummeret.")
    client.force_login(cast.owner_contact)
    for url, page in form_pages(client, cast, measure).items():
        assert "Andre runde: kontonummeret." in page, url
        assert "Første runde" not in page, url


def test_a_draft_that_was_never_sent_back_shows_no_banner(client, cast):
    client.force_login(cast.owner_contact)
    page = body(client.get(reverse("needs:edit_section", args=[cast.report.pk, "partnership"])))
    assert 'id="sent-back"' not in page


def test_a_late_draft_is_still_reopened_without_a_comment(client, cast):
    client.force_login(cast.governor)
    assert client.post(reverse("needs:reopen", args=[cast.report.pk])).status_code == 302
    report = fresh(cast)
    assert report.reopened and report.reopening().from_status == "draft"


def test_the_report_page_asks_for_the_comment_before_sending_back(client, cast, measure):
    client.force_login(cast.coordinator)
    page = body(client.get(cast.report.get_absolute_url()))
    start = page.index('id="reopen-comment"')
    assert " required" in page[start : page.index(">", start)]


def test_the_form_pages_of_a_sent_back_report_take_one_query_more_at_most(
    client, cast, measure, django_assert_max_num_queries
):
    client.force_login(cast.coordinator)
    send_back(client, cast, "Rett opp.")
    client.force_login(cast.owner_contact)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("needs:edit_section", args=[cast.report.pk, "check"])).status_code == 200


# ── The report page of a draft (sent back or not): at most 15 queries whatever it holds ────────


def fill(cast, measures: int) -> None:
    """The draft gets `measures` more measures, each naming five goals of the long-term plan and three
    development areas of the owner's municipal plan, with continuation estimates; and the form's totals table."""
    from lokalkomp.gatherings.models import MeasureArea, MunicipalPlan, PlanArea
    from lokalkomp.schemes.models import LongTermPlan

    plan = LongTermPlan.objects.filter(office=cast.office).first() or LongTermPlan.make(
        office=cast.office, first_year=2023, last_year=2030, by=None
    )
    goals = [plan.add_goal(f"Mål {plan.goals.count() + 1}", by=None) for _ in range(5)]
    owner = cast.report.partnership.participants.get(side="owner", is_lead=True).organisation
    municipal = MunicipalPlan.objects.filter(owner=owner).first() or MunicipalPlan.objects.create(
        owner=owner, first_year=2024, last_year=2030
    )
    areas = [PlanArea.objects.create(plan=municipal, title=f"Område {i}", position=i) for i in range(3)]
    period = continuation_periods(cast.round.year)[0]
    for _ in range(measures):
        measure = make_measure(cast.report, 10_000, 5_000)
        measure.goals.add(*goals)
        MeasureArea.objects.bulk_create([MeasureArea(measure=measure, area=area) for area in areas])
        Continuation.objects.create(measure=measure, period=period, owner_amount=1_000, partner_amount=500)
    scheme = cast.report.report_schemes.first().scheme
    DeclaredTotal.objects.get_or_create(
        report=cast.report, scheme=scheme, defaults={"owner_amount": 1, "partner_amount": 1, "total_amount": 2}
    )


def page_queries(client, cast) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(cast.report.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("state", ["draft", "sent back"])
def test_the_page_of_a_draft_with_many_measures_goals_and_areas_takes_at_most_15_queries(client, cast, state):
    measure = complete(cast.report)
    if state == "sent back":
        fresh(cast).submit(by=cast.owner_contact)
        fresh(cast).reopen(by=cast.coordinator, comment="Rett opp.")
    client.force_login(cast.owner_contact)
    client.get(cast.report.get_absolute_url())
    few = page_queries(client, cast)
    fill(cast, 12)
    measure.goals.add(*cast.office.long_term_plans.get().goals.all())
    many = page_queries(client, cast)
    page = body(client.get(cast.report.get_absolute_url()))
    assert page.count("Område 2") >= 12 and "Mål 5" in page
    assert many <= 15, many
    assert few <= many <= few + 1, (few, many)  # the form's totals table (an import's) is asked for when it has one
    if state == "sent back":
        assert 'id="versions"' in page and "Rett opp." in page
