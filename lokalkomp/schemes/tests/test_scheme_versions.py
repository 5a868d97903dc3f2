"""Schemes are versioned for real: a scheme a round uses is never changed in place; a change of rules
is a new version with its own validity, on record; the seed migration holds its own frozen data."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.schemes import seed
from lokalkomp.schemes.models import Round, RoundScheme, Scheme, SchemeCap
from lokalkomp.testing import admin_form_data, make_office, make_round, make_user, sign_in_with_two_factor

SEED_MIGRATION = "lokalkomp.schemes.migrations.0002_seed_schemes"
RULES = [f.attname for f in Scheme._meta.concrete_fields if f.name != "id"]


def rules_of(scheme):
    return {name: getattr(scheme, name) for name in RULES}


@pytest.fixture
def used(db):
    """The 2026 scheme, run by a 2027 round."""
    make_round(year=2027)
    return Scheme.objects.get(code="kollektiv-2026")


def test_a_scheme_a_round_uses_cannot_be_changed_in_place(used):
    before = rules_of(used)
    used.co_financing_percent = 40

    with pytest.raises(ValidationError, match="cannot be changed|kan ikke endres"):
        used.save()

    assert rules_of(Scheme.objects.get(pk=used.pk)) == before


def test_a_cap_of_a_used_scheme_cannot_be_added(used):
    with pytest.raises(ValidationError):
        SchemeCap.objects.create(scheme=used, percent=20, uses=["coordinator"])
    assert not used.caps.exists()


@pytest.fixture
def capped(db):
    """A scheme with one cap, and another scheme with one cap that a round runs."""

    def scheme_with_cap(code):
        scheme = Scheme.objects.create(
            code=code, family=code, name=code, short_name=code, valid_from=dt.date(2030, 1, 1)
        )
        return scheme, SchemeCap.objects.create(scheme=scheme, percent=20, uses=["coordinator"])

    free, free_cap = scheme_with_cap("fri")
    used, used_cap = scheme_with_cap("brukt")
    RoundScheme.objects.create(round=Round.objects.create(office=make_office(), year=2030), scheme=used)
    return free_cap, used_cap


def test_a_cap_of_a_used_scheme_cannot_be_deleted(capped):
    _free_cap, used_cap = capped

    with pytest.raises(ValidationError, match="cannot be changed|kan ikke endres"):
        used_cap.delete()

    assert SchemeCap.objects.filter(pk=used_cap.pk).exists()


def test_the_caps_of_a_used_scheme_cannot_be_deleted_in_bulk(capped):
    free_cap, used_cap = capped

    with pytest.raises(ValidationError, match="cannot be changed|kan ikke endres"):
        SchemeCap.objects.filter(pk__in=[free_cap.pk, used_cap.pk]).delete()
    with pytest.raises(ValidationError):
        used_cap.scheme.caps.all().delete()

    assert SchemeCap.objects.filter(pk__in=[free_cap.pk, used_cap.pk]).count() == 2


def test_a_cap_of_a_scheme_no_round_uses_may_be_deleted(capped):
    free_cap, used_cap = capped

    free_cap.scheme.caps.all().delete()

    assert not SchemeCap.objects.filter(pk=free_cap.pk).exists()
    assert SchemeCap.objects.filter(pk=used_cap.pk).exists()


def test_a_scheme_no_round_uses_may_still_be_corrected(db):
    draft = Scheme.objects.create(
        code="utkast", family="utkast", name="Utkast", short_name="U", valid_from=dt.date(2030, 1, 1)
    )
    draft.co_financing_percent = 10
    draft.save()
    assert Scheme.objects.get(pk=draft.pk).co_financing_percent == 10


def test_a_change_of_rules_is_a_new_version_with_its_own_validity_and_an_event(used):
    officer = make_user()

    new = used.new_version(valid_from=dt.date(2028, 1, 1), co_financing_percent=20, by=officer)

    used.refresh_from_db()
    assert (used.valid_to, used.co_financing_percent) == (dt.date(2027, 12, 31), 0)
    assert (new.code, new.family, new.valid_from, new.valid_to, new.co_financing_percent) == (
        "kollektiv-2028",
        "kollektiv",
        dt.date(2028, 1, 1),
        None,
        20,
    )
    assert [s.code for s in Scheme.objects.valid_in(2027)] == ["kollektiv-2026"]
    assert [s.code for s in Scheme.objects.valid_in(2028)] == ["kollektiv-2028"]
    event = AuditEvent.objects.get(key=f"scheme:{new.pk}:new_version")
    assert (event.kind, event.actor, event.source) == ("changed", officer, "form")
    assert "co_financing_percent: 0" in event.old_value and "valid_to: –" in event.old_value
    assert "co_financing_percent: 20" in event.new_value and "valid_from: 01.01.2028" in event.new_value


def test_the_next_round_runs_the_new_version_and_the_old_round_keeps_the_old(used):
    used.new_version(valid_from=dt.date(2028, 1, 1), co_financing_percent=20, by=None, source="script")
    round_2027 = Round.objects.get(year=2027)

    following = round_2027.start_next_year() if round_2027.milestones.exists() else None
    if following is None:  # no cycle to copy: make the round as start_next_year would
        following = Round.objects.create(office=round_2027.office, year=2028)
        RoundScheme.objects.bulk_create(RoundScheme(round=following, scheme=s) for s in Scheme.objects.valid_in(2028))

    assert [s.code for s in round_2027.schemes.all()] == ["kollektiv-2026"]
    assert [s.code for s in following.schemes.all()] == ["kollektiv-2028"]


def test_a_new_version_cannot_start_in_a_year_a_round_already_runs_the_scheme(used):
    with pytest.raises(ValidationError):
        used.new_version(valid_from=dt.date(2027, 1, 1), co_financing_percent=20, by=None)
    with pytest.raises(ValidationError):
        used.new_version(valid_from=dt.date(2028, 7, 1), co_financing_percent=20, by=None)  # not from 1 January
    used.refresh_from_db()
    assert used.valid_to is None
    assert not Scheme.objects.filter(family="kollektiv").exclude(pk=used.pk).exists()


def test_the_admin_shows_a_used_scheme_read_only_and_refuses_a_change(used, client):
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:schemes_scheme_change", args=[used.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="co_financing_percent"' not in page.content.decode()
    response = client.post(url, {"co_financing_percent": "40", "name": "Endret"})

    assert response.status_code == 403
    assert Scheme.objects.get(pk=used.pk).co_financing_percent == 0


def test_a_change_to_an_unused_scheme_in_the_admin_is_recorded_as_from_the_admin(db, client):
    admin_user = make_user(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, admin_user)
    draft = Scheme.objects.create(
        code="utkast", family="utkast", name="Utkast", short_name="U", valid_from=dt.date(2030, 1, 1)
    )
    url = reverse("admin:schemes_scheme_change", args=[draft.pk])
    page = client.get(url)

    response = client.post(url, admin_form_data(page, co_financing_percent="25"))

    assert response.status_code == 302
    event = AuditEvent.objects.get(key=f"scheme:{draft.pk}:co_financing_percent")
    assert (event.old_value, event.new_value, event.actor, event.source) == ("0", "25", admin_user, "admin")


def test_a_budget_frame_is_read_only_in_the_admin(used, client):
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    round = Round.objects.get(year=2027)
    page = client.get(reverse("admin:schemes_round_change", args=[round.pk]))
    assert page.status_code == 200
    assert not re.search(r'name="[^"]*budget"', page.content.decode())


# The seed migration holds the data (frozen; seed.py reads it from there) and imports no live code.


def test_the_seed_migration_imports_no_live_code():
    source = Path(importlib.import_module(SEED_MIGRATION).__file__).read_text()  # type: ignore[arg-type]
    modules = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [m for m in modules if m and m.startswith("lokalkomp")]


def test_after_migrate_the_schemes_are_what_seed_py_defines(db):
    migration = importlib.import_module(SEED_MIGRATION)
    SchemeCap.objects.all().delete()
    RoundScheme.objects.all().delete()
    Scheme.objects.all().delete()

    migration.seed(apps, None)  # what `migrate` runs, on an empty table

    made = {s.code: s for s in Scheme.objects.prefetch_related("caps")}
    assert sorted(made) == sorted(data["code"] for data in seed.SCHEMES)
    for data in seed.SCHEMES:
        expected = dict(data)
        caps = expected.pop("caps", [])
        scheme = made[expected.pop("code")]
        for name, value in expected.items():
            assert getattr(scheme, name) == value, (scheme.code, name)
        assert [{"percent": c.percent, "uses": c.uses, "description": c.description} for c in scheme.caps.all()] == caps


def test_the_migrated_database_holds_the_seeded_schemes(db):
    """The test database itself was built by `migrate`: its schemes are seed.py's, field by field."""
    codes = [data["code"] for data in seed.SCHEMES]
    if Scheme.objects.filter(code__in=codes).count() < len(codes):
        # A transactional test before this one flushed the table: seed it again as `migrate` does.
        importlib.import_module(SEED_MIGRATION).seed(apps, None)
    for data in seed.SCHEMES:
        expected = {k: v for k, v in data.items() if k not in {"caps", "code"}}
        scheme = Scheme.objects.get(code=data["code"])
        assert {k: getattr(scheme, k) for k in expected} == expected
