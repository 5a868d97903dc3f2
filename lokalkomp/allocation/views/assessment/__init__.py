"""The forum's assessment: the round's work list, a measure's form, the declarations of ties."""

from . import declarations, form, worklist

__all__ = ["declarations", "form", "worklist"]
