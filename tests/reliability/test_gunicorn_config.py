"""gunicorn.conf.py (issue 9): the app's objects are frozen out of the garbage collector once it is loaded."""

import gc
import runpy
from pathlib import Path

import pytest

CONFIG = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


def test_the_config_preloads_the_app_and_freezes_it_in_the_master_and_in_each_worker(db):
    assert CONFIG["preload_app"] is True
    assert CONFIG["wsgi_app"] == "lokalkomp.wsgi:application"
    try:
        gc.unfreeze()
        CONFIG["when_ready"](None)
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        CONFIG["post_worker_init"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.postgres  # SQLite's in-memory test database is never closed
def test_the_master_leaves_no_database_connection_for_its_workers_to_share(transactional_db):
    from django.db import connection

    connection.ensure_connection()
    try:
        CONFIG["when_ready"](None)
        assert connection.connection is None
    finally:
        gc.unfreeze()
