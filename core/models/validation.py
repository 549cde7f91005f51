"""Civil-society validation of progress reports, indicators' measurements and good practices:
policies, requests, assignments, votes.

A plan's policy says how many validators a request asks, the quorum that validates it, how long
it stays open and when validators are reminded. A request snapshots that policy, so changing the
policy later never changes how an open request is decided.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    cascading_key,
    enum_column,
    exactly_one_of,
)
from core.people.roles import Sector


class MeasurementValidation(enum.StrEnum):
    """Which indicators of a plan have each new value put to validation on its own."""

    NONE = "none"
    ALL = "all"
    FLAGGED = "flagged"  # those whose ``Indicator.validated`` is set


# A plan without a stored policy is validated by these.
POLICY_DEFAULTS = {
    "validators_per_request": 3,
    "min_confirmations": 2,
    "min_sectors": 2,
    "disputes_at_most_confirmations": True,
    "deadline_days": 7,
    "reply_days": 3,
    "remind_days_before": 2,
    "auto_request_on_done": False,
    "validate_measurements": MeasurementValidation.NONE,
}


class ValidationPolicy(CreatedAt, Base):
    """How a plan's reports are validated."""

    __tablename__ = "validation_policy"
    __table_args__ = (
        CheckConstraint("validators_per_request BETWEEN 1 AND 20", name="validators"),
        CheckConstraint(
            "min_confirmations BETWEEN 1 AND validators_per_request", name="min_confirmations"
        ),
        CheckConstraint("min_sectors BETWEEN 1 AND min_confirmations", name="min_sectors"),
        CheckConstraint("deadline_days BETWEEN 1 AND 90", name="deadline_days"),
        CheckConstraint("reply_days BETWEEN 1 AND 90", name="reply_days"),
        CheckConstraint("remind_days_before BETWEEN 0 AND 90", name="remind_days_before"),
    )

    plan_id: Mapped[int] = cascading_key("plan")
    validators_per_request: Mapped[int] = mapped_column(
        default=POLICY_DEFAULTS["validators_per_request"]
    )
    min_confirmations: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["min_confirmations"])
    min_sectors: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["min_sectors"])
    # "No more disputes than confirmations" as part of the quorum.
    disputes_at_most_confirmations: Mapped[bool] = mapped_column(
        default=POLICY_DEFAULTS["disputes_at_most_confirmations"]
    )
    deadline_days: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["deadline_days"])
    # A validator silent this long is replaced by another one.
    reply_days: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["reply_days"])
    remind_days_before: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["remind_days_before"])
    # Ask for validation on its own when a report marks a task done.
    auto_request_on_done: Mapped[bool] = mapped_column(
        default=POLICY_DEFAULTS["auto_request_on_done"]
    )
    # Ask for validation on its own of each new current value of these indicators.
    validate_measurements: Mapped[MeasurementValidation] = mapped_column(
        enum_column(MeasurementValidation),
        default=POLICY_DEFAULTS["validate_measurements"],
    )


class ValidatorPause(CreatedAt, Base):
    """A civil-society person who asked not to be chosen as a validator for now."""

    __tablename__ = "validator_pause"

    person_id: Mapped[int] = cascading_key("person")


class ValidationState(enum.StrEnum):
    OPEN = "open"
    VALIDATED = "validated"
    DISPUTED = "disputed"
    INCONCLUSIVE = "inconclusive"
    EXPIRED = "expired"


class ValidationRequest(CreatedAt, OwnedBySecretariat, Base):
    """A progress report or an indicator's measurement (of a plan), or a good practice (of a
    secretariat), put before validators: exactly one of the three."""

    __tablename__ = "validation_request"
    __table_args__ = (
        exactly_one_of("report_id", "practice_id", "measurement_id", name="one_subject"),
        CheckConstraint("report_id IS NULL OR plan_id IS NOT NULL", name="report_plan"),
        CheckConstraint("measurement_id IS NULL OR plan_id IS NOT NULL", name="measurement_plan"),
        CheckConstraint("validators_wanted >= 1", name="validators_wanted"),
        CheckConstraint("min_confirmations >= 1", name="min_confirmations"),
        CheckConstraint("min_sectors >= 1", name="min_sectors"),
    )

    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="RESTRICT"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_report.id", ondelete="RESTRICT"), index=True
    )
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice.id", ondelete="RESTRICT"), index=True
    )
    measurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[ValidationState] = mapped_column(
        enum_column(ValidationState), default=ValidationState.OPEN, index=True
    )
    requested_by: Mapped[str] = mapped_column(String(100), doc="person:<id>, token:<id>, system.")
    automatic: Mapped[bool] = mapped_column(default=False)
    # The policy as it was when the request was made.
    validators_wanted: Mapped[int]
    min_confirmations: Mapped[int]
    min_sectors: Mapped[int]
    disputes_at_most_confirmations: Mapped[bool]
    reply_days: Mapped[int]
    remind_days_before: Mapped[int]
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignments: Mapped[list[ValidationAssignment]] = relationship(
        back_populates="request", order_by="ValidationAssignment.id", lazy="selectin"
    )


class AssignmentState(enum.StrEnum):
    ACTIVE = "active"
    DECLINED = "declined"  # the validator said they cannot
    EXPIRED = "expired"  # silent past the reply time


class ValidationAssignment(Base):
    """One validator asked to judge one request."""

    __tablename__ = "validation_assignment"
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("validation_request.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    state: Mapped[AssignmentState] = mapped_column(
        enum_column(AssignmentState), default=AssignmentState.ACTIVE
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("validation_assignment.id", ondelete="SET NULL")
    )

    request: Mapped[ValidationRequest] = relationship(back_populates="assignments")
    vote: Mapped[ValidationVote | None] = relationship(
        back_populates="assignment", lazy="selectin", uselist=False
    )


class VoteChoice(enum.StrEnum):
    CONFIRM = "confirm"
    DISPUTE = "dispute"
    NEEDS_INFO = "needs_info"


class ValidationVote(Base):
    """A validator's answer; one per assignment, changeable while the request is open."""

    __tablename__ = "validation_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("validation_assignment.id", ondelete="RESTRICT"), unique=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("validation_request.id", ondelete="RESTRICT"), index=True
    )
    choice: Mapped[VoteChoice] = mapped_column(enum_column(VoteChoice))
    comment: Mapped[str | None] = mapped_column(Text)
    # The validator agreed, in chat, to publish this comment without their name.
    public_comment: Mapped[bool] = mapped_column(default=False)
    voice_file_id: Mapped[str | None] = mapped_column(String(200))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changes: Mapped[int] = mapped_column(default=0)

    assignment: Mapped[ValidationAssignment] = relationship(back_populates="vote")


class InformationRequest(Base):
    """A validator's "I need more information", and the reporter's answer to it."""

    __tablename__ = "validation_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("validation_request.id", ondelete="RESTRICT"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("validation_assignment.id", ondelete="RESTRICT"), index=True
    )
    question: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    # Evidence rows the answer added to the report or the measurement.
    answer_evidence_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LedgerKey(CreatedAt, Base):
    """The deployment's secret for validator pseudonyms in the public ledger (one row)."""

    __tablename__ = "ledger_key"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(64))
