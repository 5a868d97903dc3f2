from .assessment import Assessment, AssessmentSetup, Criterion, CriterionScore, Declaration
from .compilation import Compilation, CompilationEntry, CompilationEvent, CompilationVersion

__all__ = [
    "Assessment",
    "AssessmentSetup",
    "Compilation",
    "CompilationEntry",
    "CompilationEvent",
    "CompilationVersion",
    "Criterion",
    "CriterionScore",
    "Declaration",
]
