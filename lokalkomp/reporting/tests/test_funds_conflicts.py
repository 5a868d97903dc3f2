"""Two people writing the same report on the use of funds: a field's conflict with «Behold min» / «Bruk den
lagrede», and the amounts with a space between thousands, as the needs form writes and reads them."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from lokalkomp.reporting.access.funds import get_funds_report_for
from lokalkomp.reporting.funds_autosave import save_field
from lokalkomp.reporting.funds_testing import decided
from lokalkomp.reporting.models import FundsReport, FundsReportLine

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def key_of(line, field):
    return f"line:{line.pk}:{field}"


def autosave(client, report, key, value, *, base, version):
    """One field's save as the page sends it: the value, the field's base and the page's version."""
    data = {"key": key, key: value, "version": str(version)}
    if base is not None:
        data[f"base:{key}"] = base
    return client.post(reverse("reporting:funds_save", args=[report.pk]), data, headers={"HX-Request": "true"})


def body(response):
    return response.content.decode()


def stored(line, field):
    return FundsReportLine.objects.values_list(field, flat=True).get(pk=line.pk)


def version_now(report):
    return FundsReport.objects.values_list("version", flat=True).get(pk=report.pk)


def page_version(html):
    return int(re.search(r'id="funds-version" name="version" value="([0-9]+)"', html).group(1))


@pytest.fixture
def case():
    return decided(amounts=((1_500_000, 500_000),))


@pytest.fixture
def line(case):
    return case.report.lines.get()


@pytest.fixture
def both(case):
    """The owner's and the UH's contact, each with the form open at version 1."""
    a, b = signed_in(case.owner), signed_in(case.partner)
    for client in (a, b):
        assert page_version(body(client.get(case.report.get_absolute_url()))) == 1
    return a, b


# ── Conflicts ──


def test_the_form_gives_every_field_its_base_and_the_autosave_script(client, case, line):
    FundsReportLine.objects.filter(pk=line.pk).update(used_owner=1_234_567, anchoring="Forankret")
    client.force_login(case.owner)
    html = body(client.get(case.report.get_absolute_url()))
    for field, value in (("used_owner", "1 234 567"), ("used_uh", "0"), ("anchoring", "Forankret"), ("outcome", "")):
        assert f'name="base:{key_of(line, field)}" value="{value}"' in html, field
    assert f'name="{key_of(line, "used_owner")}" value="1 234 567"' in html
    assert 'hx-include="#base-' in html and "js/autosave.js" in html
    assert 'id="lk-autosave-text"' in html and 'data-not-saved="Ikke lagret."' in html


def test_a_second_save_of_the_same_field_is_a_conflict_that_holds_both_values(case, line, both):
    a, b = both
    key = key_of(line, "used_owner")
    assert autosave(a, case.report, key, "900 000", base="0", version=1).status_code == 200

    response = autosave(b, case.report, key, "800 000", base="0", version=1)
    assert response.status_code == 409
    assert stored(line, "used_owner") == 900_000
    assert version_now(case.report) == 2
    html = body(response)
    dom = slugify(key)
    assert f'<blockquote class="lk-theirs" id="theirs-{dom}" data-value="900 000">900 000</blockquote>' in html
    assert f'id="mine-{dom}">800 000</blockquote>' in html
    assert "Behold min" in html and "Bruk den lagrede" in html
    assert "Noen andre endret dette feltet etter at du begynte." in html
    assert f'data-use-theirs="{dom}"' in html
    assert 'name="base:' not in html  # the field's base stays what the person started from


def test_keep_mine_saves_over_the_others_value_with_the_new_version_token(case, line, both):
    a, b = both
    key = key_of(line, "anchoring")
    autosave(a, case.report, key, "Eier skriver", base="", version=1)
    conflict = body(autosave(b, case.report, key, "UH skriver", base="", version=1))
    token = page_version(conflict)
    assert token == 2
    # «Behold min» sends the other's value as the base and the version the conflict answered with
    assert f'"base:{key}": "Eier skriver", "version": "2"' in conflict

    response = autosave(b, case.report, key, "UH skriver", base="Eier skriver", version=token)
    assert response.status_code == 200
    assert stored(line, "anchoring") == "UH skriver"
    html = body(response)
    assert page_version(html) == 3 == version_now(case.report)
    assert f'id="base-{slugify(key)}" name="base:{key}" value="UH skriver" hx-swap-oob="true"' in html
    assert "Lagret" in html


def test_use_theirs_leaves_the_others_value_and_the_next_save_starts_from_it(case, line, both):
    a, b = both
    key = key_of(line, "used_uh")
    autosave(a, case.report, key, "400 000", base="0", version=1)
    conflict = body(autosave(b, case.report, key, "350 000", base="0", version=1))
    assert stored(line, "used_uh") == 400_000  # nothing of B's is written until B chooses
    # «Bruk den lagrede» puts data-value in the field and its base (autosave.js); nothing is sent
    theirs = re.search(rf'id="theirs-{slugify(key)}" data-value="([^"]*)"', conflict).group(1)
    assert theirs == "400 000"
    assert stored(line, "used_uh") == 400_000
    response = autosave(b, case.report, key, "410 000", base=theirs, version=page_version(conflict))
    assert response.status_code == 200
    assert stored(line, "used_uh") == 410_000


