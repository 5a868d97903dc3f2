"""A round's archive package, made by the worker: one job per press of «Lag arkivpakke».

The package takes a minute or more to make (every document is printed again as PDF/A), longer than a web
request may take, so the Statsforvalter asks for it and the worker makes it (`archive/jobs.py`). The job row
is its own record: who asked and when, when the worker started and finished, and how it ended (the size of
the zip, or what went wrong). The zip is kept in the default storage (MEDIA_ROOT), which is never served
publicly: it is downloaded through a view that checks who may export the round's archive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalkomp.schemes.models import Round

# A job still queued this long after it was asked for has lost its task (the process died between the
# commit and the enqueue): a new press queues its task again. A running job this long has lost its worker.
STALLED_AFTER = dt.timedelta(minutes=10)
ABANDONED_AFTER = dt.timedelta(minutes=30)


class ArchiveJobQuerySet(models.QuerySet["ArchiveJob"]):
    def pending(self) -> ArchiveJobQuerySet:
        return self.filter(status__in=ArchiveJob.PENDING)

    def of_round(self, round: Round) -> ArchiveJobQuerySet:
        return self.filter(round=round).order_by("-requested_at", "-pk")


class ArchiveJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    PENDING = (Status.QUEUED, Status.RUNNING)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="archive_jobs", verbose_name=_("round"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(_("archive package"), upload_to="archive/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    documents = models.PositiveIntegerField(_("documents"), null=True, blank=True)
    error = models.TextField(_("what went wrong"), blank=True)

    objects = ArchiveJobQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-requested_at"]
        verbose_name = _("archive package job")
        verbose_name_plural = _("archive package jobs")
        constraints = [
            # One press at a time: a second press while one is queued or being made finds that one.
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=["queued", "running"]),
                name="one_pending_archive_job_per_round",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(size__isnull=False) & Q(finished_at__isnull=False)),
                name="a_ready_archive_job_has_its_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk} {self.status}"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def stalled(self) -> bool:
        """Queued so long ago that its task must have been lost (a new press queues it again)."""
        return self.status == self.Status.QUEUED and self.requested_at < timezone.now() - STALLED_AFTER

    @classmethod
    def request(cls, round: Round, *, by: Any, language: str) -> tuple[ArchiveJob, bool]:
        """The round's pending job, or a new one queued (True: the caller queues its task)."""
        found = cls.objects.pending().filter(round=round).first()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                job = cls.objects.create(round=round, requested_by=by, language=language[:10])
        except IntegrityError:  # a second press in the same moment: that one's job
            return cls.objects.pending().get(round=round), False
        return job, True

    def claim(self, *, at: dt.datetime) -> bool:
        """Queued → running, once: a copy of the task finds nothing to claim (a conditional UPDATE)."""
        claimable = Q(status=self.Status.QUEUED) | Q(status=self.Status.RUNNING, started_at__lt=at - ABANDONED_AFTER)
        claimed = ArchiveJob.objects.filter(claimable, pk=self.pk).update(status=self.Status.RUNNING, started_at=at)
        if claimed:
            self.status, self.started_at = self.Status.RUNNING, at
        return bool(claimed)

    def finish(self, *, name: str, size: int, documents: int, at: dt.datetime) -> None:
        """Running → ready, with the stored zip's name and size."""
        assert self.status == self.Status.RUNNING, self.status
        self.status, self.finished_at = self.Status.READY, at
        self.file.name, self.size, self.documents, self.error = name, size, documents, ""
        self.save(update_fields=["status", "finished_at", "file", "size", "documents", "error"])

    def fail(self, *, error: str, at: dt.datetime) -> None:
        """Running → failed, with what went wrong (shown on the archive page)."""
        assert self.status == self.Status.RUNNING, self.status
        self.status, self.finished_at, self.error = self.Status.FAILED, at, error[:2000]
        self.save(update_fields=["status", "finished_at", "error"])
