"""The needs report form in the browser: autosave that never claims a save it did not make, co-editing,
the person's place (checklist links, dialogs, new measures), phone layouts, axe and the CSP console."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from lokalkomp.needs.autosave import save_field
from lokalkomp.needs.models import Measure
from lokalkomp.testing import make_measure

from .conftest import axe_violations, csp_violations, login, server_idle

PASSWORD = "pw-Secret-123"  # lokalkomp.testing.make_user
pytestmark = pytest.mark.cast(deadline=dt.date(2026, 12, 15))


@pytest.fixture(autouse=True)
def _before_the_deadline():  # type: ignore[no-untyped-def]
    """A November morning, the clock running: the cast is made then, and the form is still open."""
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=True):
        yield


@pytest.fixture
def measure(cast):  # type: ignore[no-untyped-def]
    return make_measure(cast.report, 150_000, 0, name="Lesing i alle fag")


def dom_id(key: str) -> str:
    return key.replace(":", "-")


def is_save_of(key: str) -> Any:
    def check(response: Any) -> bool:
        if response.request.method != "POST" or not response.url.endswith("/lagre/"):
            return False
        return parse_qs(response.request.post_data or "").get("key") == [key]

    return check


def saves_sent(page: Any, live_server: Any, navigate: Any, selector: str, value: str) -> list[str]:
    """Navigate (reload, back), wait until the field shows `value` and the page is quiet; the saves it sent."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/lagre/") else None)
    navigate()
    expect(page.locator(selector)).to_have_value(value)
    server_idle(page, live_server)
    return sent


def open_measure(page: Any, live_server: Any, cast: Any, measure: Measure, **goto: Any) -> None:
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("needs:measure", args=[cast.report.pk, measure.pk]), **goto)


# ── Autosave ──


def test_the_first_edit_after_loading_is_saved_without_a_second_edit_or_leaving_the_field(
    cast, measure, live_server, page
):
    key = f"measure:{measure.pk}:description"
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    # As on a busy machine: the person types while the page's scripts have not run yet.
    with page.expect_response(is_save_of(key), timeout=10_000) as response:
        page.goto(live_server.url + reverse("needs:measure", args=[cast.report.pk, measure.pk]), wait_until="commit")
        page.locator(f"#{dom_id(key)}").fill("Skrevet med en gang")
    assert response.value.status == 200
    expect(page.locator(f"#msg-{dom_id(key)} .lk-saved")).to_have_text("Lagret")
    measure.refresh_from_db()
    assert measure.description == "Skrevet med en gang"

    # And once the page is loaded: one edit, no Tab, sent within the pause.
    other = f"measure:{measure.pk}:target_group"
    with page.expect_response(is_save_of(other), timeout=5_000) as response:
        page.locator(f"#{dom_id(other)}").fill("Lærere")
    assert response.value.status == 200


def test_choices_made_before_the_pages_scripts_ran_are_saved_once_they_run(cast, measure, live_server, page):
    """A slow phone: the person picks the purpose and a semester while autosave.js is still on its way."""
    Measure.objects.filter(pk=measure.pk).update(purpose="", semesters=[])
    purpose, semesters = f"measure:{measure.pk}:purpose", f"measure:{measure.pk}:semesters"
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    held: list[Any] = []
    script = re.compile(r"/js/autosave(\.[0-9a-f]+)?\.js$")
    page.route(script, lambda route: held.append(route))  # the script is held until the choices are made
    page.goto(live_server.url + reverse("needs:measure", args=[cast.report.pk, measure.pk]), wait_until="commit")
    select = page.locator(f"#{dom_id(purpose)}")
    expect(select).to_be_attached()
    chosen = select.locator("option").nth(1).get_attribute("value")
    select.select_option(chosen)
    box = page.locator(f"#f-{dom_id(semesters)} input[type=checkbox]").first
    code = box.get_attribute("value")
    box.check()
    assert held, "the page asked for autosave.js"
    with (
        page.expect_response(is_save_of(purpose), timeout=10_000) as purpose_saved,
        page.expect_response(is_save_of(semesters), timeout=10_000) as semesters_saved,
    ):
        held[0].continue_()
    page.unroute(script)
    assert purpose_saved.value.status == 200 and semesters_saved.value.status == 200
    expect(page.locator(f"#msg-{dom_id(purpose)} .lk-saved")).to_have_text("Lagret")
    expect(page.locator(f"#msg-{dom_id(semesters)} .lk-saved")).to_have_text("Lagret")
    measure.refresh_from_db()
    assert (measure.purpose, measure.semesters) == (chosen, [code])

    # A page whose choices are as served sends nothing by itself.
    assert saves_sent(page, live_server, page.reload, f"#{dom_id(purpose)}", chosen) == []