def test_typing_on_after_a_conflict_is_still_a_conflict_until_the_person_chooses(case, line, both):
    a, b = both
    key = key_of(line, "anchoring")
    autosave(a, case.report, key, "Eier skriver", base="", version=1)
    token = page_version(body(autosave(b, case.report, key, "UH", base="", version=1)))
    # the page learnt the version, but the field's base is still the empty text B started from
    response = autosave(b, case.report, key, "UH skriver mer", base="", version=token)
    assert response.status_code == 409
    assert stored(line, "anchoring") == "Eier skriver"


def test_two_people_saving_different_fields_is_no_conflict(case, line, both):
    a, b = both
    assert autosave(a, case.report, key_of(line, "used_owner"), "1 000 000", base="0", version=1).status_code == 200
    response = autosave(b, case.report, key_of(line, "fragmentation"), "Færre tiltak", base="", version=1)
    assert response.status_code == 200
    assert (stored(line, "used_owner"), stored(line, "fragmentation")) == (1_000_000, "Færre tiltak")
    assert page_version(body(response)) == 3


def test_the_same_value_saved_by_both_is_no_conflict(case, line, both):
    a, b = both
    key = key_of(line, "used_owner")
    autosave(a, case.report, key, "900 000", base="0", version=1)
    assert autosave(b, case.report, key, "900000", base="0", version=1).status_code == 200
    assert version_now(case.report) == 2  # nothing was written the second time


def test_a_base_is_compared_as_the_amount_it_is(case, line, both):
    a, b = both
    key = key_of(line, "used_owner")
    autosave(a, case.report, key, "900 000", base="0", version=1)
    assert autosave(b, case.report, key, "950 000", base="kr 900 000,-", version=1).status_code == 200
    assert stored(line, "used_owner") == 950_000


def test_a_conflict_on_a_choice_shows_its_label_and_use_theirs_takes_its_code(case, line, both):
    a, b = both
    key = key_of(line, "outcome")
    autosave(a, case.report, key, "completed", base="", version=1)
    response = autosave(b, case.report, key, "stopped", base="", version=1)
    assert response.status_code == 409
    assert f'id="theirs-{slugify(key)}" data-value="completed">Gjennomført</blockquote>' in body(response)
    assert stored(line, "outcome") == "completed"


def test_a_page_without_bases_still_gets_a_conflict_for_any_save_since(case, line, both):
    a, b = both
    autosave(a, case.report, key_of(line, "used_owner"), "10", base=None, version=1)
    response = autosave(b, case.report, key_of(line, "anchoring"), "Tekst", base=None, version=1)
    assert response.status_code == 409
    assert stored(line, "anchoring") == ""
    assert page_version(body(response)) == 2


def test_a_save_that_loses_a_race_decides_again_on_what_is_stored_then(case, line):
    # Loaded as the view loads it, then someone saves before this save is written.
    loaded = get_funds_report_for(case.owner, case.report.pk, lines=True)
    other = get_funds_report_for(case.partner, case.report.pk, lines=True)
    assert save_field(other, key=key_of(line, "used_uh"), raw="1", version="1", base="0", by=case.partner).status == 200

    saved = save_field(loaded, key=key_of(line, "used_owner"), raw="2", version="1", base="0", by=case.owner)
    assert saved.status == 200  # another field: saved at the version read again
    assert (stored(line, "used_owner"), stored(line, "used_uh"), version_now(case.report)) == (2, 1, 3)

    late = get_funds_report_for(case.owner, case.report.pk, lines=True)
    assert (
        save_field(other, key=key_of(line, "used_owner"), raw="3", version="3", base="2", by=case.partner).status == 200
    )
    saved = save_field(late, key=key_of(line, "used_owner"), raw="4", version="3", base="2", by=case.owner)
    assert saved.status == 409  # the same field: the other's value is shown, nothing written
    assert (saved.theirs, saved.typed) == ("3", "4")
    assert stored(line, "used_owner") == 3


def test_a_save_after_the_report_was_submitted_under_it_is_refused_as_locked(case, line):
    loaded = get_funds_report_for(case.owner, case.report.pk, lines=True)
    FundsReport.objects.filter(pk=case.report.pk).update(status=FundsReport.Status.SUBMITTED, version=5)
    saved = save_field(loaded, key=key_of(line, "anchoring"), raw="Sent", version="1", base="", by=case.owner)
    assert saved.status == 423
    assert stored(line, "anchoring") == ""


def test_saving_answers_only_posts(case):
    client = signed_in(case.owner)
    assert client.get(reverse("reporting:funds_save", args=[case.report.pk])).status_code == 405


# ── Amounts with thousands separators ──


