"""The archive package as a worker job: the Statsforvalter asks (`request_package`), the worker makes it.

The task runs on the project's task queue (django-tasks' database backend, run by `manage.py run_worker`,
as the e-mail and the large PDFs are). It claims its job with a conditional UPDATE (a copy of the task does
nothing), builds the zip in the language of the one who asked, stores it in the default storage under
`archive/<office>/<year>/`, and marks the job ready with its size, or failed with what went wrong: an error
in the worker is caught and shown on the archive page, never raised into a page.
"""

from __future__ import annotations

import io
import logging
import zipfile
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from lokalkomp.schemes.models import Round

from ..models.archive import ArchiveJob
from .package import DOCUMENTS, build_package, package_filename

logger = logging.getLogger(__name__)


def request_package(round: Round, *, by: Any, language: str) -> tuple[ArchiveJob, bool]:
    """Queue the round's package (or find the one already queued); True when a new job was queued."""
    job, created = ArchiveJob.request(round, by=by, language=language)
    if created or job.stalled:  # a stalled job lost its task: a copy is harmless, it claims or skips
        transaction.on_commit(partial(make_package.enqueue, job.pk))
    return job, created


def count_documents(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(1 for name in archive.namelist() if name.startswith(f"{DOCUMENTS}/"))


@task()
def make_package(job_id: int) -> str:
    """Make one queued package; a copy of the task (or one for a job already done) finds nothing to claim."""
    job = ArchiveJob.objects.select_related("round__office", "requested_by").filter(pk=job_id).first()
    if job is None or not job.claim(at=timezone.now()):
        return "skipped"
    round = job.round
    by = job.requested_by or round.office.name
    try:
        with translation.override(job.language):
            content = build_package(round, by=by)
        name = default_storage.save(
            f"archive/{round.office.slug}/{round.year}/{job.pk}-{package_filename(round)}", ContentFile(content)
        )
    except Exception as error:  # a template, font or schema error: say so on the page, and log it
        logger.exception("Archive package %s of %s failed", job_id, round)
        job.fail(error=f"{type(error).__name__}: {error}", at=timezone.now())
        return "failed"
    job.finish(name=name, size=len(content), documents=count_documents(content), at=timezone.now())
    return "ready"
