"""A delivered compilation as a record: what the network delivered, and what changed between two versions.

The parts: `data` (the list → the data a `CompilationVersion` keeps, and `CompilationRecord`, the one
shape pages and documents read), `changes` (`diff` of two versions) and `documents` (PDF and Excel).
Import from here: `from lokalkomp.allocation.compilation_record import …`.
"""

from .changes import diff
from .data import SCHEMA, CompilationRecord, CompiledMeasure, CompiledScheme, live_record, record_data

__all__ = [
    "SCHEMA",
    "CompilationRecord",
    "CompiledMeasure",
    "CompiledScheme",
    "diff",
    "live_record",
    "record_data",
]
