"""Backup and restore: pg_dump -Fc of a database with data, pg_restore into a new one, the same counts and sums."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from lokalkomp.demo import national

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
# Money columns: whole kroner, summed per table and column.
MONEY = """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND (column_name LIKE '%%amount' OR column_name = 'budget')
           ORDER BY 1, 2"""
TABLES = """SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"""


def _client_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"]]
    return args, {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}


def _figures(dbname: str) -> dict[str, int]:
    """Rows per table and the sum of every money column, read over a plain connection."""
    params = {**connection.get_connection_params(), "dbname": dbname}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    figures: dict[str, int] = {}
    with psycopg.connect(**params) as db:
        for (table,) in db.execute(TABLES).fetchall():
            count = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            figures[f"rows {table}"] = db.execute(count).fetchone()[0]  # type: ignore[index]
        for table, column in db.execute(MONEY).fetchall():
            total = sql.SQL("SELECT coalesce(sum({}), 0) FROM {}").format(sql.Identifier(column), sql.Identifier(table))
            figures[f"sum {table}.{column}"] = int(db.execute(total).fetchone()[0])  # type: ignore[index]
    return figures


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    args, env = _client_env()
    subprocess.run(["dropdb", *args, "--if-exists", name], env=env, check=True)  # noqa: S603, S607
    yield name
    subprocess.run(["dropdb", *args, "--if-exists", name], env=env, check=False)  # noqa: S603, S607


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client tools (postgresql-client)")
def test_a_dump_restored_into_a_new_database_has_the_same_rows_and_money(restored_name: str, tmp_path: Path) -> None:
    national.generate(years=2, scale=0.01, seed=7, last_year=2027, log=lambda _line: None)
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "lokalkomp.dump"
    args, env = _client_env()

    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(dump), source], env=env, check=True)  # noqa: S603, S607
    subprocess.run(["createdb", *args, restored_name], env=env, check=True)  # noqa: S603, S607
    subprocess.run(["pg_restore", *args, "--no-owner", "-d", restored_name, str(dump)], env=env, check=True)  # noqa: S603, S607

    before, after = _figures(source), _figures(restored_name)
    assert before["rows needs_measure"] > 100 and before["sum needs_measure.owner_amount"] > 0
    assert after == before