def test_back_to_the_form_after_a_coauthors_change_shows_theirs_and_sends_nothing(cast, measure, live_server, page):
    """The browser does not put the person's earlier choice back over a co-author's newer one, and the page does
    not send it as if the person had just made it."""
    purpose = f"measure:{measure.pk}:purpose"
    open_measure(page, live_server, cast, measure)
    select = page.locator(f"#{dom_id(purpose)}")
    values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    mine, theirs = [v for v in values if v != measure.purpose][:2]
    with page.expect_response(is_save_of(purpose)) as response:
        select.select_option(mine)
    assert response.value.status == 200
    page.locator("a[href$='/skjema/measures/']").first.click()
    expect(page).to_have_url(re.compile(r"/skjema/measures/$"))
    server_idle(page, live_server)
    assert save_field(cast.report, purpose, theirs, mine, by=cast.partner_contact).status == "saved"

    assert saves_sent(page, live_server, page.go_back, f"#{dom_id(purpose)}", theirs) == []
    measure.refresh_from_db()
    assert measure.purpose == theirs


@pytest.mark.parametrize(
    "failure, advice",
    [
        (lambda route: route.fulfill(status=500, body="Server Error"), "Noe gikk galt hos oss"),
        (lambda route: route.fulfill(status=404, body="Not Found"), "Last inn siden på nytt"),
        (lambda route: route.fulfill(status=403, body="CSRF verification failed"), "Last inn siden på nytt"),
        (lambda route: route.abort(), "Ingen forbindelse"),
    ],
    ids=["500", "404", "403 (expired CSRF cookie)", "network down"],
)
def test_a_failed_save_says_not_saved_with_what_to_do_and_keeps_the_text(
    cast, measure, live_server, page, failure, advice
):
    key = f"measure:{measure.pk}:name"
    open_measure(page, live_server, cast, measure)
    field, message = page.locator(f"#{dom_id(key)}"), page.locator(f"#msg-{dom_id(key)}")
    with page.expect_response(is_save_of(key)):
        field.fill("Første")
    expect(message.locator(".lk-saved")).to_be_visible()

    page.route("**/lagre/", failure)
    field.fill("Andre versjon")
    expect(message.locator(".lk-not-saved")).to_contain_text("Ikke lagret.")
    expect(message.locator(".lk-not-saved")).to_contain_text(advice)
    expect(message.locator(".lk-saved")).to_have_count(0)
    expect(field).to_have_value("Andre versjon")
    stored = page.evaluate("k => localStorage.getItem(k)", f"lokalkomp:unsaved:{cast.report.pk}:{key}")
    assert stored == "Andre versjon"
    measure.refresh_from_db()
    assert measure.name == "Første"


