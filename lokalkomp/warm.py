"""What an app server's process would otherwise do on its first requests, done once when it starts.

A cold process took 1.2 s over its first page (bench/README.md, «cold worker»): the models' relation graph
(0.3 s, built on the first query that follows a reverse relation), every language's catalogues, the URL
patterns per language, and each template compiled on first use. gunicorn.conf.py calls `warm()` in the
master before it forks (with `preload_app`), so every worker, a replaced one too (`max_requests`), starts
with all of it done, and shares those pages of memory. Nothing here touches the database.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import cast

from django.apps import apps
from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import reverse
from django.utils import translation

log = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """The names of the project's own templates (its DIRS and its apps' templates/), not the libraries'."""
    root = Path(settings.BASE_DIR) / "lokalkomp"
    dirs = [Path(d) for d in cast("list[str | Path]", settings.TEMPLATES[0]["DIRS"])]
    dirs += [Path(d) for d in get_app_template_dirs("templates") if Path(d).is_relative_to(root)]
    return sorted(
        {
            str(f.relative_to(d))
            for d in dirs
            for f in d.rglob("*")
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(d).parts)
        }
    )


def warm() -> dict[str, int]:
    """Build what the first requests would build; returns how many of each were built."""
    for model in apps.get_models():
        model._meta.get_fields()  # the reverse relations: the whole relation graph on the first call
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads the language's catalogues, Django's and every app's
            reverse("home")  # the URL patterns, built per language
    engine = engines["django"]
    compiled = 0
    for name in project_templates():
        try:
            engine.get_template(name)  # kept by the cached loader
        except (TemplateSyntaxError, UnicodeDecodeError, OSError):  # the page that uses it says so, as without this
            log.exception("template %s does not compile", name)
        else:
            compiled += 1
    return {"models": len(apps.get_models()), "languages": len(settings.LANGUAGES), "templates": compiled}
