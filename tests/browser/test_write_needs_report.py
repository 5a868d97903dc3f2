"""A contact person writes a needs report from scratch, loses the tab halfway, and submits it.

The walk is a person's: start the report from «My needs reports», type account numbers,
add three measures (one amount typed as «kr 120 000»), watch the totals follow, close the
tab while a text is not yet saved, come back and find everything, fill in co-determination
and units, submit, get the receipt and the PDF. Every page is scanned with axe, and the
bokmål pages are searched for English source strings that a person would see.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from pprint import pformat
from typing import Any
from urllib.parse import parse_qs

import pdfplumber
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from lokalkomp.accounts.models import User
from lokalkomp.directory.models import Office, Organisation
from lokalkomp.needs.models import Contact, Measure, NeedsReport, Participant, Partnership
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import make_office, make_organisation, make_round

from .conftest import axe_violations, login

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
EMAIL = "siri.skriver@vefsn.test"
PARTNERSHIP = "Kompetanseløft Vefsn"
OWNER_ACCOUNT = "4516.27.94918"
UH_ACCOUNT = "7694.05.00660"

NARRATIVES = Measure.REQUIRED_NARRATIVES
MEASURES: list[dict[str, Any]] = [
    {
        "name": "Lesing i alle fag",
        "owner": ("kr 120 000", 120_000),
        "partner": ("80 000", 80_000),
        "purpose": "implementation",
        "semesters": ["2027-spring", "2027-autumn"],
        "texts": {
            "anchoring": "Rektorene og lærerne planlegger sammen med Nord universitet på hver skole.",
            "collective": "Lærerne prøver ut lesestrategier i team og deler erfaringene på fellestid.",
            "teacher_education": "Studenter i praksis deltar i utprøvingen på skolene.",
            "long_term_plan": "Tiltaket følger den kommunale planen for leseopplæring 2026–2029.",
            "target_group": "Lærere på 1.–10. trinn i Vefsn.",
        },
    },
    {
        "name": "Lek og læring i barnehagen",
        "owner": ("150 000", 150_000),
        "partner": ("kr 100 000,-", 100_000),
        "purpose": "planning",
        "semesters": ["2027-autumn"],
        "texts": {
            "anchoring": "Styrerne forankrer arbeidet i personalmøter i hver barnehage.",
            "collective": "Hele personalgruppen reflekterer over lekepraksis i nettverk.",
            "teacher_education": "Barnehagelærerstudenter skriver praksisoppgaver om tiltaket.",
            "long_term_plan": "Barnehageplanen peker på lek som satsingsområde.",
            "target_group": "Alle ansatte i kommunale og private barnehager.",
        },
    },
    {
        "name": "Vurdering for læring",
        "owner": ("60 000", 60_000),
        "partner": ("40 000", 40_000),
        "purpose": "assessment",
        "semesters": ["2027-spring", "2028-spring"],
        "texts": {
            "anchoring": "Skoleledere og lærere kartlegger vurderingspraksis sammen med UH.",
            "collective": "Lærerteamene analyserer elevarbeider sammen hver måned.",
            # typed last before the tab is closed: only the browser's copy has it
            "teacher_education": "Lærerutdanningen bruker funnene i undervisningen om vurdering.",
            "long_term_plan": "Kvalitetsplanen for skolen har vurdering som hovedmål.",
            "target_group": "Lærere og skoleledere på ungdomstrinnet.",
        },
    },
]

# English source strings a bokmål page must not show (the page's own msgids, not shared ones).
ENGLISH = {
    "my reports": ["Start a needs report"],
    "1 partnership": ["Partnership and contacts", "Everything you type is saved as you go.", "Add a contact person"],
    "2 measures": ["Add a measure", "The measures of the report, in order", "No measures yet."],
    "measure": ["How the grant is split", "Duration of the measure", "Who is the target group of the measure?"],
    "3 union": ["Co-determination", "Who took part", "Add participant"],
    "4 units": ["How many units are included in the needs report?", "Next: check and submit"],
    "5 check": ["Check and submit", "Everything is in place. The report can be submitted."],
    "report": ["Computed from the measures below.", "Measures as Excel"],
    "preview": ["This is the whole report as it will be submitted", "Back to the form"],
    "receipt": ["Reference number", "What happens next", "Submitted by"],
    "receipt e-mail": ["Receipt: needs report", "See the report"],
    "pdf": ["Contact persons", "Name of measure", "Duration of the measure"],
}


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(e => !e.labels.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    .map(e => `${e.closest('form')?.getAttribute('action')} ${e.name}#${e.id}`)"""