def test_after_a_lost_connection_the_save_is_tried_again_and_then_says_saved(cast, measure, live_server, page):
    key = f"measure:{measure.pk}:name"
    open_measure(page, live_server, cast, measure)
    page.route("**/lagre/", lambda route: route.abort())
    page.locator(f"#{dom_id(key)}").fill("Uten nett")
    expect(page.locator(f"#msg-{dom_id(key)} .lk-not-saved")).to_be_visible()
    page.unroute("**/lagre/")
    expect(page.locator(f"#msg-{dom_id(key)} .lk-saved")).to_be_visible(timeout=10_000)
    measure.refresh_from_db()
    assert measure.name == "Uten nett"


def test_a_coauthors_amount_shows_in_the_field_and_the_sum_and_retyping_the_old_value_is_sent(
    cast, measure, live_server, page
):
    owner_key, partner_key = f"measure:{measure.pk}:owner_amount", f"measure:{measure.pk}:partner_amount"
    open_measure(page, live_server, cast, measure)
    expect(page.locator(f"#{dom_id(owner_key)}")).to_have_value("150 000")
    server_idle(page, live_server)
    # The UH contact changes the owner's amount in another browser.
    assert save_field(cast.report, owner_key, "160 000", "150 000", by=cast.partner_contact).status == "saved"

    # This person saves the UH amount: the answer brings the new owner amount, and the sums agree with it.
    with page.expect_response(is_save_of(partner_key)):
        page.locator(f"#{dom_id(partner_key)}").fill("10 000")
    expect(page.locator(f"#{dom_id(owner_key)}")).to_have_value("160 000")
    expect(page.locator(f"#measure-total-{measure.pk}")).to_have_text("kr\u00a0170\u00a0000")
    expect(page.locator("#totals tbody tr").first.locator("td").nth(2)).to_have_text("kr\u00a0170\u00a0000")

    # Typing the value the page was loaded with is a change now, and it is sent.
    with page.expect_response(is_save_of(owner_key)) as response:
        page.locator(f"#{dom_id(owner_key)}").fill("150 000")
    assert response.value.status == 200
    measure.refresh_from_db()
    assert (measure.owner_amount, measure.partner_amount) == (150_000, 10_000)


def test_the_page_shows_who_else_has_the_report_open_and_their_new_amounts(cast, measure, live_server, page):
    owner_key = f"measure:{measure.pk}:owner_amount"
    page.clock.install()
    open_measure(page, live_server, cast, measure)
    presence = page.locator("#lk-presence")
    expect(presence).to_be_hidden()
    server_idle(page, live_server)

    other = Client()
    other.force_login(cast.partner_contact)
    assert other.post(reverse("needs:presence", args=[cast.report.pk])).status_code == 200
    assert save_field(cast.report, owner_key, "175 000", "150 000", by=cast.partner_contact).ok
    page.clock.fast_forward(21_000)  # the page polls every ~20 s
    expect(presence).to_be_visible()
    expect(presence).to_contain_text(str(cast.partner_contact))
    expect(page.locator(f"#{dom_id(owner_key)}")).to_have_value("175 000")
    expect(page.locator("#totals tbody tr").first.locator("td").nth(0)).to_have_text("kr\u00a0175\u00a0000")


# ── The place ──


def test_a_checklist_link_opens_the_measure_with_its_field_focused(cast, measure, live_server, page):
    Measure.objects.filter(pk=measure.pk).update(purpose="")
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "check"]))
    page.locator(f"#checklist a[href$='#measure-{measure.pk}-purpose']").click()
    expect(page).to_have_url(re.compile(rf"/tiltak/{measure.pk}/#measure-{measure.pk}-purpose$"))
    expect(page.locator(f"#measure-{measure.pk}-purpose")).to_be_focused()
    assert page.evaluate(f"document.getElementById('measure-{measure.pk}-purpose').getBoundingClientRect().top") < 900


