"""The Statsforvalter writes the long-term plan's goals; the owner's contact ticks the goals and the
municipal plan's areas a measure serves, each tick saved at once, and finds them on the report page.
Every page is scanned with axe-core."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from lokalkomp.gatherings.models import MeasureArea, MunicipalPlan, PlanArea
from lokalkomp.needs.models import FieldEdit
from lokalkomp.schemes.models import LongTermPlan
from lokalkomp.testing import add_contact, complete, make_governor_admin, make_report, make_round, make_user, totp_code

from .conftest import axe_violations, login

PASSWORD = "pw-Secret-123"


@pytest.fixture
def world(transactional_db):
    cache.clear()
    round = make_round(year=2027)
    report = make_report(round)
    measure = complete(report)
    contact = make_user("eier@plan.test")
    add_contact(report, contact)
    owner = report.partnership.participants.get(side="owner").organisation
    plan = MunicipalPlan.objects.create(owner=owner, first_year=2024, last_year=2027)
    PlanArea.objects.create(plan=plan, title="Språk og lesing", position=1)
    return {"round": round, "report": report, "measure": measure, "contact": contact}


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def test_the_goals_are_kept_by_the_statsforvalter_and_ticked_in_the_measure(world, live_server, browser, page):
    office = world["round"].office
    admin = make_governor_admin(office, "statsforvalter@plan.test")
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.fill("input[name=code]", totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/runder/{office.slug}/2027/")
    page.click("#long-term-plan")
    page.wait_for_url(f"**/runder/embeter/{office.slug}/langsiktig-plan/")
    assert_accessible(page)
    page.fill("input[name=first_year]", "2024")
    page.fill("input[name=last_year]", "2027")
    page.click("main form[action$='/ny/'] button[type=submit]")
    page.wait_for_load_state()
    for text in ("Lesing og skriving", "Inkludering"):
        page.fill("main textarea[name=text]", text)
        page.click("main form[action$='/mal/ny/'] button[type=submit]")
        page.wait_for_load_state()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert_accessible(page)
    plan = LongTermPlan.objects.get(office=office)
    assert list(plan.goals.values_list("text", flat=True)) == ["Lesing og skriving", "Inkludering"]

    contact_page = browser.new_context(locale="nb-NO").new_page()
    world["contact"].set_password(PASSWORD)
    world["contact"].save()
    login(contact_page, live_server, world["contact"].email, PASSWORD)
    measure, report = world["measure"], world["report"]
    contact_page.goto(f"{live_server.url}/behovsmeldinger/{report.pk}/tiltak/{measure.pk}/")
    assert_accessible(contact_page)
    goals = contact_page.locator(f"#measure-{measure.pk}-goals")
    goals.get_by_label("Inkludering").check()
    expect(contact_page.locator(f"#msg-measure-{measure.pk}-goals .lk-saved")).to_be_visible()
    goals.get_by_label("Lesing og skriving").check()
    contact_page.wait_for_load_state("networkidle")  # the goals' second save home before the next field is used
    areas = contact_page.locator(f"#measure-{measure.pk}-development_areas")
    areas.get_by_label("Språk og lesing").check()
    expect(contact_page.locator(f"#msg-measure-{measure.pk}-development_areas .lk-saved")).to_be_visible()
    contact_page.wait_for_load_state("networkidle")
    assert sorted(measure.goals.values_list("text", flat=True)) == ["Inkludering", "Lesing og skriving"]
    assert list(MeasureArea.objects.filter(measure=measure).values_list("area__title", flat=True)) == [
        "Språk og lesing"
    ]
    assert FieldEdit.objects.filter(key=f"measure:{measure.pk}:goals").count() == 2  # no conflict on the second

    contact_page.reload()
    expect(goals.get_by_label("Inkludering")).to_be_checked()
    contact_page.goto(f"{live_server.url}/behovsmeldinger/{report.pk}/")
    contact_page.click(f"#measure-{measure.pk} summary")
    expect(contact_page.locator(f"#measure-{measure.pk}-goals li")).to_have_count(2)
    expect(contact_page.locator(f"#measure-{measure.pk}-development_areas li")).to_have_text(["Språk og lesing"])
    assert_accessible(contact_page)
