"""Who may open and change a needs report, for every URL of the needs app.

Contacts of the partnership write; the Statsforvalter, the forum, the network and named union
representatives read (403 on every change); everyone else is told nothing exists (404).
"""

import pytest
from django.urls import resolve, reverse

from lokalkomp.needs import urls
from lokalkomp.needs.models import (
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    UnionParticipant,
)
from lokalkomp.testing import make_measure, make_round

EDITORS = ("owner_contact", "partner_contact")
READERS = ("governor", "forum_member", "coordinator", "union_rep")
STRANGERS = ("outsider", "other_coordinator", "other_office_governor")
EVERYONE = STRANGERS + READERS + EDITORS  # editors last: their changes must not hide a refusal


def with_two_measures_and_a_second_union_participant(cast):
    make_measure(cast.report, 1_000, 0, name="Første")
    make_measure(cast.report, 2_000, 0, name="Andre")
    UnionParticipant.objects.create(report=cast.report, role="Verneombud", name="Vera")  # one to remove per contact


pytestmark = pytest.mark.cast(then=with_two_measures_and_a_second_union_participant)


def state(report):
    """Everything a refused request must leave as it was."""
    report = NeedsReport.objects.get(pk=report.pk)
    return (
        report.status,
        report.reopened,
        report.version,
        report.public_schools,
        list(Measure.objects.filter(report=report).values_list("name", "position")),
        list(UnionParticipant.objects.filter(report=report).values_list("name", flat=True)),
        set(NeedsReportScheme.objects.filter(report=report).values_list("scheme_id", flat=True)),
        FieldEdit.objects.filter(report=report).count(),
        NeedsReportEvent.objects.filter(report=report).count(),
    )


def statuses(client, cast, request, roles=EVERYONE):
    """The status each role gets for the same request, after checking refusals changed nothing."""
    before = state(cast.report)
    found = {}
    for role in roles:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        found[role] = request(client).status_code
        if role not in EDITORS:
            assert state(cast.report) == before, f"{role} changed the report"
    client.logout()
    return found


def expect(**by_group):
    groups = {"editors": EDITORS, "readers": READERS, "strangers": STRANGERS, "anonymous": ("anonymous",)}
    return {role: status for group, status in by_group.items() for role in groups[group]}


def first_measure(cast):
    return Measure.objects.filter(report=cast.report).order_by("position").first()


PAGES = {
    "report": lambda c: [c.report.pk],
    "pdf": lambda c: [c.report.pk],
    "report_xlsx": lambda c: [c.report.pk],
    "edit_section partnership": lambda c: [c.report.pk, "partnership"],
    "edit_section measures": lambda c: [c.report.pk, "measures"],
    "edit_section union": lambda c: [c.report.pk, "union"],
    "edit_section units": lambda c: [c.report.pk, "units"],
    "edit_section check": lambda c: [c.report.pk, "check"],
    "measure": lambda c: [c.report.pk, first_measure(c).pk],
}


def page_url(page, cast):
    return reverse(f"needs:{page.split()[0]}", args=PAGES[page](cast))


@pytest.mark.parametrize("page", PAGES)
def test_contacts_and_readers_see_the_report_pages_and_strangers_do_not(client, cast, page):
    url = page_url(page, cast)
    found = statuses(client, cast, lambda c: c.get(url), roles=(*EVERYONE, "anonymous"))
    assert found == expect(editors=200, readers=200, strangers=404, anonymous=404)


@pytest.mark.parametrize("page", PAGES)
def test_the_report_pages_refuse_post(client, cast, page):
    client.force_login(cast.owner_contact)
    before = state(cast.report)
    assert client.post(page_url(page, cast)).status_code == 405
    assert state(cast.report) == before


def test_an_unknown_section_is_not_found(client, cast):
    client.force_login(cast.owner_contact)
    assert client.get(reverse("needs:edit_section", args=[cast.report.pk, "secret"])).status_code == 404
    assert client.post(reverse("needs:save_section", args=[cast.report.pk, "secret"])).status_code == 404


def test_readers_see_the_form_without_editing_it(client, cast):
    client.force_login(cast.governor)
    page = client.get(reverse("needs:measure", args=[cast.report.pk, first_measure(cast).pk])).content.decode()
    assert "hx-post" not in page and "readonly" in page
    client.force_login(cast.owner_contact)
    page = client.get(reverse("needs:measure", args=[cast.report.pk, first_measure(cast).pk])).content.decode()
    assert "hx-post" in page