def test_a_new_measure_is_created_by_its_first_save_and_the_person_continues_in_its_form(cast, live_server, page):
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "measures"]))
    page.locator("#add-measure").click()
    expect(page).to_have_url(re.compile(r"/tiltak/ny/$"))
    assert not Measure.objects.filter(report=cast.report).exists()
    expect(page.locator("#new-name")).to_be_focused()
    page.locator("#new-name").fill("Vurdering for læring")
    page.locator("#new-owner_amount").fill("60 000")
    page.locator("#create-measure").click()
    new = Measure.objects.get(report=cast.report)
    assert (new.name, new.owner_amount) == ("Vurdering for læring", 60_000)
    expect(page.locator(f"#measure-{new.pk}-purpose")).to_be_focused()
    page.reload()  # a reload after the save gets the page, and posts nothing again
    assert Measure.objects.filter(report=cast.report).count() == 1


def test_removing_a_measure_asks_in_a_dialog_and_cancel_keeps_it(cast, measure, live_server, page):
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "measures"]))
    dialogs: list[Any] = []
    page.on("dialog", lambda d: dialogs.append(d.message))  # the browser's own confirm() must not appear
    remove = page.get_by_role("button", name="Fjern tiltak 1")
    remove.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Lesing i alle fag")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    assert Measure.objects.filter(pk=measure.pk).exists()

    remove.click()
    page.get_by_role("dialog").get_by_role("button", name="Fjern tiltaket").click()
    expect(page.locator("main .ds-alert").first).to_contain_text("Lesing i alle fag")
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert dialogs == []


def test_after_saving_a_section_the_person_is_back_in_the_field_they_were_in(cast, live_server, page):
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "units"]))
    field = page.locator(f"#report-{cast.report.pk}-public_schools")
    field.fill("6")
    page.locator("#lk-save button").click()
    expect(page).to_have_url(re.compile(rf"#report-{cast.report.pk}-public_schools$"))
    expect(field).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Enheter – "))


# ── Phones ──


def test_on_a_phone_the_persons_links_fold_into_a_menu_and_stand_in_the_bar_on_a_wide_screen(
    cast, live_server, browser
):
    context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 740})
    page = context.new_page()
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + cast.report.get_absolute_url())
    header = page.locator("header")
    menu = header.get_by_text("Meny", exact=True)
    mine = header.get_by_role("link", name="Mine behovsmeldinger")
    expect(menu).to_be_visible()
    expect(mine).to_be_hidden()
    menu.click()
    expect(mine).to_be_visible()
    expect(header.get_by_role("button", name="Logg ut")).to_be_visible()
    expect(header).to_contain_text("Logget inn som")
    box = header.locator(".lk-menu-items").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320  # the open panel stays on the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    mine.click()
    expect(page).to_have_url(re.compile(r"/behovsmeldinger/$"))
    # On a wide screen there is no button: the links stand in the bar
    page.set_viewport_size({"width": 1280, "height": 740})
    expect(header.get_by_text("Meny", exact=True)).to_be_hidden()
    expect(header.get_by_role("link", name="Mine behovsmeldinger")).to_be_visible()
    expect(header.get_by_role("link", name="Min konto")).to_be_visible()
    expect(header.get_by_role("button", name="Logg ut")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [390, 320])
def test_on_a_phone_the_first_field_is_on_the_first_screen_and_nothing_scrolls_sideways(
    cast, measure, live_server, browser, width
):
    # A name with a word longer than the line (as in seed 003's «spesialpedagogene/fagveilederne»)
    Measure.objects.filter(pk=measure.pk).update(name="Nettverk for spesialpedagogene/fagveilederne i regionen")
    context = browser.new_context(locale="nb-NO", viewport={"width": width, "height": 740})
    page = context.new_page()
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    pages = [
        reverse("needs:measure", args=[cast.report.pk, measure.pk]),
        *(reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("partnership", "measures", "units")),
        reverse("needs:edit_section", args=[cast.report.pk, "check"]),
        cast.report.get_absolute_url(),
    ]
    wide, late = {}, {}
    for url in pages:
        page.goto(live_server.url + url)
        page.evaluate("document.fonts.ready.then(() => true)")  # measured in the page's own font, not a fallback's
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[url] = scroll
        top = page.evaluate(
            "(() => { const f = document.querySelector('main .lk-form input:not([type=hidden]), main .lk-form textarea');"
            " return f ? f.getBoundingClientRect().top : 0 })()"
        )
        if top > 740:
            late[url] = top
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "measures"]))
    # The first presence poll puts the totals in anew: measure once it has been answered.
    page.wait_for_load_state("networkidle")
    # «Totalt» and the row's buttons are on the screen, not cut off beside it
    for locator in (
        page.locator("#totals td[data-label='Totalt']").first,
        page.get_by_role("button", name="Fjern tiltak 1"),
    ):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    context.close()
    assert (wide, late) == ({}, {})


