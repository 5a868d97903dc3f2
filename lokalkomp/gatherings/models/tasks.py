"""Group tasks (gruppearbeid): a task of a gathering, its groups, and each group's written answers.

A group writes through its own link (a random token in the address), without an account: a table
at a gathering is a mix of people, most without an account here, and its scribe writes on one
laptop or phone, during the gathering or in the weeks after it. The link works for as long as the
organiser keeps the task open; the organisers see every group's answers on the task's page.
Participants' phone cookies were not used for this: they last three days and belong to one
browser, while a group's answers outlive the gathering and are written by whoever holds the pen.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..task_templates import TITLES, questions_of
from .live import MAX_TABLE, Gathering

MAX_ANSWER = 5000


def new_group_token() -> str:
    return secrets.token_urlsafe(24)


class GroupTask(models.Model):
    """A task for the groups of a gathering, at county or municipal level, with its own copy of the questions."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County level")
        MUNICIPAL = "municipal", _("Municipal level")

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("gathering")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(_("questions"), default=list)
    is_open = models.BooleanField(_("open for answers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("group task")
        verbose_name_plural = _("group tasks")
        constraints = [models.CheckConstraint(condition=Q(level__in=["county", "municipal"]), name="task_level_known")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gatherings:task", args=[self.gathering_id, self.pk])

    @classmethod
    def from_template(cls, gathering: Gathering, level: str, title: str = "") -> GroupTask:
        position = min(gathering.tasks.count() + 1, 1000)
        return cls.objects.create(
            gathering=gathering,
            level=level,
            title=title or TITLES[level],
            questions=questions_of(level),
            position=position,
        )

    @property
    def question_list(self) -> list[dict[str, Any]]:
        """The questions as stored, each with its key, title and prompts (a bad row is skipped, not a 500)."""
        found = self.questions if isinstance(self.questions, list) else []
        return [q for q in found if isinstance(q, dict) and q.get("key") and q.get("title")]


class TaskGroup(models.Model):
    """A group (a table, or a municipality) that writes its answers to a task through its own link."""

    task = models.ForeignKey(GroupTask, on_delete=models.CASCADE, related_name="groups", verbose_name=_("task"))
    name = models.CharField(_("name"), max_length=100)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_groups",
        verbose_name=_("municipality or owner"),
    )
    token = models.CharField(_("link code"), max_length=40, unique=True, default=new_group_token)
    # Bumped with every save of the group's answers: two people saving at once do not overwrite each other.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_at = models.DateTimeField(_("last written"), null=True, blank=True)

    class Meta:
        ordering = ["table", "name", "pk"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["task", "name"], name="group_name_unique_per_task"),
            models.CheckConstraint(
                condition=Q(table__isnull=True) | Q(table__gte=1, table__lte=MAX_TABLE), name="group_table_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The group's own page: whoever has this address writes the group's answers."""
        return reverse("gatherings:group", args=[self.token])

    def answers_by_key(self) -> dict[str, GroupAnswer]:
        return {a.key: a for a in self.answers.all()}

    def write(self, answers: dict[str, str], *, seen_revision: int) -> bool:
        """Stores the answers if nobody saved since `seen_revision`; False (nothing stored) if someone did."""
        keys = {q["key"] for q in self.task.question_list}
        with transaction.atomic():
            moved = TaskGroup.objects.filter(pk=self.pk, revision=seen_revision).update(
                revision=F("revision") + 1, updated_at=timezone.now()
            )
            if not moved:
                return False
            stored = set(GroupAnswer.objects.filter(group=self).values_list("key", flat=True))
            for key, text in answers.items():
                if key not in keys or (not text.strip() and key not in stored):
                    continue  # an unknown question, or one still unanswered
                # A changed text is not what was picked for the needs analysis: its pick goes with the old text.
                changed = GroupAnswer.objects.filter(group=self, key=key).exclude(text=text.strip())
                changed.update(picked_at=None, picked_by=None)
                GroupAnswer.objects.update_or_create(group=self, key=key, defaults={"text": text.strip()})
        self.refresh_from_db(fields=["revision", "updated_at"])
        return True


class GroupAnswer(models.Model):
    """A group's answer to one of the task's questions (by the question's key)."""

    group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="answers", verbose_name=_("group"))
    key = models.CharField(_("question"), max_length=40)
    text = models.TextField(_("answer"), max_length=MAX_ANSWER, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    picked_at = models.DateTimeField(_("picked for the needs analysis"), null=True, blank=True)

    class Meta:
        ordering = ["group", "key"]
        verbose_name = _("group answer")
        verbose_name_plural = _("group answers")
        constraints = [models.UniqueConstraint(fields=["group", "key"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return self.text[:60]

    def pick(self, *, by: Any) -> None:
        """Into the needs analysis: who picked it, and when (a second pick keeps the first)."""
        GroupAnswer.objects.filter(pk=self.pk, picked_at__isnull=True).update(picked_by=by, picked_at=timezone.now())

    def unpick(self) -> None:
        GroupAnswer.objects.filter(pk=self.pk).update(picked_by=None, picked_at=None)
