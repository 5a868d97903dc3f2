"""A server process starts warm: the models' relation graph, the catalogues, the URLs and every template are
built before its first request (lokalkomp/warm.py, called by gunicorn.conf.py)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.test import override_settings

from lokalkomp.warm import project_templates, warm

ROOT = Path(settings.BASE_DIR)


def test_the_project_templates_are_the_projects_own_and_all_of_them():
    names = project_templates()
    on_disk = {
        str(f.relative_to(d))
        for d in [ROOT / "lokalkomp" / "templates", *(ROOT / "lokalkomp").glob("*/templates")]
        for f in d.rglob("*")
        if f.is_file()
    }
    assert set(names) == on_disk
    assert "base.html" in names and "needs/edit_base.html" in names


def test_warm_compiles_every_project_template_and_every_language():
    built = warm()
    assert built["templates"] == len(project_templates())
    assert built["languages"] == len(settings.LANGUAGES) == 3
    [loader] = engines["django"].engine.template_loaders[0].loaders  # template_partials wraps the cached loader
    assert type(loader).__module__ == "django.template.loaders.cached"
    # the cached loader hands out what warm() compiled: no file is read again
    assert engines["django"].get_template("base.html").template is loader.get_template("base.html")


def test_a_template_that_does_not_compile_is_logged_and_the_rest_are_warmed(tmp_path, caplog):
    (tmp_path / "broken.html").write_text("{% if %}", encoding="utf-8")
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    with override_settings(TEMPLATES=templates), caplog.at_level(logging.ERROR, logger="lokalkomp.warm"):
        assert "broken.html" in project_templates()
        built = warm()
        assert built["templates"] == len(project_templates()) - 1
    assert "template broken.html does not compile" in caplog.text


WHEN_READY = """
import json, runpy, django
django.setup()
from django.template import engines
from django.utils import translation
config = runpy.run_path("gunicorn.conf.py")
config["when_ready"](None)
[loader] = engines["django"].engine.template_loaders[0].loaders
print(json.dumps({"templates": len(loader.get_template_cache), "languages": sorted(translation.trans_real._translations)}))
"""


def test_gunicorns_master_warms_the_app_before_it_forks_the_workers(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lokalkomp.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "true",
    }
    result = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", WHEN_READY], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["templates"] >= len(project_templates())
    assert {"nb", "nn", "en"} <= set(found["languages"])


def test_a_file_that_is_not_text_or_is_hidden_is_not_a_reason_not_to_start(tmp_path, caplog):
    (tmp_path / ".broken.html.swp").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "binary.html").write_bytes(b"\xff\xfe\x00{% if")
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    with override_settings(TEMPLATES=templates), caplog.at_level(logging.ERROR, logger="lokalkomp.warm"):
        names = project_templates()
        assert ".broken.html.swp" not in names and "binary.html" in names
        assert warm()["templates"] == len(names) - 1
    assert "template binary.html does not compile" in caplog.text
