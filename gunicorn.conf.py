"""gunicorn's settings for lokalkomp (read from the working directory, or with `--config gunicorn.conf.py`).

Options given on the command line win over these (see docs/operations.md).

Garbage collection: Django, the apps, the templates and the translations are some 300 000
long-lived objects. Python's full collection walks every one of them, about every 20 requests,
for 70–110 ms, which set the p95 of every page (bench/pages.py). `gc.freeze()` once the app is
loaded moves them to a permanent generation that collections no longer walk. With `preload_app`
the app is loaded (and frozen) in the master before it forks, so the workers also share those
pages of memory instead of copying them as a collection touches them.

Before freezing, `lokalkomp.warm.warm()` builds what a cold process builds over its first requests (the
models' relation graph, the catalogues, the URL patterns, every template): a worker's first page took
1.2 s, and with `max_requests` every worker is new now and then.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

wsgi_app = "lokalkomp.wsgi:application"
preload_app = True
timeout = 60  # the export streams and ends in seconds; nothing should come near this
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then, with jitter so they do not all go at once
max_requests_jitter = 200


def _freeze() -> None:
    from lokalkomp.warm import warm

    try:
        warm()  # in a worker forked from a warmed master there is nothing left to build
    except Exception:  # a cold start is slower, never a reason not to start
        logging.getLogger("lokalkomp.warm").exception("warming up failed; the first requests build what is missing")
    gc.collect()
    gc.freeze()


def when_ready(server: Any) -> None:
    """In the master, once the app is loaded (with preload_app) and before the workers are forked."""
    from django.conf import settings

    if not settings.configured:  # started without preload_app: each worker loads the app itself
        return
    from django.db import connections

    _freeze()
    connections.close_all()  # a forked worker must never share the master's database socket


def post_worker_init(worker: Any) -> None:
    """In each worker after it has loaded the app (the same whether or not the master preloaded it)."""
    _freeze()
