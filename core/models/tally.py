"""Survey results kept as they come: each completed response of a campaign adds its answers to
running counts, so a campaign's results read a few rows instead of every response.

Counts are kept per campaign, definition version, respondent group (the respondent's
secretariat, sector and combination of roles, which results may be broken down by) and
question. Answers whose figures depend on their order (texts, files, places) are kept one per
row instead, with the response they came from. Empty group values are '' rather than NULL, so
that equal groups meet on the unique key their counts are added on. Answers are kept as JSON
text rather than in JSON columns: SQLite would read a JSON number written alone back as a number,
not as the JSON text of one.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class _Group:
    """Where a response's answers are counted: its campaign, version and respondent group."""

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    definition_version: Mapped[int]
    secretariat_id: Mapped[int] = mapped_column(ForeignKey("secretariat.id", ondelete="CASCADE"))
    sector: Mapped[str] = mapped_column(String(32))
    roles: Mapped[str] = mapped_column(String(200))
    question_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))


# What a count is added on: its group, its question, what it counts and the answer's hash.
TALLY_KEY = (
    *("campaign_id", "definition_version", "secretariat_id", "sector", "roles"),
    *("question_id", "kind", "digest"),
)


class ResponseTally(_Group, Base):
    """How many completed responses of a group gave one answer (or answered, skipped...)."""

    __tablename__ = "response_tally"
    __table_args__ = (UniqueConstraint(*TALLY_KEY, name="uq_response_tally_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The answer's JSON hashed, so the key stays short whatever the answer.
    digest: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text, doc="The answer as JSON.")
    count: Mapped[int]


class ResponseText(_Group, Base):
    """One answer kept in the order given, or one text written under "other"."""

    __tablename__ = "response_text"
    # In the order results read them, a group's answers to a question together.
    __table_args__ = (
        Index(
            "ix_response_text_group",
            *("campaign_id", "definition_version", "secretariat_id", "sector", "roles"),
            *("question_id", "kind"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response_session.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text, doc="The answer as JSON.")
