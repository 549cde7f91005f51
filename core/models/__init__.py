"""Every table of the product; importing this module registers them all on ``Base.metadata``."""

from core.models.agreement import Agreement
from core.models.audit import GENESIS_HASH, AuditEvent
from core.models.base import Base, Entity, utcnow
from core.models.campaign import Campaign, CampaignParticipant, CampaignState, ParticipantState
from core.models.conversation import ResponseSession, ResponseStatus
from core.models.definition import DefinitionFormat, StoredDefinition
from core.models.help_request import HelpKind, HelpRequest
from core.models.indicator import (
    Frequency,
    Indicator,
    IndicatorResponsible,
    Measurement,
    Scale,
)
from core.models.interview import Interview, InterviewNote, InterviewSolution
from core.models.invitation import Invitation
from core.models.join_request import JoinRequest, JoinRequestState
from core.models.meeting import CheckIn, CheckInTry, Meeting, MeetingInvitee, MeetingKind, Rsvp
from core.models.meeting_feedback import MeetingFeedback
from core.models.minutes import Minutes
from core.models.notification import Notification, NotificationState
from core.models.pea import PeaPriority
from core.models.person import Person, PersonRole
from core.models.plan import (
    Activity,
    Objective,
    Plan,
    Task,
    TaskDependency,
    TaskResponsible,
    TaskStatus,
)
from core.models.practice import (
    Practice,
    PracticeAdoption,
    PracticeEvidence,
    PracticeIndicator,
    PracticeState,
    PracticeTheme,
)
from core.models.reminder import Absence, ReminderKind, ReminderRule
from core.models.report import Evidence, EvidenceKind, ProgressReport, ReportDraft
from core.models.secretariat import Secretariat
from core.models.tally import ResponseTally, ResponseText
from core.models.token import ApiToken
from core.models.update import ProcessedUpdate
from core.models.validation import (
    POLICY_DEFAULTS,
    AssignmentState,
    InformationRequest,
    LedgerKey,
    MeasurementValidation,
    ValidationAssignment,
    ValidationPolicy,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    ValidatorPause,
    VoteChoice,
)
from core.people.roles import Role, Sector, TokenRole

__all__ = [
    "GENESIS_HASH",
    "POLICY_DEFAULTS",
    "Absence",
    "Activity",
    "Agreement",
    "ApiToken",
    "AssignmentState",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignParticipant",
    "CampaignState",
    "CheckIn",
    "CheckInTry",
    "DefinitionFormat",
    "Entity",
    "Evidence",
    "EvidenceKind",
    "Frequency",
    "HelpKind",
    "HelpRequest",
    "Indicator",
    "IndicatorResponsible",
    "InformationRequest",
    "Interview",
    "InterviewNote",
    "InterviewSolution",
    "Invitation",
    "JoinRequest",
    "JoinRequestState",
    "LedgerKey",
    "Measurement",
    "MeasurementValidation",
    "Meeting",
    "MeetingFeedback",
    "MeetingInvitee",
    "MeetingKind",
    "Minutes",
    "Notification",
    "NotificationState",
    "Objective",
    "ParticipantState",
    "PeaPriority",
    "Person",
    "PersonRole",
    "Plan",
    "Practice",
    "PracticeAdoption",
    "PracticeEvidence",
    "PracticeIndicator",
    "PracticeState",
    "PracticeTheme",
    "ProcessedUpdate",
    "ProgressReport",
    "ReminderKind",
    "ReminderRule",
    "ReportDraft",
    "ResponseSession",
    "ResponseStatus",
    "ResponseTally",
    "ResponseText",
    "Role",
    "Rsvp",
    "Scale",
    "Secretariat",
    "Sector",
    "StoredDefinition",
    "Task",
    "TaskDependency",
    "TaskResponsible",
    "TaskStatus",
    "TokenRole",
    "ValidationAssignment",
    "ValidationPolicy",
    "ValidationRequest",
    "ValidationState",
    "ValidationVote",
    "ValidatorPause",
    "VoteChoice",
    "utcnow",
]