@pytest.fixture
def partnership(transactional_db):  # type: ignore[no-untyped-def]
    """A 2027 round open until 15.12.2026 and a new partnership whose contact has no report yet."""
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=True):
        office = make_office("nordland")
        Office.objects.filter(pk=office.pk).update(name="Statsforvalteren i Nordland")
        make_round(office, year=2027, deadline=dt.date(2026, 12, 15))
        partnership = Partnership.objects.create(office=office, name=PARTNERSHIP)
        owner = Participant.objects.create(
            partnership=partnership,
            organisation=make_organisation(name="Vefsn kommune", org_number="945114878"),
            side="owner",
            is_lead=True,
        )
        Participant.objects.create(
            partnership=partnership,
            organisation=make_organisation(
                Organisation.Kind.UNIVERSITY, name="Nord universitet", org_number="971584432"
            ),
            side="partner",
            is_lead=True,
            account_number=UH_ACCOUNT.replace(".", ""),  # the UH side's own contacts keep its account
        )
        user = User.objects.create_user(EMAIL, password="demo")
        Contact.objects.create(participant=owner, user=user, name="Siri Skriver", function="Rådgiver", email=EMAIL)
        yield partnership


class Walk:
    """What the person meets on the way: axe violations and English text, per page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.axe: dict[str, list[dict[str, Any]]] = {}
        self.unlabelled: dict[str, list[str]] = {}
        self.english: dict[str, list[str]] = {}

    def scan(self, name: str, english: list[str] | None = None) -> None:
        found = axe_violations(self.page)
        if found:
            self.axe[name] = found
        # axe matches label[for] by id text, so it misses a label whose id is used twice: ask the browser.
        unlabelled = self.page.evaluate(UNLABELLED)
        if unlabelled:
            self.unlabelled[name] = unlabelled
        text = self.page.locator("body").inner_text()
        leftovers = [phrase for phrase in english or ENGLISH.get(name, []) if phrase in text]
        if leftovers:
            self.english.setdefault(name, []).extend(leftovers)

    def note_english(self, name: str, shown: str, english: str) -> None:
        if shown.strip() == english and english not in self.english.get(name, []):
            self.english.setdefault(name, []).append(english)


def dom_id(key: str) -> str:
    return key.replace(":", "-")


def _is_save_of(response: Any, key: str) -> bool:
    if response.request.method != "POST" or not response.url.endswith("/lagre/"):
        return False
    return parse_qs(response.request.post_data or "").get("key") == [key]


def autosaved(page: Any, key: str, action: Any) -> str:
    """Do `action` to the field `key` and wait until the server has saved it; returns the message shown."""
    with page.expect_response(lambda r: _is_save_of(r, key)) as response:
        action()
    assert response.value.status == 200, f"{key}: {response.value.status} {response.value.text()}"
    saved = page.locator(f"#msg-{dom_id(key)} .lk-saved")
    expect(saved).to_be_visible()
    return saved.inner_text()


def type_saved(page: Any, key: str, text: str) -> str:
    """Type into a text field and wait for the save that follows the first edit (no second edit, no Tab
    needed), then leave the field (Tab): what is saved already is not sent again."""
    field = page.locator(f"#{dom_id(key)}")
    shown = autosaved(page, key, lambda: field.fill(text))
    field.press("Tab")
    return shown


def expect_totals(page: Any, owner: str, partner: str, total: str) -> None:
    cells = page.locator("#totals tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text(owner)
    expect(cells.nth(1)).to_have_text(partner)
    expect(cells.nth(2)).to_have_text(total)


def screenshot_in_both_languages(page: Any, walk: Walk) -> None:
    """The filled measure form as it is after typing (bokmål), then in nynorsk; back to bokmål after."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "form-nb.png"), full_page=True)
    page.get_by_role("button", name="Norsk (nynorsk)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    page.screenshot(path=str(SCREENSHOTS / "form-nn.png"), full_page=True)
    walk.scan("measure (nn)", ENGLISH["measure"])
    page.get_by_role("button", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")


def kr(amount: int) -> str:
    return "kr\u00a0" + f"{amount:,}".replace(",", "\u00a0")


def test_a_contact_person_writes_a_needs_report_survives_a_closed_tab_and_submits(partnership, live_server, page):
    base = live_server.url
    walk = Walk(page)
    # No favicon exists; keep its 404 (a full page render) from running beside an autosave.
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204))

    # Log in and start the report for 2027 from «My needs reports».
    login(page, live_server, EMAIL)
    page.locator("header a[href='/behovsmeldinger/']").click()
    expect(page).to_have_url(f"{base}/behovsmeldinger/")
    start_row = page.locator("li", has_text=PARTNERSHIP).filter(has_text="2027")
    start = start_row.locator("button[type=submit]")
    if start.inner_text().strip() == "Forside":  # «Start» translated as the front page
        walk.english.setdefault("my reports", []).append("button «Start» reads «Forside»")
    walk.scan("my reports")
    start.click()
    expect(page).to_have_url(re.compile(r"/behovsmeldinger/\d+/skjema/partnership/$"))
    report = NeedsReport.objects.get(partnership=partnership, round__year=2027)
    assert report.status == NeedsReport.Status.DRAFT

    # 1. The owner's account number; only the UH side's contacts may change the UH account.
    for organisation, account in (("Vefsn kommune", OWNER_ACCOUNT),):
        field = page.locator("fieldset", has_text=organisation).locator("input[data-autosave][name$=':account_number']")
        account_key = field.get_attribute("name")
        shown = autosaved(page, account_key, lambda field=field, account=account: field.fill(account))
        walk.note_english("1 partnership", shown, "Saved")
    walk.scan("1 partnership")
    accounts = dict(Participant.objects.filter(partnership=partnership).values_list("side", "account_number"))
    assert accounts == {"owner": "45162794918", "partner": "76940500660"}

    # 2. Three measures from scratch, watching the totals follow the amounts.
    page.locator(".lk-steps a[href$='/skjema/measures/']").click()
    expect(page.locator("#add-measure")).to_be_visible()
    walk.scan("2 measures")
    owner_sum = partner_sum = 0
    for number, data in enumerate(MEASURES, start=1):
        page.locator("#add-measure").click()
        # A blank form: the measure is created by its first save, so an empty one never blocks submission.
        expect(page).to_have_url(re.compile(r"/tiltak/ny/$"))
        expect(page.locator("h2").first).to_contain_text(str(number))
        assert Measure.objects.filter(report=report).count() == number - 1
        page.locator("#new-name").fill(data["name"])
        page.locator("#create-measure").click()
        expect(page).to_have_url(re.compile(r"/tiltak/\d+/#measure-\d+-purpose$"))
        m = int(re.search(r"/tiltak/(\d+)/", page.url)[1])
        expect(page.locator("h2").first).to_contain_text(str(number))

        def key(field: str, m: int = m) -> str:
            return f"measure:{m}:{field}"

        expect(page.locator(f"#{dom_id(key('name'))}")).to_have_value(data["name"])
        typed, value = data["owner"]
        type_saved(page, key("owner_amount"), typed)
        owner_sum += value
        expect_totals(page, kr(owner_sum), kr(partner_sum), kr(owner_sum + partner_sum))
        typed, value = data["partner"]
        type_saved(page, key("partner_amount"), typed)
        partner_sum += value
        expect_totals(page, kr(owner_sum), kr(partner_sum), kr(owner_sum + partner_sum))
        purpose = page.locator(f"#{dom_id(key('purpose'))}")
        autosaved(page, key("purpose"), lambda purpose=purpose, value=data["purpose"]: purpose.select_option(value))

        if number == 3:
            break  # measure 3 is interrupted below
        for field in NARRATIVES:
            type_saved(page, key(field), data["texts"][field])
        for code in data["semesters"]:
            autosaved(
                page, key("semesters"), lambda code=code: page.locator(f"#{dom_id(key('semesters'))}-{code}").check()
            )
        type_saved(page, key("target_group"), data["texts"]["target_group"])
        if number == 1:
            walk.scan("measure")
        if number == 2:
            screenshot_in_both_languages(page, walk)
        page.locator("a[href$='/skjema/measures/']", has_text="←").click()
        expect(page.locator("#measure-list tbody tr")).to_have_count(number)

    # Measure 3, halfway: two texts saved, the third typed and the tab closed at once.
    texts = MEASURES[2]["texts"]
    type_saved(page, key("anchoring"), texts["anchoring"])
    type_saved(page, key("collective"), texts["collective"])
    unsaved = page.locator(f"#{dom_id(key('teacher_education'))}")
    unsaved.fill(texts["teacher_education"])
    storage_key = f"lokalkomp:unsaved:{report.pk}:{key('teacher_education')}"
    assert page.evaluate("k => localStorage.getItem(k)", storage_key) == texts["teacher_education"]
    context = page.context
    page.close()
    third = Measure.objects.get(pk=m)
    assert (third.name, third.owner_amount, third.partner_amount) == ("Vurdering for læring", 60_000, 40_000)
    assert third.collective == texts["collective"]
    assert third.teacher_education == "", "the last text should not have reached the server before the tab closed"

    # A new tab in the same browser: back to measure 3 the way a person finds it.
    page = context.new_page()
    walk.page = page
    page.goto(f"{base}/behovsmeldinger/")
    if "/konto/login/" in page.url:
        login(page, live_server, EMAIL)
        page.goto(f"{base}/behovsmeldinger/")
    page.locator("tr", has_text=PARTNERSHIP).locator("a[href$='/skjema/partnership/']").click()
    page.locator(".lk-steps a[href$='/skjema/measures/']").click()
    page.get_by_role("link", name="Vurdering for læring").click()
    expect(page.locator(f"#{dom_id(key('teacher_education'))}")).to_have_value(texts["teacher_education"])
    expect(
        page.locator(f"#msg-{dom_id(key('teacher_education'))} .lk-saved"),
        "the text put back from the browser's copy is sent to the server and saved",
    ).to_be_visible(timeout=10_000)
    expect(page.locator(f"#{dom_id(key('name'))}")).to_have_value("Vurdering for læring")
    expect(page.locator(f"#{dom_id(key('owner_amount'))}")).to_have_value("60 000")
    expect(page.locator(f"#{dom_id(key('partner_amount'))}")).to_have_value("40 000")
    expect(page.locator(f"#{dom_id(key('purpose'))}")).to_have_value("assessment")
    for field in ("anchoring", "collective", "teacher_education"):
        expect(page.locator(f"#{dom_id(key(field))}")).to_have_value(texts[field])
    expect_totals(page, kr(owner_sum), kr(partner_sum), kr(owner_sum + partner_sum))
    assert page.evaluate("k => localStorage.getItem(k)", storage_key) is None
    third.refresh_from_db()
    assert third.teacher_education == texts["teacher_education"]

    # ... and finish it.
    type_saved(page, key("long_term_plan"), texts["long_term_plan"])
    for code in MEASURES[2]["semesters"]:
        autosaved(page, key("semesters"), lambda code=code: page.locator(f"#{dom_id(key('semesters'))}-{code}").check())
    type_saved(page, key("target_group"), texts["target_group"])

    for number, (data, measure) in enumerate(
        zip(MEASURES, Measure.objects.filter(report=report), strict=True), start=1
    ):
        assert measure.position == number
        assert measure.name == data["name"]
        assert (measure.owner_amount, measure.partner_amount) == (data["owner"][1], data["partner"][1])
        assert measure.purpose == data["purpose"]
        assert measure.semesters == data["semesters"]
        assert {f: getattr(measure, f) for f in data["texts"]} == data["texts"]

    page.locator("a[href$='/skjema/measures/']", has_text="←").click()
    rows = page.locator("#measure-list tbody tr")
    expect(rows).to_have_count(3)
    for row, data in zip(rows.all(), MEASURES, strict=True):
        expect(row).to_contain_text(data["name"])

    # 3. Co-determination: discussed, with whom.
    page.locator(".lk-steps a[href$='/skjema/union/']").click()
    union_key = f"report:{report.pk}:union_discussed"
    autosaved(page, union_key, lambda: page.locator(f"#{dom_id(union_key)}-yes").check())
    adding = page.locator("section[aria-labelledby=add-union-heading]")
    adding.locator("input[name=union-role]").fill("Hovedtillitsvalgt")
    adding.locator("input[name=union-name]").fill("Kari Tillit")
    adding.locator("button[type=submit]").click()
    expect(page.locator("input[data-autosave][name^='union:'][name$=':name']")).to_have_value("Kari Tillit")
    expect(page.locator(f"#{dom_id(union_key)}-yes")).to_be_checked()
    walk.scan("3 union")

    # 4. Units.
    page.locator(".lk-steps a[href$='/skjema/units/']").click()
    counts = {
        "municipal_kindergartens": 4,
        "private_kindergartens": 2,
        "public_schools": 6,
        "private_schools": 0,
        "pp_services": 1,
    }
    for field, count in counts.items():
        type_saved(page, f"report:{report.pk}:{field}", str(count))
    walk.scan("4 units")

    # 5. The checklist has nothing left; submit.
    page.locator(".lk-steps a[href$='/skjema/check/']").click()
    expect(page.locator("#checklist")).to_have_attribute("data-color", "success")
    expect(page.locator(".lk-steps .lk-todo")).to_have_count(0)
    expect_totals(page, kr(owner_sum), kr(partner_sum), kr(owner_sum + partner_sum))
    walk.scan("5 check")
    # The preview shows the whole report as it will be submitted; «Send inn» is at its foot.
    page.locator("#preview-report").click()
    expect(page).to_have_url(f"{base}{reverse('needs:preview', args=[report.pk])}")
    expect(page.locator("details.lk-measure[open]")).to_have_count(report.measures.count())
    walk.scan("preview")
    expect(page.locator("#submit-report")).to_be_enabled()
    page.locator("#submit-report").click()
    # The receipt: a reference number and what happens next; it stays reachable from the report page.
    expect(page).to_have_url(f"{base}{reverse('needs:receipt', args=[report.pk])}")
    expect(page.locator("#reference")).to_have_text(re.compile(rf"^BM-2027-NOR-{report.pk:04d}-v1$"))
    walk.scan("receipt")
    page.locator("main").get_by_role("link", name="Se behovsmeldingen").click()
    expect(page).to_have_url(f"{base}{report.get_absolute_url()}")
    expect(page.locator("main .ds-tag").first).to_have_text("Sendt inn")
    expect(page.locator("#receipt-link")).to_be_visible()
    walk.scan("report")

    report.refresh_from_db()
    assert report.status == NeedsReport.Status.SUBMITTED
    assert (report.union_discussed, list(report.union_participants.values_list("role", "name"))) == (
        True,
        [("Hovedtillitsvalgt", "Kari Tillit")],
    )
    assert {f: getattr(report, f) for f in counts} == counts
    # The receipt is queued with the submission; the worker sends it.
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert "2027" in mail.outbox[0].subject and PARTNERSHIP in mail.outbox[0].subject
    receipt = mail.outbox[0]
    leftovers = [phrase for phrase in ENGLISH["receipt e-mail"] if phrase in f"{receipt.subject}\n{receipt.body}"]
    if leftovers:
        walk.english["receipt e-mail"] = leftovers

    totals = page.locator("#totals tfoot").inner_text()
    for amount in (owner_sum, partner_sum, owner_sum + partner_sum):
        assert kr(amount) in totals
    expect(page.locator("#measures tbody tr")).to_have_count(3)

    # The PDF of the submitted report names the three measures.
    pdf = page.request.get(base + page.locator("#download-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf.body())) as document:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)
    for data in MEASURES:
        assert data["name"] in text
    leftovers = [phrase for phrase in ENGLISH["pdf"] if phrase in text]
    if leftovers:
        walk.english["pdf"] = leftovers

    findings = {
        "axe": walk.axe,
        "form controls without a label": walk.unlabelled,
        "English shown in bokmål/nynorsk": walk.english,
    }
    assert findings == dict.fromkeys(findings, {}), pformat(findings, width=110)
