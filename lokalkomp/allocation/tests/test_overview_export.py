"""The overview's Excel export: the same rows, filters and numbers as the page; nothing for the disqualified."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from .overview_helpers import build_round, in_english, url

pytestmark = pytest.mark.cast(year=2024)  # three schemes (overview_helpers)


@pytest.fixture
def r3(cast):
    return build_round(cast)


def sheet(client, r3, query: str = "") -> list[dict[str, object]]:
    response = in_english(client).get(url(r3.cast.round, "assessment_overview_xlsx") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "private, no-store"
    assert f"vurderinger-{r3.cast.round.year}" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    header = rows[0]
    padded = [(*values, *([None] * (len(header) - len(values)))) for values in rows[1:]]  # empty cells at the end
    return [dict(zip(header, values, strict=True)) for values in padded]


def test_the_secretariat_gets_every_measure_with_its_numbers_and_the_assessments_left_out(client, r3):
    client.force_login(r3.cast.governor)
    rows = {row["Measure"]: row for row in sheet(client, r3, "?sort=amount")}
    assert list(rows) == ["Lesing", "Skriving", "Regning"]
    lesing = rows["Lesing"]
    assert (lesing["Owner"], lesing["UH"], lesing["Total"]) == (200_000, 100_000, 300_000)
    assert (lesing["Assessments"], lesing["Prioritise"], lesing["Possible"], lesing["Do not fund"]) == (2, 1, 1, 0)
    criterion_3 = [key for key in lesing if str(key).startswith("3. ")]
    assert [lesing[key] for key in criterion_3] == [1, 0, 1]  # met, partly met, not met
    assert lesing["Points (0–100)"] == 70 and lesing["Network's priority"] == "not delivered"
    assert lesing["Written by a disqualified member (not counted)"] == "Cato Vurderer: Prioritise"
    assert rows["Skriving"]["Not shared"] == 1 and rows["Regning"]["Assessments"] == 0


def test_the_export_follows_the_pages_filters(client, r3):
    client.force_login(r3.cast.governor)
    assert [row["Measure"] for row in sheet(client, r3, "?criterion=c1&score=not_met&who=none")] == ["Lesing"]
    assert [row["Measure"] for row in sheet(client, r3, "?purpose=planning&network=garbage")] == ["Skriving"]


def test_a_disqualified_member_gets_the_measure_marked_and_no_numbers_at_all(client, r3):
    client.force_login(r3.cato)
    rows = {row["Measure"]: row for row in sheet(client, r3)}
    lesing = rows["Lesing"]
    assert lesing["Disqualified"] == "Disqualified"
    numbers = [key for key in lesing if key not in ("Network", "Partnership", "Measure", "Scheme", "Purpose")]
    numbers = [key for key in numbers if key not in ("Network's priority", "Owner", "UH", "Total", "Disqualified")]
    assert numbers and all(lesing[key] is None for key in numbers)
    assert "Written by a disqualified member (not counted)" not in lesing  # the secretariat's column only
    assert rows["Skriving"]["Assessments"] == 2 and rows["Skriving"]["Disqualified"] is None


def test_a_member_sees_no_draft_of_others_and_no_disqualified_authors_name(client, r3):
    client.force_login(r3.anna)
    rows = {row["Measure"]: row for row in sheet(client, r3)}
    assert rows["Skriving"]["Assessments"] == 2 and rows["Skriving"]["Prioritise"] == 1
    assert rows["Lesing"]["Prioritise"] == 1  # Anna's; not Cato's
    assert not any("Cato" in str(value) for row in rows.values() for value in row.values())


def test_a_text_that_looks_like_a_formula_stays_text(client, r3):
    from lokalkomp.needs.models import Measure

    Measure.objects.filter(pk=r3.c.pk).update(name='=HYPERLINK("http://x")')
    client.force_login(r3.cast.governor)
    response = client.get(url(r3.cast.round, "assessment_overview_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x")']
    assert cells and all(cell.data_type == "s" for cell in cells)
