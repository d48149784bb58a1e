"""Every mapped class of dhr-desk: ``Base.metadata`` is complete after ``import dhr_desk.models``.

Import models and enums from here (``from dhr_desk.models import Review, ReviewKind``); the
module layout below is free to change.
"""

from __future__ import annotations

from .access import ReviewAccess
from .agencies import Agency, AgencyContact, AgencyKind
from .anonymisation import (
    AnonymisationCheck,
    AnonymisationOverride,
    AnonymisationResult,
    ExportPurpose,
)
from .asb import (
    AsbComplaint,
    AsbDetails,
    AsbEscalation,
    AsbEscalationOutcome,
    AsbThresholdDecision,
    AsbVictimType,
)
from .audit import AuditEvent
from .base import Base, Timestamped, UtcDateTime, Versioned, utc_now
from .chasing import ChaseChannel, ChaseEvent
from .dhr import DeathCategory, DhrDecision, DhrDetails, QaAmendment, QaOutcome
from .documents import (
    Document,
    DocumentCirculation,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    ProtectiveMarking,
)
from .family import ContactMethod, FamilyContact, FamilyContactKind
from .information_requests import InformationRequest, InformationRequestKind, QualityOutcome
from .panel import AttendanceStatus, Meeting, MeetingAttendance, MeetingKind, PanelMember, PanelRole
from .people import PersonRole, ReviewPerson
from .proceedings import ParallelProceeding, ProceedingKind
from .recommendations import (
    Action,
    ActionMilestone,
    ActionStatus,
    Rag,
    Recommendation,
    RecommendationLevel,
    RecommendationScope,
)
from .retention import DisposalRecord, RetentionOutcome, RetentionReview
from .reviews import JointReviewKind, Review, ReviewKind, ReviewStatus
from .settings import Setting
from .stage_history import DeadlineOverride, Pause, PauseReasonKind, StageTransition
from .statutory_returns import AsbAnnualReturn
from .themes import Theme, recommendation_themes
from .users import User, UserRole
from .working_calendar import CalendarAction, CalendarAdjustment

__all__ = [
    "Action",
    "ActionMilestone",
    "ActionStatus",
    "Agency",
    "AgencyContact",
    "AgencyKind",
    "AnonymisationCheck",
    "AnonymisationOverride",
    "AnonymisationResult",
    "AsbAnnualReturn",
    "AsbComplaint",
    "AsbDetails",
    "AsbEscalation",
    "AsbEscalationOutcome",
    "AsbThresholdDecision",
    "AsbVictimType",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "CalendarAction",
    "CalendarAdjustment",
    "ChaseChannel",
    "ChaseEvent",
    "ContactMethod",
    "DeadlineOverride",
    "DeathCategory",
    "DhrDecision",
    "DhrDetails",
    "DisposalRecord",
    "Document",
    "DocumentCirculation",
    "DocumentKind",
    "DocumentStatus",
    "DocumentVersion",
    "ExportPurpose",
    "FamilyContact",
    "FamilyContactKind",
    "InformationRequest",
    "InformationRequestKind",
    "JointReviewKind",
    "Meeting",
    "MeetingAttendance",
    "MeetingKind",
    "PanelMember",
    "PanelRole",
    "ParallelProceeding",
    "Pause",
    "PauseReasonKind",
    "PersonRole",
    "ProceedingKind",
    "ProtectiveMarking",
    "QaAmendment",
    "QaOutcome",
    "QualityOutcome",
    "Rag",
    "Recommendation",
    "RecommendationLevel",
    "RecommendationScope",
    "RetentionOutcome",
    "RetentionReview",
    "Review",
    "ReviewAccess",
    "ReviewKind",
    "ReviewPerson",
    "ReviewStatus",
    "Setting",
    "StageTransition",
    "Theme",
    "Timestamped",
    "User",
    "UserRole",
    "UtcDateTime",
    "Versioned",
    "recommendation_themes",
    "utc_now",
]