# ── Accessibility and the Content-Security-Policy, page by page ──


def test_every_page_of_the_form_is_axe_clean_and_breaks_no_content_security_policy(cast, measure, live_server, page):
    violations = csp_violations(page)
    page.goto(live_server.url + reverse("account_login"))
    found = {"login": axe_violations(page)}
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    urls = {
        **{s: reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("partnership", "measures", "union")},
        **{s: reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("units", "check")},
        "measure": reverse("needs:measure", args=[cast.report.pk, measure.pk]),
        "new measure": reverse("needs:add_measure", args=[cast.report.pk]),
        "report": cast.report.get_absolute_url(),
        "two-factor": reverse("mfa_activate_totp"),
        "e-mail": reverse("account_email"),
    }
    for name, url in urls.items():
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        found[name] = axe_violations(page)
    page.goto(live_server.url + reverse("needs:edit_section", args=[cast.report.pk, "measures"]))
    page.get_by_role("button", name="Fjern tiltak 1").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.wait_for_timeout(500)  # the dialog's opening animation
    found["removal dialog"] = axe_violations(page)
    page.goto(live_server.url + "/admin/login/")
    assert {k: v for k, v in found.items() if v} == {}
    assert violations == []


def test_the_two_factor_secret_is_readable_at_a_contrast_of_at_least_4_5(cast, live_server, page):
    login(page, live_server, cast.owner_contact.email, PASSWORD)
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    secret = page.locator("#authenticator_secret")
    expect(secret).to_be_visible()
    ratio = page.evaluate(CONTRAST, "#authenticator_secret")
    assert ratio >= 4.5, ratio


CONTRAST = """(sel) => {
  const el = document.querySelector(sel);
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = null;
  for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) { bg = c; break; } }
  const style = getComputedStyle(el);
  const fg = rgb(style.color), opacity = Number(style.opacity);
  const mixed = fg.slice(0, 3).map((v, i) => v * opacity + (bg || [255, 255, 255])[i] * (1 - opacity));
  const [a, b] = [lum(mixed), lum(bg || [255, 255, 255])].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_a_save_over_a_coauthors_newer_text_says_not_saved_and_keep_mine_saves_it(cast, measure, live_server, page):
    key = f"measure:{measure.pk}:name"
    open_measure(page, live_server, cast, measure)
    server_idle(page, live_server)
    assert save_field(cast.report, key, "Deres navn", "Lesing i alle fag", by=cast.partner_contact).ok
    message = page.locator(f"#msg-{dom_id(key)}")
    with page.expect_response(is_save_of(key)) as response:
        page.locator(f"#{dom_id(key)}").fill("Mitt navn")
    assert response.value.status == 409
    expect(message.locator(".lk-not-saved")).to_contain_text("Ikke lagret.")
    expect(message.locator(".lk-theirs")).to_have_text("Deres navn")
    expect(page.locator(f"#{dom_id(key)}")).to_have_value("Mitt navn")
    message.get_by_role("button", name="Behold min").click()
    expect(message.locator(".lk-saved")).to_be_visible()
    measure.refresh_from_db()
    assert measure.name == "Mitt navn"
