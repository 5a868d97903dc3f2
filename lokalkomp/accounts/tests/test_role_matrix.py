"""docs/roles.md is the role matrix the predicates give today."""

from __future__ import annotations

import io

import rules
from django.conf import settings
from django.core.management import call_command

from lokalkomp.accounts.matrix import permissions_in_matrix


def test_the_committed_role_matrix_matches_the_predicates(db):
    out = io.StringIO()
    call_command("role_matrix", "--print", stdout=out)

    committed = (settings.BASE_DIR / "docs" / "roles.md").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "docs/roles.md is out of date: run `manage.py role_matrix`"


def test_every_registered_permission_has_a_column_in_the_matrix():
    registered = set(rules.permissions.permissions.keys())

    assert registered - permissions_in_matrix() == set(), (
        "give the permission a column: an Action in its app's accounts.matrix.sections (from the app's ready())"
    )
