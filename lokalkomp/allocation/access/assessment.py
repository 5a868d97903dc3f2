"""Access helpers for assessments."""

from __future__ import annotations

__all__: list[str] = []
