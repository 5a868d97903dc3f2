"""Who may do what with a network compilation (the compilation helper writes this)."""

from __future__ import annotations

__all__: list[str] = []
