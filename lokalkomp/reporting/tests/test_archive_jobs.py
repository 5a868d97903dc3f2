"""The archive package is made by the worker: the Statsforvalter presses «Lag arkivpakke», a job is queued (once,
however often it is pressed), the worker's task makes and stores the zip, the page shows how it stands, and the
zip is downloaded through a view that checks who may export the round's archive. A failure is shown, not raised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from lokalkomp.allocation.tests.payment_helpers import decided_round
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.reporting.archive.package import package_filename
from lokalkomp.reporting.archive.sources import OUTGOING, ArchiveDocument, sources
from lokalkomp.reporting.models import ArchiveJob

from .test_archive import check_package

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture
def r(cast: Any) -> Any:
    return decided_round(cast)


def page(round: Any) -> str:
    return reverse("reporting:archive", args=[round.office.slug, round.year])


def make(round: Any) -> str:
    return reverse("reporting:archive_make", args=[round.office.slug, round.year])


def download(job: ArchiveJob) -> str:
    return reverse("reporting:archive_download", args=[job.round.office.slug, job.round.year, job.pk])


def body(response: Any) -> bytes:
    return bytes(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_statsforvalter_queues_the_package_the_worker_makes_it_and_it_downloads(
    client: Any, r: Any, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(r.governor)
    empty = client.get(page(r.round)).content.decode()
    assert 'data-state="none"' in empty and 'id="archive-make"' in empty

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(make(r.round))
    assert response.status_code == 302 and response["Location"] == page(r.round)
    job = ArchiveJob.objects.get(round=r.round)
    assert (job.status, job.requested_by, job.language) == (ArchiveJob.Status.QUEUED, r.governor, "nb")
    assert job.requested_at and job.started_at is None and not job.file
    queued = client.get(page(r.round)).content.decode()
    assert 'data-state="queued"' in queued and 'hx-trigger="every 3s"' in queued  # the page asks again
    assert 'id="archive-make"' not in queued and 'id="archive-download"' not in queued

    assert run_queued_tasks() == 1  # the worker's turn
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.READY and not job.error
    assert job.started_at is not None and job.finished_at is not None
    assert job.requested_at <= job.started_at <= job.finished_at
    assert job.size == job.file.size and job.documents and job.documents > 0
    assert job.file.name.startswith(f"archive/{r.round.office.slug}/2024/")

    with django_assert_max_num_queries(15):
        ready = client.get(page(r.round), headers={"HX-Request": "true"})  # the partial the page polls for
    text = ready.content.decode()
    assert 'data-state="ready"' in text and "hx-trigger" not in text  # the polling stops
    assert f'href="{download(job)}"' in text

    zipped = client.get(download(job))
    assert zipped.status_code == 200
    assert zipped["Content-Type"] == "application/zip"
    assert package_filename(r.round) in zipped["Content-Disposition"]
    assert zipped["Cache-Control"] == "private, no-store"
    content = body(zipped)
    assert len(content) == job.size
    check_package(content)  # valid against the Noark 5 schema, every file with its checksum


def test_a_second_press_while_one_is_pending_queues_nothing_more(
    client: Any, r: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(r.governor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(make(r.round))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(make(r.round), follow=True)
    assert ArchiveJob.objects.filter(round=r.round).count() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # one task on the queue
    assert _("The archive package is already being made; it was not queued again.") in again.content.decode()
    ArchiveJob.objects.filter(round=r.round).update(status=ArchiveJob.Status.RUNNING, started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(make(r.round))  # being made: still the one job
    assert ArchiveJob.objects.filter(round=r.round).count() == 1


def test_a_press_on_a_stalled_job_queues_its_task_again_and_a_copy_of_the_task_does_nothing(
    client: Any, r: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(r.governor)
    job, created = ArchiveJob.request(r.round, by=r.governor, language="nb")  # its task was lost
    assert created and DBTaskResult.objects.count() == 0
    ArchiveJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(make(r.round))
        client.post(make(r.round))  # two copies of its task
    assert ArchiveJob.objects.filter(round=r.round).count() == 1
    assert _run_with_a_broken_document(r) == 2  # the first claims the job, the copy finds nothing to claim
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.FAILED


def _broken(round: Any) -> list[ArchiveDocument]:
    """A source whose document cannot be printed (a template error): the first in the journal's order."""

    def html() -> str:
        raise ValueError("the letter's template is broken")

    return [
        ArchiveDocument(
            key="broken:1",
            title="Brev",
            kind=OUTGOING,
            document_type="Brev",
            dated=timezone.make_aware(dt.datetime(2000, 1, 1)),
            author="",
            parties=(),
            filename="brev.pdf",
            html=html,
        )
    ]


def _run_with_a_broken_document(r: Any) -> int:
    sources.insert(0, _broken)
    try:
        return run_queued_tasks()
    finally:
        sources.remove(_broken)


def test_a_failure_in_the_worker_is_shown_on_the_page_and_the_package_can_be_asked_for_again(
    client: Any, r: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(r.governor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(make(r.round))
    assert _run_with_a_broken_document(r) == 1
    job = ArchiveJob.objects.get(round=r.round)
    assert job.status == ArchiveJob.Status.FAILED and job.finished_at and not job.file
    assert "ValueError: the letter's template is broken" in job.error
    response = client.get(page(r.round))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-state="failed"' in text and "the letter&#x27;s template is broken" in text
    assert 'id="archive-make"' in text and 'id="archive-download"' not in text
    assert client.get(download(job)).status_code == 404  # nothing to download
    with django_capture_on_commit_callbacks(execute=True):
        client.post(make(r.round))  # a failed job is done: a new press queues a new one
    assert ArchiveJob.objects.filter(round=r.round, status=ArchiveJob.Status.QUEUED).count() == 1


def test_others_are_told_no_and_a_package_is_downloaded_only_from_its_own_round(
    client: Any, r: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job, _created = ArchiveJob.request(r.round, by=r.governor, language="nb")
    client.force_login(r.secretary)
    assert client.get(page(r.round)).status_code == 403
    assert client.post(make(r.round)).status_code == 403
    assert client.get(download(job)).status_code == 403
    assert ArchiveJob.objects.filter(round=r.round).count() == 1  # the refused press queued nothing
    client.logout()
    assert client.get(page(r.round))["Location"].startswith(reverse("account_login"))
    client.force_login(r.governor)
    assert client.get(download(job)).status_code == 404  # queued: no file yet
    assert client.get(reverse("reporting:archive", args=[r.round.office.slug, 1999])).status_code == 404
    assert client.get(reverse("reporting:archive", args=["nowhere", 2024])).status_code == 404
    wrong_round = reverse("reporting:archive_download", args=[r.round.office.slug, 2023, job.pk])
    assert client.get(wrong_round).status_code == 404
    assert client.get(make(r.round)).status_code == 405
