"""The app's models, one module per part (each part's models are imported here)."""

from .archive import ArchiveJob  # the archive package, made by the worker
from .claims import Claim, ClaimEvent, ClaimLine  # follow-up: claims back
from .funds import (
    FundsFieldEdit,
    FundsReport,
    FundsReportEvent,
    FundsReportLine,
    FundsReportVersion,
    FundsTransitionError,
)
from .history import HistoryImport, HistoryLine  # statistics: earlier years' allocations

__all__ = [
    "ArchiveJob",
    "Claim",
    "ClaimEvent",
    "ClaimLine",
    "FundsReport",
    "FundsFieldEdit",
    "FundsReportEvent",
    "FundsReportLine",
    "FundsReportVersion",
    "FundsTransitionError",
    "HistoryImport",
    "HistoryLine",
]
