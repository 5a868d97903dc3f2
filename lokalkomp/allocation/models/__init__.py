from .assessment import Assessment, AssessmentSetup, Criterion, CriterionScore, Declaration
from .compilation import Compilation, CompilationEntry, CompilationEvent, CompilationVersion
from .decision import Decision, DecisionEvent, DecisionLine
from .frame_line import FrameLine, FrameLineEvent
from .payment import Payment, PaymentEvent
from .recommendation import (
    Recommendation,
    RecommendationEvent,
    RecommendationLine,
    RecommendationStep,
    RecommendationVersion,
)

__all__ = [
    "FrameLine",
    "FrameLineEvent",
    "Payment",
    "PaymentEvent",
    "Assessment",
    "AssessmentSetup",
    "Compilation",
    "CompilationEntry",
    "CompilationEvent",
    "CompilationVersion",
    "Criterion",
    "Decision",
    "DecisionEvent",
    "DecisionLine",
    "CriterionScore",
    "Declaration",
    "Recommendation",
    "RecommendationEvent",
    "RecommendationLine",
    "RecommendationStep",
    "RecommendationVersion",
]
