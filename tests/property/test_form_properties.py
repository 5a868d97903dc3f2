"""Property-based tests of the needs-report form: generated input to autosave, section saves, the measure
form and the importer (issue 9, "Done when").

For every input: never a 500; every rejection has a message in the user's language (bokmål here: not
empty, and not an English source string); what was accepted is stored exactly as it is shown back; and
totals equal the sum of their parts. The seed is fixed (derandomize), so a run is repeatable; each
example is cheap: one report per test, inside the test's transaction.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokalkomp.needs.editing import REGISTRY, TRIM, shown
from lokalkomp.needs.importer import read_needs_report
from lokalkomp.needs.importer.amounts import parse_amount
from lokalkomp.needs.importer.text import ImportFileError
from lokalkomp.needs.imports import ImportRejected, import_report
from lokalkomp.needs.models import Continuation, Measure, NeedsReport
from lokalkomp.needs.tests.forms import default_form, form_text
from lokalkomp.testing import make_measure, make_office, make_round, mark_reauthenticated

from .conftest import INPUTS, examples

SETTINGS = {
    "derandomize": True,  # a fixed seed: the same inputs on every run and every machine
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
}

# What people type, paste and send: any text, amounts as they are written, and the inputs that broke before.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
AMOUNTISH = st.from_regex(r"\A(kr |Kr |NOK )?[0-9][0-9 .,]{0,14}(,-|,00| kr)?\Z", fullmatch=True)
KNOWN = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "1\x002",
        "²",
        "² 0",
        "\ufeff",
        "\u200f",
        "\u200b",
        "12 5",
        "400 00 000",
        "1,00,00",
        "1.000.00",
        "kr 120 000",
        "120 000,-",
        "-5",
        "9" * 30,
        "2147483648",
        "10000",
        "10 000",
        "10001",
        "1234566",
        "00000000000",
        "4516.27.94918",
        "4516 27 94918",
        "a@localhost",
        "a@b.no",
        "tone@@x",
        "+47 400 00 000",
        "48011223",
        "true",
        "false",
        "yes",
        "nei",
        "\n",
        "\r\n",
        "\ntekst",
        "x" * 10_001,
        "1 000 000 001",
        "1 000 000 000",
        "NOK 1 511 235",
        "Kr 1.568.948",
    ]
)
VALUE = st.one_of(ANY_TEXT, KNOWN, AMOUNTISH, st.integers(0, 10**13).map(str))
COUNTISH = st.one_of(st.integers(0, 20_000).map(str), st.integers(0, 10**12).map(str), KNOWN, ANY_TEXT)


@cache
def english_fragments() -> tuple[str, ...]:
    """The fixed parts (12+ characters) of every English source string that bokmål translates."""
    fragments = []
    for msgid, msgstr in trans_real.translation("nb")._catalog.items():
        if isinstance(msgid, str) and msgstr != msgid:
            fragments += [part for part in re.split(r"%\(\w+\)[sd]|%s", msgid) if len(part.strip()) >= 12]
    return tuple(fragments)


def assert_in_bokmal(message: str) -> None:
    assert message.strip(), "a rejection without a message"
    english = [fragment for fragment in english_fragments() if fragment in message]
    assert not english, f"the message is in English: {message!r}"


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def messages_of(text: str) -> list[str]:
    return re.findall(r'data-field="validation"[^>]*>([^<]*)</p>', text)


def stored(key: str) -> Any:
    kind, pk, name = key.split(":")
    editable = REGISTRY[kind]
    attname = editable.model._meta.get_field(name).attname  # type: ignore[union-attr]
    return editable.model._default_manager.filter(pk=int(pk)).values_list(attname, flat=True).get()


def assert_totals_are_the_sum_of_their_parts(report: NeedsReport) -> None:
    report = NeedsReport.objects.get(pk=report.pk)
    for scheme, totals in report.totals_by_scheme().items():
        sums = Measure.objects.filter(report=report, scheme=scheme).aggregate(
            owner=Sum("owner_amount", default=0), partner=Sum("partner_amount", default=0)
        )
        assert (totals.owner, totals.partner) == (sums["owner"], sums["partner"])
        assert totals.total == totals.owner + totals.partner


@pytest.fixture
def owner(cast: Any) -> Client:
    client = Client()
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    return client


@pytest.fixture
def keys(cast: Any) -> list[str]:
    """Every autosaved field of one report: its units, a measure, a continuation, a scheme, people, accounts."""
    report = cast.report
    measure = make_measure(report, 100_000, 50_000, name="Lesing")
    continuation = Continuation.objects.create(measure=measure, period=f"{report.round.year + 1}-autumn")
    objects = {
        "report": report.pk,
        "measure": measure.pk,
        "continuation": continuation.pk,
        "scheme": report.report_schemes.first().pk,
        "participant": report.partnership.participants.get(side="owner", is_lead=True).pk,
        "contact": report.partnership.participants.get(side="owner", is_lead=True).contacts.first().pk,
        "union": report.union_participants.first().pk,
    }
    return [f"{kind}:{pk}:{name}" for kind, pk in objects.items() for name in REGISTRY[kind].fields]


@settings(max_examples=examples(1500), **SETTINGS)
@given(data=st.data())
def test_autosave_answers_every_input_with_a_saved_value_shown_as_stored_or_a_bokmal_message(
    owner: Client, cast: Any, keys: list[str], data: Any
) -> None:
    key = data.draw(st.sampled_from(keys), label="key")
    raw = data.draw(VALUE, label="typed")
    name = key.rsplit(":", 1)[1]
    base = data.draw(st.one_of(st.just(shown(stored(key), name)), st.none(), VALUE), label="base")
    post = {"key": key, key: raw} | ({} if base is None else {f"base:{key}": base})
    if name == "account_number":  # the run outlasts the re-authentication window: sign in afresh
        mark_reauthenticated(owner, cast.owner_contact)
    response = owner.post(reverse("needs:save", args=[cast.report.pk]), post, headers={"HX-Request": "true"})
    INPUTS["autosave"] += 1
    assert response.status_code in {200, 409, 422}, response.status_code
    text = page(response)
    if response.status_code == 422:
        found = messages_of(text)
        assert found, "refused without a message"
        for message in found:
            assert_in_bokmal(message)
    if response.status_code == 409:
        assert "Noen andre endret dette feltet" in text or "endret" in text
    if response.status_code == 200:
        shown_back = re.search(rf'name="base:{re.escape(key)}" value="([^"]*)"', text, re.S)
        assert shown_back, "no new base in the answer"
        assert html.unescape(shown_back[1]) == shown(stored(key), name)
        if name not in {"account_number", "phone", "email", "semesters", "scheme"} and isinstance(stored(key), str):
            # A text is stored as typed: only spaces and invisible characters at its edges go.
            value = stored(key)
            assert value in {raw.strip(TRIM), raw.replace("\r\n", "\n").replace("\r", "\n"), ""}
    if "amount" in key:
        assert_totals_are_the_sum_of_their_parts(cast.report)


UNITS = ("municipal_kindergartens", "private_kindergartens", "public_schools", "private_schools", "pp_services")


@settings(max_examples=examples(500), **SETTINGS)
@given(typed=st.tuples(*[COUNTISH] * len(UNITS)))
def test_a_section_save_stores_every_count_as_typed_or_nothing_with_a_bokmal_message(
    owner: Client, cast: Any, typed: tuple[str, ...]
) -> None:
    report = cast.report
    before = NeedsReport.objects.filter(pk=report.pk).values(*UNITS).get()
    post: dict[str, str] = {}
    for name, value in zip(UNITS, typed, strict=True):
        post[f"report:{report.pk}:{name}"] = value
        post[f"base:report:{report.pk}:{name}"] = shown(before[name], name)
    response = owner.post(reverse("needs:save_section", args=[report.pk, "units"]), post)
    INPUTS["section saves"] += len(UNITS)
    after = NeedsReport.objects.filter(pk=report.pk).values(*UNITS).get()
    assert response.status_code in {200, 302, 422}, response.status_code
    if response.status_code == 422:
        assert after == before, "a refused section save changed something"
        found = messages_of(page(response))
        assert found
        for message in found:
            assert_in_bokmal(message)
    else:
        for name, value in zip(UNITS, typed, strict=True):
            digits = value.strip(TRIM).replace(" ", "")
            assert after[name] == (int(digits) if digits else None), (name, value)


@settings(max_examples=examples(500), **SETTINGS)
@given(
    name=st.one_of(ANY_TEXT, KNOWN),
    description=st.one_of(ANY_TEXT, KNOWN),
    owner_amount=st.one_of(AMOUNTISH, KNOWN, st.integers(0, 10**10).map(str)),
    partner_amount=st.one_of(AMOUNTISH, KNOWN, st.integers(0, 10**10).map(str)),
    target_group=st.one_of(ANY_TEXT, KNOWN),
    semesters=st.lists(st.sampled_from(["2027-spring", "2027-autumn", "2028-spring", "2026-spring", "²"]), max_size=4),
)
def test_the_measure_form_stores_all_fields_as_typed_or_none_with_bokmal_messages(
    owner: Client,
    cast: Any,
    name: str,
    description: str,
    owner_amount: str,
    partner_amount: str,
    target_group: str,
    semesters: list[str],
) -> None:
    report = cast.report
    measure = report.measures.first() or make_measure(report, 0, 0, name="Lesing")
    fields = ("name", "description", "owner_amount", "partner_amount", "target_group", "semesters")
    before = Measure.objects.filter(pk=measure.pk).values(*fields).get()
    typed = {
        "name": name,
        "description": description,
        "owner_amount": owner_amount,
        "partner_amount": partner_amount,
        "target_group": target_group,
    }
    post: dict[str, Any] = {}
    for field, value in typed.items():
        post[f"measure:{measure.pk}:{field}"] = value
        post[f"base:measure:{measure.pk}:{field}"] = shown(before[field], field)
    post[f"measure:{measure.pk}:semesters"] = semesters
    post[f"base:measure:{measure.pk}:semesters"] = ",".join(before["semesters"])
    response = owner.post(reverse("needs:save_measure", args=[report.pk, measure.pk]), post)
    INPUTS["measure form"] += len(fields)
    after = Measure.objects.filter(pk=measure.pk).values(*fields).get()
    assert response.status_code in {200, 302, 422}, response.status_code
    if response.status_code == 422:
        assert after == before, "a refused measure save changed something"
        found = messages_of(page(response))
        assert found
        for message in found:
            assert_in_bokmal(message)
    else:
        assert after["name"] == name.strip(TRIM)
        for field in ("description", "target_group"):
            text = typed[field].replace("\r\n", "\n").replace("\r", "\n")
            assert after[field] == ("" if not text.strip(TRIM) else text)
        for field in ("owner_amount", "partner_amount"):
            value = typed[field].strip(TRIM)
            assert after[field] == (parse_amount(value) if value else 0)
        assert after["semesters"] == [
            code for code in ("2027-spring", "2027-autumn", "2028-spring") if code in semesters
        ]
    assert_totals_are_the_sum_of_their_parts(report)


@pytest.fixture
def round_2024(db: None) -> Any:
    return make_round(make_office(), year=2024)


CELL = st.one_of(AMOUNTISH, KNOWN, ANY_TEXT, st.integers(0, 10**25).map(lambda n: f"Kr {n}"))


@settings(max_examples=examples(300), **SETTINGS)
@given(
    cells=st.tuples(CELL, CELL, CELL, CELL, CELL, CELL),
    people=st.tuples(VALUE, VALUE, VALUE, VALUE),
    units=st.one_of(KNOWN, ANY_TEXT, st.from_regex(r"\A[0-9² -]{0,12} PPT[A-Z]{2}\Z", fullmatch=True)),
)
def test_an_import_of_a_generated_form_makes_a_consistent_draft_or_refuses_it_in_bokmal(
    round_2024: Any, cells: tuple[str, ...], people: tuple[str, ...], units: str
) -> None:
    form = default_form(
        accounts=(people[0], "1506.98.76541"),
        emails=(people[1], "eskil.brattas@haugen.no"),
        phones=(people[2], "93344556"),
        names=(people[3], "Eskil Brattås"),
        units=units,
    )
    form.measures[0].owner, form.measures[0].partner, form.measures[0].total = cells[0], cells[1], cells[2]
    form.measures[1].owner, form.measures[1].partner = cells[3], cells[4]
    form.measures[2].name = cells[5]
    INPUTS["importer"] += len(cells) + len(people) + 1
    with translation.override("nb"), transaction.atomic():
        try:
            parsed = read_needs_report("behovsmelding.txt", form_text(form).encode("utf-8"))
            outcome = import_report(parsed, round=round_2024, by=None, filename="behovsmelding.txt")
        except (ImportRejected, ImportFileError) as refusal:
            assert_in_bokmal(str(refusal))
        else:
            report = outcome.report
            assert report is not None
            assert_totals_are_the_sum_of_their_parts(report)
            for measure in Measure.objects.filter(report=report):
                assert 0 <= measure.owner_amount < 2**63 and 0 <= measure.partner_amount < 2**63
            for warning in outcome.warnings:
                assert_in_bokmal(warning)
        transaction.set_rollback(True)  # the next example starts from the same database
