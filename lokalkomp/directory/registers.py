"""Loading the public registers: offices, counties and municipalities.

Rows are matched on their official numbers and updated in place, so an import can
be run again (or with next year's register) without duplicating anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import County, LanguageForm, Municipality, Office

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFICES_FILE = DATA_DIR / "offices.json"
REGISTER_FILES = (DATA_DIR / "fylker-2025.json", DATA_DIR / "kommuner-2025.json")
"""The project's copy of the 2025 county and municipality register (aprestmo/norge-data, MIT; see data/README.md)."""

LANGUAGE_FORMS = {"bokmål": LanguageForm.BOKMAL, "nynorsk": LanguageForm.NYNORSK, "nøytral": LanguageForm.NEUTRAL}


class RegisterError(ValueError):
    pass


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=lambda: {"offices": 0, "counties": 0, "municipalities": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"offices": 0, "counties": 0, "municipalities": 0})


def _count(result: ImportResult, kind: str, created: bool, changed: bool) -> None:
    if created:
        result.created[kind] += 1
    elif changed:
        result.updated[kind] += 1


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool, bool]:
    """Create or update one row; report whether it was created or actually changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, False
    changed = any(getattr(obj, key) != value for key, value in values.items())
    if changed:
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
    return obj, False, changed


def load_offices(result: ImportResult) -> dict[str, Office]:
    """Offices from the project's own mapping; returns county number → office."""
    data = json.loads(OFFICES_FILE.read_text(encoding="utf-8"))
    by_county: dict[str, Office] = {}
    for row in data["offices"]:
        office, created, changed = _upsert(Office, {"slug": row["slug"]}, {"name": row["name"]})
        _count(result, "offices", created, changed)
        by_county.update({number: office for number in row["counties"]})
    return by_county


def classify(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split rows of several files into counties (f_id) and municipalities (k_id)."""
    counties = [r for r in rows if "f_id" in r]
    municipalities = [r for r in rows if "k_id" in r]
    if len(counties) + len(municipalities) != len(rows):
        raise RegisterError("Every row must have either f_id (county) or k_id (municipality).")
    return counties, municipalities


def read_files(paths: list[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise RegisterError(f"{path}: {error}") from error
        if not isinstance(data, list):
            raise RegisterError(f"{path}: expected a JSON list of rows.")
        rows += data
    return rows


@transaction.atomic
def import_registers(paths: list[Path]) -> ImportResult:
    result = ImportResult()
    office_of = load_offices(result)
    county_rows, municipality_rows = classify(read_files(paths))
    counties = {c.number: c for c in County.objects.all()}
    for row in county_rows:
        number = str(row["f_id"]).zfill(2)
        if number not in office_of:
            raise RegisterError(f"County {number} {row.get('f_name')} has no office in {OFFICES_FILE.name}.")
        county, created, changed = _upsert(
            County, {"number": number}, {"name": row["f_name"], "office": office_of[number]}
        )
        counties[number] = county
        _count(result, "counties", created, changed)
    for row in municipality_rows:
        number = str(row["k_id"]).zfill(4)
        county = counties.get(number[:2])
        if county is None:
            raise RegisterError(f"Municipality {number}: county {number[:2]} is not known; import the counties too.")
        values = {
            "name": row.get("k_name_no") or row["k_name"],
            "county": county,
            "language_form": LANGUAGE_FORMS.get(str(row.get("k_language", "")).lower(), LanguageForm.NEUTRAL),
        }
        _obj, created, changed = _upsert(Municipality, {"number": number}, values)
        _count(result, "municipalities", created, changed)
    return result
