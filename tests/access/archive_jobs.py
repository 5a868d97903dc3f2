"""Who may see a round's archive page, ask the worker for its package and download it (Noark 5, issue 13).

The Statsforvalter of the round's office; everyone else signed in is told no (403: the round itself is public),
as for the payment list. The download's kwargs make a ready package for the side's round through the model
(queued, claimed and finished as the worker does), with a small zip in the test's storage.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .assess import only, round_kw
from .payments import GOVERNORS, _round
from .rules import Rule
from .world import World


def _ready_job(w: World, side: str) -> Any:
    key = f"archive-job:{side}"
    if key not in w.extra:
        from lokalkomp.reporting.models import ArchiveJob

        job, _created = ArchiveJob.request(_round(w, side), by=None, language="nb")
        job.claim(at=timezone.now())
        name = default_storage.save(f"archive/test-{side}.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
        job.finish(name=name, size=22, documents=0, at=timezone.now())
        w.extra[key] = job
    return w.extra[key]


def download_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"pk": _ready_job(w, side).pk}


ARCHIVE_JOB_RULES: dict[str, Rule] = {
    "reporting:archive": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "reporting:archive_make": Rule("post", only(GOVERNORS, 302), kwargs=round_kw),
    "reporting:archive_download": Rule("get", only(GOVERNORS, 200), kwargs=download_kw),
}
