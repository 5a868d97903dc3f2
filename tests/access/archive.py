"""Who may use a round's archive package (Noark 5, issue 13): the Statsforvalter of the round's office.

The package used to be built inside the request at /runder/<office>/<year>/arkivpakke.zip; it is now made by
the worker, and its page, its button and its download are in archive_jobs.py (collected here, so the matrix
reads one name per part).
"""

from __future__ import annotations

from .archive_jobs import ARCHIVE_JOB_RULES
from .rules import Rule

ARCHIVE_RULES: dict[str, Rule] = dict(ARCHIVE_JOB_RULES)