def test_the_pdf_and_the_excel_sheet_are_documents(client, cast):
    client.force_login(cast.union_rep)
    pdf = client.get(reverse("needs:pdf", args=[cast.report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    sheet = client.get(reverse("needs:report_xlsx", args=[cast.report.pk]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(sheet.streaming_content).startswith(b"PK")


def _autosave_data(cast):
    measure = first_measure(cast)
    key = f"measure:{measure.pk}:name"
    return {"key": key, key: measure.name + "!", f"base:{key}": measure.name}


def _units_data(cast):
    key = f"report:{cast.report.pk}:public_schools"
    return {key: "3", f"base:{key}": ""}


# name: (URL arguments, posted data); every one answers POST only.
ACTIONS = {
    "save": (lambda c: [c.report.pk], _autosave_data),
    "save_section": (lambda c: [c.report.pk, "units"], _units_data),
    "save_measure": (
        lambda c: [c.report.pk, first_measure(c).pk],
        lambda c: {f"measure:{first_measure(c).pk}:description": "Tekst"},
    ),
    "add_row": (lambda c: [c.report.pk, "union"], lambda c: {"union-role": "Tillitsvalgt", "union-name": "Per"}),
    "remove_row": (
        lambda c: [c.report.pk, "union", UnionParticipant.objects.filter(report=c.report).latest("id").pk],
        lambda c: {},
    ),
    "set_schemes": (
        lambda c: [c.report.pk],
        lambda c: {"schemes": [rs.scheme_id for rs in c.report.report_schemes.all()]},
    ),
    "add_measure": (lambda c: [c.report.pk], lambda c: {"new:name": "Nytt tiltak"}),
    "copy_measure": (lambda c: [c.report.pk], lambda c: {"source": first_measure(c).pk}),
    "delete_measure": (lambda c: [c.report.pk, first_measure(c).pk], lambda c: {}),
    "move_measure": (lambda c: [c.report.pk, first_measure(c).pk, "down"], lambda c: {}),
    "submit": (lambda c: [c.report.pk], lambda c: {}),
}
EDITOR_STATUS = {"save": 200}  # a section's and a measure's «Lagre» redirect after the POST


def action_url(action, cast):
    return reverse(f"needs:{action}", args=ACTIONS[action][0](cast))


@pytest.mark.parametrize("action", ACTIONS)
def test_only_contacts_change_the_report(client, cast, action):
    def request(c):
        return c.post(action_url(action, cast), ACTIONS[action][1](cast), headers={"HX-Request": "true"})

    found = statuses(client, cast, request, roles=(*STRANGERS, *READERS, "anonymous", *EDITORS))
    anonymous = 401 if action == "save" else 404
    assert found == expect(strangers=404, readers=403, anonymous=anonymous, editors=EDITOR_STATUS.get(action, 302))


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "add_measure"])  # GET: the blank measure form
def test_the_actions_refuse_get(client, cast, action):
    client.force_login(cast.owner_contact)
    before = state(cast.report)
    assert client.get(action_url(action, cast)).status_code == 405
    assert state(cast.report) == before


def test_the_network_and_the_statsforvalter_reopen_and_no_one_else(client, cast):
    url = reverse("needs:reopen", args=[cast.report.pk])
    refusals = ("forum_member", "union_rep", *EDITORS)
    found = statuses(client, cast, lambda c: c.post(url), roles=(*STRANGERS, *refusals, "anonymous"))
    assert found == {**{r: 404 for r in STRANGERS}, **{r: 403 for r in refusals}, "anonymous": 404}
    for role in ("coordinator", "governor"):
        NeedsReport.objects.filter(pk=cast.report.pk).update(reopened=False)
        client.force_login(getattr(cast, role))
        assert client.post(url).status_code == 302
        assert NeedsReport.objects.get(pk=cast.report.pk).reopened


def test_every_url_name_reaches_its_own_view(cast):
    measure = first_measure(cast)
    args = {
        "mine": [],
        "import": [],
        "measures_xlsx": [],
        "start": [cast.report.partnership.pk, cast.round.pk],
        "report": [cast.report.pk],
        "pdf": [cast.report.pk],
        "report_xlsx": [cast.report.pk],
        "save": [cast.report.pk],
        "edit_section": [cast.report.pk, "units"],
        "save_section": [cast.report.pk, "units"],
        "add_row": [cast.report.pk, "union"],
        "remove_row": [cast.report.pk, "union", 1],
        "set_schemes": [cast.report.pk],
        "add_measure": [cast.report.pk],
        "presence": [cast.report.pk],
        "copy_measure": [cast.report.pk],
        "measure": [cast.report.pk, measure.pk],
        "save_measure": [cast.report.pk, measure.pk],
        "save_measure_goals": [cast.report.pk, measure.pk],
        "delete_measure": [cast.report.pk, measure.pk],
        "move_measure": [cast.report.pk, measure.pk, "up"],
        "submit": [cast.report.pk],
        "preview": [cast.report.pk],
        "receipt": [cast.report.pk],
        "versions": [cast.report.pk],
        "reopen": [cast.report.pk],
        "network_overview": [cast.office.slug, cast.network.slug, cast.round.year],
        "cross_scheme": [cast.report.pk],
        "worklist": [cast.office.slug, cast.round.year],
        "worklist_xlsx": [cast.office.slug, cast.round.year],
        "change_account": [cast.report.pk, cast.report.partnership.participants.first().pk],
    }
    assert set(args) == {p.name for p in urls.urlpatterns}
    wrong = {
        name: resolve(reverse(f"needs:{name}", args=a)).url_name
        for name, a in args.items()
        if resolve(reverse(f"needs:{name}", args=a)).url_name != name
    }
    assert wrong == {}, "a URL is shadowed by an earlier pattern"


@pytest.fixture
def next_round(cast):
    return make_round(cast.office, year=2028)


def test_a_contact_starts_the_partnerships_report_in_an_open_round(client, cast, next_round):
    client.force_login(cast.partner_contact)
    response = client.post(reverse("needs:start", args=[cast.report.partnership.pk, next_round.pk]))
    report = NeedsReport.objects.get(partnership=cast.report.partnership, round=next_round)
    assert response.url == reverse("needs:edit_section", args=[report.pk, "partnership"])
    assert list(report.report_schemes.values_list("scheme__code", flat=True)) == ["kollektiv-2026"]
    event = NeedsReportEvent.objects.get(report=report)
    assert (event.from_status, event.to_status, event.actor) == ("", "draft", cast.partner_contact)


def test_a_report_cannot_be_started_twice(client, cast):
    client.force_login(cast.owner_contact)
    response = client.post(reverse("needs:start", args=[cast.report.partnership.pk, cast.round.pk]))
    assert response.url == reverse("needs:mine")
    assert NeedsReport.objects.filter(partnership=cast.report.partnership).count() == 1


def test_a_report_cannot_be_started_in_another_offices_round(client, cast):
    client.force_login(cast.owner_contact)
    foreign = make_round(year=2028)
    response = client.post(reverse("needs:start", args=[cast.report.partnership.pk, foreign.pk]))
    assert response.status_code == 404
    assert not NeedsReport.objects.filter(round=foreign).exists()


def test_only_contacts_start_a_report(client, cast, next_round):
    url = reverse("needs:start", args=[cast.report.partnership.pk, next_round.pk])
    readers = ("governor", "forum_member", "coordinator")
    found = statuses(client, cast, lambda c: c.post(url), roles=(*STRANGERS, *readers, "anonymous"))
    assert found == {**{r: 404 for r in STRANGERS}, **{r: 403 for r in readers}, "anonymous": 302}
    assert not NeedsReport.objects.filter(round=next_round).exists()
    client.force_login(cast.owner_contact)
    assert client.get(url).status_code == 405


def test_the_lists_and_the_import_ask_an_anonymous_visitor_to_sign_in(client, cast):
    for name in ("mine", "measures_xlsx", "import"):
        response = client.get(reverse(f"needs:{name}"))
        assert response.status_code == 302 and "next=" in response.url, name


def test_the_lists_and_the_import_refuse_other_methods(client, cast):
    client.force_login(cast.owner_contact)
    assert client.post(reverse("needs:mine")).status_code == 405
    assert client.post(reverse("needs:measures_xlsx")).status_code == 405
    assert client.put(reverse("needs:import")).status_code == 405


def test_the_import_offers_only_the_users_own_rounds(client, cast):
    client.force_login(cast.outsider)
    response = client.post(reverse("needs:import"), {"round": cast.round.pk})
    assert response.status_code == 422
    assert not NeedsReport.objects.exclude(pk=cast.report.pk).exists()
