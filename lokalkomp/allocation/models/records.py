"""Append-only rows: a record (a version, a step, a decision) is written once and never changed or deleted.

`AppendOnly` refuses a second save and every delete; `AppendOnlyQuerySet` refuses bulk update and
delete. The admin, scripts and the shell meet the same refusal. A subclass names what it is in
`record_name` (English: the message is for developers, never shown to users).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"A {self.model.record_name} is a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"A {self.model.record_name} is a record and cannot be deleted.")


class AppendOnly(models.Model):
    record_name: ClassVar[str] = "record"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(f"A {self.record_name} is a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(f"A {self.record_name} is a record and cannot be deleted.")