@pytest.mark.parametrize(
    "typed",
    [
        "1 234 567",
        "1234567",
        "1.234.567",
        "kr 1 234 567,-",
        "1\u00a0234\u00a0567",
        "1\u202f234\u202f567",
        " 1 234 567 ",
    ],
)
def test_an_amount_with_a_space_between_thousands_round_trips(case, line, typed):
    client = signed_in(case.owner)
    key = key_of(line, "used_owner")
    response = autosave(client, case.report, key, typed, base="0", version=1)
    assert response.status_code == 200
    assert stored(line, "used_owner") == 1_234_567
    html = body(response)
    assert f'name="base:{key}" value="1 234 567" hx-swap-oob="true"' in html
    assert f'data-sync="{{&quot;fields&quot;: {{&quot;{slugify(key)}&quot;: &quot;1 234 567&quot;}}}}"' in html
    page = body(client.get(case.report.get_absolute_url()))
    assert f'name="{key}" value="1 234 567"' in page  # shown as typed back, and accepted as shown
    assert autosave(client, case.report, key, "1 234 568", base="1 234 567", version=2).status_code == 200


@pytest.mark.parametrize("typed", ["12 5", "1.000.00", "1 2345", "12,5", "1 000.000", "1,234,567", "١٢٣"])
def test_an_amount_not_in_groups_of_three_is_refused_in_norwegian_and_changes_nothing(case, line, typed):
    client = signed_in(case.owner)
    key = key_of(line, "used_owner")
    response = autosave(client, case.report, key, typed, base="0", version=1)
    assert response.status_code == 422
    html = body(response)
    assert "Skriv et beløp i hele kroner, f.eks. 150 000." in html
    # The answer holds only the message: the field, with what was typed in it, is left as it is.
    assert f'name="{key}"' not in html and f'name="base:{key}"' not in html
    assert (stored(line, "used_owner"), version_now(case.report)) == (0, 1)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("used_owner", "12\x0034", "Teksten inneholder tegn som ikke kan lagres."),
        ("anchoring", "a\x00b", "Teksten inneholder tegn som ikke kan lagres."),
        ("used_owner", "1 000 000 000 001", "Beløpet er for stort."),
        ("cofinancing_amount", "9" * 30, "Beløpet er for stort."),
        ("used_uh", "9" * 31, "Skriv et beløp i hele kroner"),
    ],
)
def test_a_nul_byte_or_an_amount_beyond_the_cap_is_refused_with_a_message(case, line, field, typed, message):
    client = signed_in(case.owner)
    response = autosave(client, case.report, key_of(line, field), typed, base="", version=1)
    assert response.status_code == 422
    assert message in body(response)
    assert version_now(case.report) == 1


def test_the_cap_itself_is_taken(case, line):
    client = signed_in(case.owner)
    response = autosave(client, case.report, key_of(line, "used_owner"), "1 000 000 000 000", base="0", version=1)
    assert response.status_code == 200
    assert stored(line, "used_owner") == 1_000_000_000_000


def test_an_emptied_amount_is_zero(case, line):
    FundsReportLine.objects.filter(pk=line.pk).update(used_owner=5_000)
    client = signed_in(case.owner)
    response = autosave(client, case.report, key_of(line, "used_owner"), "  ", base="5 000", version=1)
    assert response.status_code == 200
    assert stored(line, "used_owner") == 0


# ── At the same moment (PostgreSQL: a connection per thread) ──

THREADS = 20
on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>",
)


def in_threads(work: Callable[[int], Any]) -> list[Any]:
    """work(i) in THREADS threads released together, each on its own connection."""
    results: list[Any] = [None] * THREADS
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            start.wait(timeout=60)
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001  (re-raised in the main thread below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return results


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_saves_of_one_field_at_the_same_moment_let_exactly_one_win_and_tell_the_others_its_value():
    case = decided(amounts=((1_500_000, 500_000),))
    line = case.report.lines.get()
    key = key_of(line, "anchoring")

    def save(index: int) -> Any:
        mine = get_funds_report_for(case.owner, case.report.pk, lines=True)
        return save_field(mine, key=key, raw=f"Tekst {index}", version="1", base="", by=case.owner)

    results = in_threads(save)
    won = [r for r in results if r.status == 200]
    assert len(won) == 1 and sorted(r.status for r in results) == [200] + [409] * (THREADS - 1)
    assert stored(line, "anchoring") == won[0].value
    assert all(r.theirs == won[0].value for r in results if r.status == 409)
    assert version_now(case.report) == 2


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_saves_of_different_fields_at_the_same_moment_are_all_stored():
    case = decided(amounts=tuple((1_000_000, 500_000) for _ in range(THREADS)))
    lines = list(case.report.lines.order_by("position", "pk"))

    def save(index: int) -> Any:
        mine = get_funds_report_for(case.owner, case.report.pk, lines=True)
        return save_field(
            mine, key=key_of(lines[index], "used_owner"), raw=f"{index + 1} 000", version="1", base="0", by=case.owner
        )

    results = in_threads(save)
    assert [r.status for r in results] == [200] * THREADS
    assert [stored(line, "used_owner") for line in lines] == [(i + 1) * 1000 for i in range(THREADS)]
    assert version_now(case.report) == 1 + THREADS
