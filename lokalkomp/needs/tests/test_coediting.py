"""Writing together and keeping one's place: presence, the amounts as stored, new measures, uses, CSP, redirects."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.checks import problems
from lokalkomp.needs.models import Measure, ReportPresence
from lokalkomp.testing import make_measure


def signed_in(user, language="nb"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def body(response):
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def owner(cast):
    return signed_in(cast.owner_contact)


# ── Content-Security-Policy: no inline script anywhere ──

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


def test_every_page_of_the_form_has_a_content_security_policy_without_inline_script(cast, owner):
    measure = make_measure(cast.report, name="Lesing")
    urls = [
        reverse("home"),
        reverse("needs:mine"),
        cast.report.get_absolute_url(),
        *(reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("partnership", "measures", "union")),
        *(reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("units", "check")),
        reverse("needs:measure", args=[cast.report.pk, measure.pk]),
        reverse("needs:add_measure", args=[cast.report.pk]),
    ]
    for url in urls:
        response = owner.get(url)
        assert response.status_code == 200, url
        policy = response.headers["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", policy)[1].split()
        assert script == ["'self'"], f"{url}: {policy}"
        assert "'unsafe-eval'" not in policy and "frame-ancestors 'none'" in policy
        html = body(response)
        assert INLINE_SCRIPT.findall(html) == [], url
        assert INLINE_HANDLER.findall(html) == [], url
        assert '"allowEval":false' in html, f"{url}: htmx must not evaluate attributes as script"


def test_the_sign_in_page_and_the_admin_sign_in_have_the_policy_too(db, client):
    for url in (reverse("account_login"), "/admin/login/"):
        response = client.get(url)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], url
        assert INLINE_SCRIPT.findall(body(response)) == [], url


# ── A new measure is made by its first save ──


def test_add_a_measure_shows_a_blank_form_and_creates_nothing(cast, owner):
    response = owner.get(reverse("needs:add_measure", args=[cast.report.pk]))
    assert response.status_code == 200
    assert 'name="new:name"' in body(response)
    assert not Measure.objects.filter(report=cast.report).exists()
    assert not [p for p in problems(cast.report) if p.code.startswith("name-")]


def test_the_first_save_creates_the_measure_with_what_was_typed(cast, owner):
    response = owner.post(
        reverse("needs:add_measure", args=[cast.report.pk]),
        {"new:name": "Lesing i alle fag", "new:owner_amount": "kr 120 000", "new:partner_amount": ""},
    )
    new = Measure.objects.get(report=cast.report)
    assert (new.name, new.owner_amount, new.partner_amount) == ("Lesing i alle fag", 120_000, 0)
    assert response.url == reverse("needs:measure", args=[cast.report.pk, new.pk]) + f"#measure-{new.pk}-purpose"


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"new:name": "  "}, "Gi tiltaket et navn før du lagrer."),
        ({"new:name": "Lesing", "new:owner_amount": "mange"}, "kroner"),
    ],
)
def test_a_first_save_that_is_refused_creates_no_measure_and_keeps_what_was_typed(cast, owner, posted, message):
    response = owner.post(reverse("needs:add_measure", args=[cast.report.pk]), posted)
    assert response.status_code == 422
    assert not Measure.objects.filter(report=cast.report).exists()
    html = body(response)
    assert message in html
    if "new:owner_amount" in posted:
        assert 'value="mange"' in html and 'value="Lesing"' in html


# ── Uses of funds: only what the scheme allows ──


def test_the_measure_form_offers_only_the_uses_its_scheme_allows(cast, owner):
    measure = make_measure(cast.report, name="Lesing")
    html = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    select = re.search(rf'<select[^>]*id="measure-{measure.pk}-purpose".*?</select>', html, re.S)[0]
    offered = re.findall(r'<option value="([a-z_]+)"', select)
    assert offered == ["assessment", "planning", "implementation", "coordinator"]
    assert "further_education" not in select


def test_a_use_chosen_before_that_the_scheme_forbids_is_shown_as_not_allowed(cast, owner):
    measure = make_measure(cast.report, name="Videreutdanning", purpose="further_education")
    html = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    assert re.search(r'<option value="further_education" selected>[^<]*ikke tillatt i', html)


def test_the_measure_box_shows_the_measures_own_total_and_the_reports_sum_outside_it(cast, owner):
    make_measure(cast.report, 500_000, 500_000, name="Annet")
    measure = make_measure(cast.report, 120_000, 80_000, name="Lesing")
    html = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    box = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Fordeling av tilskuddet.*?</fieldset>", html, re.S)[0]
    assert f'<strong id="measure-total-{measure.pk}">kr 200 000</strong>' in box
    assert 'id="totals"' not in box
    assert "kr 1 200 000" in html.split("</fieldset>", 1)[1]  # the report's sum, after the box


# ── Co-editing: presence and the amounts as stored ──


def poll(client, report):
    return client.post(reverse("needs:presence", args=[report.pk]))


def test_presence_names_the_other_contact_who_has_the_report_open(cast):
    owner, partner = signed_in(cast.owner_contact), signed_in(cast.partner_contact)
    assert poll(owner, cast.report).json()["others"] == []
    assert poll(partner, cast.report).json()["others"] == [str(cast.owner_contact)]
    assert poll(owner, cast.report).json()["others"] == [str(cast.partner_contact)]
    assert ReportPresence.objects.filter(report=cast.report).count() == 2  # stored, so every process sees it


def test_presence_forgets_a_page_that_stopped_polling(cast):
    owner, partner = signed_in(cast.owner_contact), signed_in(cast.partner_contact)
    poll(owner, cast.report)
    from django.utils import timezone

    ReportPresence.objects.update(last_seen=timezone.now() - timezone.timedelta(seconds=61))
    assert poll(partner, cast.report).json()["others"] == []


def test_presence_is_refused_to_a_stranger_and_asks_an_expired_session_to_sign_in(cast, client):
    assert poll(client, cast.report).status_code == 401
    assert poll(signed_in(cast.other_coordinator), cast.report).status_code == 404


def test_the_poll_and_an_amount_save_carry_a_coauthors_amounts_with_the_sums(cast):
    measure = make_measure(cast.report, 150_000, 0, name="Lesing")
    owner, partner = signed_in(cast.owner_contact), signed_in(cast.partner_contact)
    key = f"measure:{measure.pk}:owner_amount"
    partner.post(
        reverse("needs:save", args=[cast.report.pk]),
        {"key": key, key: "160 000", f"base:{key}": "150 000"},
        headers={"HX-Request": "true"},
    )
    data = poll(owner, cast.report).json()
    assert data["fields"][key] == "160 000"
    assert data["texts"][f"measure-total-{measure.pk}"] == "kr\u00a0160\u00a0000"
    assert "kr\u00a0160\u00a0000" in data["totals"]
    # the owner then saves the UH amount: the answer carries the co-author's owner amount as stored
    other = f"measure:{measure.pk}:partner_amount"
    response = owner.post(
        reverse("needs:save", args=[cast.report.pk]),
        {"key": other, other: "10 000", f"base:{other}": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    sync = re.search(r'id="lk-sync" hidden hx-swap-oob="true" data-sync="([^"]*)"', response.content.decode())[1]
    fields = json.loads(sync.replace("&quot;", '"'))["fields"]
    assert (fields[key], fields[other]) == ("160 000", "10 000")


# ── The place: checklist anchors, redirect after POST, a title per section ──


def test_checklist_links_point_at_the_field_to_fix(cast):
    measure = make_measure(cast.report, name="")
    urls = {p.code: p.url for p in problems(cast.report)}
    base = reverse("needs:measure", args=[cast.report.pk, measure.pk])
    assert urls[f"name-{measure.pk}"] == f"{base}#measure-{measure.pk}-name"
    assert urls[f"amount-{measure.pk}"] == f"{base}#measure-{measure.pk}-owner_amount"
    assert urls[f"purpose-{measure.pk}"] == f"{base}#measure-{measure.pk}-purpose"
    assert urls[f"narratives-{measure.pk}"] == f"{base}#measure-{measure.pk}-anchoring"
    assert urls[f"semesters-{measure.pk}"] == f"{base}#f-measure-{measure.pk}-semesters"


def test_a_section_save_redirects_back_to_the_field_the_person_was_in(cast, owner):
    key = f"report:{cast.report.pk}:public_schools"
    url = reverse("needs:save_section", args=[cast.report.pk, "units"])
    response = owner.post(url, {key: "7", f"base:{key}": "", "focus": "report-1-public_schools"})
    assert response.status_code == 302
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "units"]) + "#report-1-public_schools"
    response = owner.post(url, {key: "8", f"base:{key}": "7", "focus": '"><script>'})
    assert response.url.endswith("#lk-save"), "only an element id is taken from the request"


def test_adding_a_row_returns_to_the_new_row(cast, owner):
    response = owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "union"]), {"union-role": "HTV", "union-name": "Kari"}
    )
    row = cast.report.union_participants.get(name="Kari")
    assert response.url.endswith(f"/skjema/union/#union-{row.pk}")


def test_each_section_has_its_own_page_title(cast, owner):
    titles = {
        s: re.search(
            r"<title>([^<]*)</title>", body(owner.get(reverse("needs:edit_section", args=[cast.report.pk, s])))
        )[1]
        for s in ("partnership", "measures", "union", "units", "check")
    }
    assert len(set(titles.values())) == 5
    assert titles["units"].startswith("Enheter – Behovsmelding")


def test_the_label_reads_pp_tjenester(cast, owner):
    html = body(owner.get(reverse("needs:edit_section", args=[cast.report.pk, "units"])))
    assert ">PP-tjenester<" in html
    assert "Pp-tjenester" not in html


def test_the_error_summary_is_a_named_region(cast, owner):
    html = body(owner.get(reverse("needs:edit_section", args=[cast.report.pk, "check"])))
    assert re.search(r'<section class="ds-error-summary"[^>]*aria-labelledby="problems-heading"', html)
