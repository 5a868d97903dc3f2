"""Property-based tests of the needs-report form: generated input to autosave, section saves, the measure
form and the importer (issue 9, "Done when").

For every input: never a 500; every rejection has a message in the user's language (bokmål here: not
empty, and not an English source string); what was accepted is stored exactly as it is shown back; and
totals equal the sum of their parts. The seed is fixed (derandomize), so a run is repeatable; each
example is cheap: one report per test, inside the test's transaction.
"""

from __future__ import annotations

import html
import logging
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

from lokalkomp.needs.autosave import MAX_AMOUNT, MAX_COUNT, REGISTRY, TRIM, shown
from lokalkomp.needs.importer import read_needs_report
from lokalkomp.needs.importer.amounts import parse_amount
from lokalkomp.needs.importer.text import ImportFileError
from lokalkomp.needs.imports import ImportRejected, import_report
from lokalkomp.needs.models import Continuation, Measure, NeedsReport
from lokalkomp.needs.tests.forms import default_form, form_text
from lokalkomp.testing import make_measure, make_office, make_round, mark_reauthenticated

from .conftest import INPUTS, OUTCOMES, examples

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


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Any:
    """Django logs every 4xx as a warning: thousands of lines, and time. A 500 is still logged (ERROR)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def forget_pending(report: NeedsReport) -> None:
    """Clear the kept invalid values: they pile up over an example's refusals (10 000-character ones too) and
    every later request reads and rewrites them. Only what the refusal changed is reset."""
    NeedsReport.objects.filter(pk=report.pk).exclude(pending={}).update(pending={})


def spaced_or_plain(n: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(n), f"{n:,}".replace(",", " ")])


def account_with_check_digit(ten: str) -> str:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    check = (11 - sum(int(d) * w for d, w in zip(ten, weights, strict=True)) % 11) % 11
    return f"{ten[:4]}.{ten[4:6]}.{ten[6:]}{check}" if check != 10 else ten  # 10: no valid number (refused)


# What a person normally types: the other half of the inputs, so that whole forms are accepted too (one
# wild field refuses the whole form). Each example mixes them: all wild, or a few wild fields among these.
PLAIN_TEXT = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ ,.-\n"), max_size=40)
PLAIN_NAME = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅ"), min_size=1, max_size=30)
PLAIN_AMOUNT = st.integers(0, MAX_AMOUNT).flatmap(spaced_or_plain)
PLAIN_CELL = st.integers(0, 10**7).map(lambda n: "Kr " + f"{n:,}".replace(",", " "))
PLAIN_COUNT = st.one_of(st.just(""), st.integers(0, MAX_COUNT).flatmap(spaced_or_plain))
PLAIN_EMAIL = st.from_regex(r"\A[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.no\Z", fullmatch=True)
PLAIN_PHONE = st.from_regex(r"\A[49][0-9]{7}\Z", fullmatch=True)
PLAIN_ACCOUNT = st.from_regex(r"\A[1-9][0-9]{9}\Z", fullmatch=True).map(account_with_check_digit)


@st.composite
def mixed(draw: Any, plain: dict[str, st.SearchStrategy[Any]], wild: dict[str, st.SearchStrategy[Any]]) -> Any:
    """One value per field: every field wild, or a few (shrinking towards none) among plain ones."""
    names = list(plain)
    chosen = draw(st.one_of(st.just(set(names)), st.sets(st.sampled_from(names), max_size=3)), label="wild fields")
    return {name: draw(wild[name] if name in chosen else plain[name], label=name) for name in names}


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


def autosave_one(owner: Client, cast: Any, key: str, raw: str, base: str | None) -> None:
    """Post one field as autosave does, and check the answer against what is stored."""
    name = key.rsplit(":", 1)[1]
    post = {"key": key, key: raw} | ({} if base is None else {f"base:{key}": base})
    if name == "account_number":  # the run may outlast the re-authentication window: sign in afresh
        mark_reauthenticated(owner, cast.owner_contact)
    response = owner.post(reverse("needs:save", args=[cast.report.pk]), post, headers={"HX-Request": "true"})
    INPUTS["autosave"] += 1
    OUTCOMES[f"autosave {response.status_code}"] += 1
    assert response.status_code in {200, 409, 422}, (response.status_code, key, raw, base)
    text = page(response)
    if response.status_code == 422:
        found = messages_of(text)
        assert found, "refused without a message"
        for message in found:
            assert_in_bokmal(message)
        forget_pending(cast.report)
    if response.status_code == 409:
        assert (
            "Noen andre endret dette feltet etter at du begynte. Teksten din er tatt vare på her; velg hva som skal gjelde."
            in text
        )
    if response.status_code == 200:
        value = stored(key)
        shown_back = re.search(rf'name="base:{re.escape(key)}" value="([^"]*)"', text, re.S)
        assert shown_back, "no new base in the answer"
        assert html.unescape(shown_back[1]) == shown(value, name)
        if name not in {"account_number", "phone", "email", "semesters", "scheme"} and isinstance(value, str):
            # A text is stored as typed: only spaces and invisible characters at its edges go.
            assert value in {raw.strip(TRIM), raw.replace("\r\n", "\n").replace("\r", "\n"), ""}
    if "amount" in key:
        assert_totals_are_the_sum_of_their_parts(cast.report)


@settings(max_examples=examples(140), **SETTINGS)
@given(data=st.data())
def test_autosave_answers_every_input_with_a_saved_value_shown_as_stored_or_a_bokmal_message(
    owner: Client, cast: Any, keys: list[str], data: Any
) -> None:
    """Several edits per example, one after another on the same report, as a person types through a form."""
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        key = data.draw(st.sampled_from(keys), label="key")
        raw = data.draw(VALUE, label="typed")
        base = data.draw(st.one_of(st.just(shown(stored(key), key.rsplit(":", 1)[1])), st.none(), VALUE), label="base")
        autosave_one(owner, cast, key, raw, base)


UNITS = ("municipal_kindergartens", "private_kindergartens", "public_schools", "private_schools", "pp_services")


@settings(max_examples=examples(160), **SETTINGS)
@given(typed=mixed(dict.fromkeys(UNITS, PLAIN_COUNT), dict.fromkeys(UNITS, COUNTISH)))
def test_a_section_save_stores_every_count_as_typed_or_nothing_with_a_bokmal_message(
    owner: Client, cast: Any, typed: dict[str, str]
) -> None:
    report = cast.report
    before = NeedsReport.objects.filter(pk=report.pk).values(*UNITS).get()
    post: dict[str, str] = {}
    for name in UNITS:
        post[f"report:{report.pk}:{name}"] = typed[name]
        post[f"base:report:{report.pk}:{name}"] = shown(before[name], name)
    response = owner.post(reverse("needs:save_section", args=[report.pk, "units"]), post)
    INPUTS["section saves"] += len(UNITS)
    OUTCOMES[f"section saves {response.status_code}"] += 1
    after = NeedsReport.objects.filter(pk=report.pk).values(*UNITS).get()
    assert response.status_code in {200, 302, 422}, response.status_code
    if response.status_code == 422:
        assert after == before, "a refused section save changed something"
        found = messages_of(page(response))
        assert found
        for message in found:
            assert_in_bokmal(message)
        forget_pending(report)
    else:
        for name in UNITS:
            digits = typed[name].strip(TRIM).replace(" ", "")
            assert after[name] == (int(digits) if digits else None), (name, typed[name])


MEASURE_AMOUNTS = ("owner_amount", "partner_amount")
SEMESTERS = ("2027-spring", "2027-autumn", "2028-spring")
WILD_TEXT = st.one_of(ANY_TEXT, KNOWN)
WILD_AMOUNT = st.one_of(AMOUNTISH, KNOWN, st.integers(0, 10**10).map(str))
WILD_SEMESTERS = st.lists(st.sampled_from([*SEMESTERS, "2026-spring", "²"]), max_size=4)
MEASURE_PLAIN = (
    {"name": PLAIN_NAME}
    | dict.fromkeys(Measure.NARRATIVE_FIELDS, PLAIN_TEXT)
    | dict.fromkeys(MEASURE_AMOUNTS, PLAIN_AMOUNT)
    | {"semesters": st.lists(st.sampled_from(SEMESTERS), max_size=4)}
)
MEASURE_WILD = (
    {"name": WILD_TEXT}
    | dict.fromkeys(Measure.NARRATIVE_FIELDS, WILD_TEXT)
    | dict.fromkeys(MEASURE_AMOUNTS, WILD_AMOUNT)
    | {"semesters": WILD_SEMESTERS}
)


@settings(max_examples=examples(180), **SETTINGS)
@given(typed=mixed(MEASURE_PLAIN, MEASURE_WILD))
def test_the_measure_form_stores_all_fields_as_typed_or_none_with_bokmal_messages(
    owner: Client, cast: Any, typed: dict[str, Any]
) -> None:
    report = cast.report
    measure = report.measures.first() or make_measure(report, 0, 0, name="Lesing")
    fields = tuple(typed)
    before = Measure.objects.filter(pk=measure.pk).values(*fields).get()
    post: dict[str, Any] = {}
    for field, value in typed.items():
        post[f"measure:{measure.pk}:{field}"] = value
        post[f"base:measure:{measure.pk}:{field}"] = (
            ",".join(before[field]) if field == "semesters" else shown(before[field], field)
        )
    response = owner.post(reverse("needs:save_measure", args=[report.pk, measure.pk]), post)
    INPUTS["measure form"] += len(fields)
    OUTCOMES[f"measure form {response.status_code}"] += 1
    after = Measure.objects.filter(pk=measure.pk).values(*fields).get()
    assert response.status_code in {200, 302, 422}, response.status_code
    if response.status_code == 422:
        assert after == before, "a refused measure save changed something"
        found = messages_of(page(response))
        assert found
        for message in found:
            assert_in_bokmal(message)
        forget_pending(report)
    else:
        assert after["name"] == typed["name"].strip(TRIM)
        for field in Measure.NARRATIVE_FIELDS:
            text = typed[field].replace("\r\n", "\n").replace("\r", "\n")
            assert after[field] == ("" if not text.strip(TRIM) else text), field
        for field in MEASURE_AMOUNTS:
            value = typed[field].strip(TRIM)
            assert after[field] == (parse_amount(value) if value else 0)
        assert after["semesters"] == [code for code in SEMESTERS if code in typed["semesters"]]
    assert_totals_are_the_sum_of_their_parts(report)


@pytest.fixture
def round_2024(db: None) -> Any:
    return make_round(make_office(), year=2024)


CELL = st.one_of(AMOUNTISH, KNOWN, ANY_TEXT, st.integers(0, 10**25).map(lambda n: f"Kr {n}"))
UNITS_ROW = st.one_of(KNOWN, ANY_TEXT, st.from_regex(r"\A[0-9² -]{0,12} PPT[A-Z]{2}\Z", fullmatch=True))
PEOPLE = {
    "account": PLAIN_ACCOUNT,
    "email": PLAIN_EMAIL,
    "phone": PLAIN_PHONE,
    "name": PLAIN_NAME,
    "function": PLAIN_NAME,
    "reference": PLAIN_NAME,
}
IMPORT_PLAIN = (
    {f"measure {m} {cell}": PLAIN_CELL for m in range(3) for cell in ("owner", "partner", "total")}
    | {f"measure {m} {text}": PLAIN_NAME for m in range(3) for text in ("name", "description", "target_group")}
    | {f"{field} {p}": strategy for p in range(2) for field, strategy in PEOPLE.items()}
    | {"units": st.integers(0, 99).map(lambda n: f"{n} 0 PPTFN")}
)
IMPORT_WILD = dict.fromkeys(IMPORT_PLAIN, VALUE) | {
    name: CELL for name in IMPORT_PLAIN if name.endswith(("owner", "partner", "total", "name"))
}
IMPORT_WILD["units"] = UNITS_ROW


@settings(max_examples=examples(260), **SETTINGS)
@given(typed=mixed(IMPORT_PLAIN, IMPORT_WILD))
def test_an_import_of_a_generated_form_makes_a_consistent_draft_or_refuses_it_in_bokmal(
    round_2024: Any, typed: dict[str, str]
) -> None:
    def pair(field: str) -> tuple[str, str]:
        return typed[f"{field} 0"], typed[f"{field} 1"]

    form = default_form(
        accounts=pair("account"),
        emails=pair("email"),
        phones=pair("phone"),
        names=pair("name"),
        functions=pair("function"),
        references=pair("reference"),
        units=typed["units"],
    )
    for m, measure in enumerate(form.measures):
        for field in ("owner", "partner", "total", "name", "description", "target_group"):
            setattr(measure, field, typed[f"measure {m} {field}"])
    INPUTS["importer"] += len(typed)
    with translation.override("nb"), transaction.atomic():
        try:
            parsed = read_needs_report("behovsmelding.txt", form_text(form).encode("utf-8"))
            outcome = import_report(parsed, round=round_2024, by=None, filename="behovsmelding.txt")
        except (ImportRejected, ImportFileError) as refusal:
            OUTCOMES["importer refused"] += 1
            assert_in_bokmal(str(refusal))
        else:
            OUTCOMES["importer imported"] += 1
            report = outcome.report
            assert report is not None
            assert_totals_are_the_sum_of_their_parts(report)
            for measure in Measure.objects.filter(report=report):
                assert 0 <= measure.owner_amount < 2**63 and 0 <= measure.partner_amount < 2**63
            for warning in outcome.warnings:
                assert_in_bokmal(warning)
        transaction.set_rollback(True)  # the next example starts from the same database
