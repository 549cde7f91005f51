"""Conversation definitions a secretariat uploaded, one row per version, never changed.

Each upload of an id is a new version (1, 2, 3... per secretariat and id): a session under way
keeps answering the version it started on. ``content`` is the validated definition, as
``Definition.model_dump(mode="json")`` gives it, with its ``version`` set to the row's. The
national team may publish a version as a template, which every secretariat then sees.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UTCDateTime, enum_column, utcnow


class DefinitionFormat(enum.StrEnum):
    XLSFORM = "xlsform"
    YAML = "yaml"
    JSON = "json"


class StoredDefinition(Base):
    __tablename__ = "stored_definition"
    __table_args__ = (
        UniqueConstraint("secretariat_id", "definition_id", "version"),
        Index("ix_stored_definition_template", "template"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), doc="The secretariat that uploaded it."
    )
    definition_id: Mapped[str] = mapped_column(String(64), doc="The id the file gives.")
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[DefinitionFormat] = mapped_column(enum_column(DefinitionFormat))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    template: Mapped[bool] = mapped_column(
        default=False, doc="Published by the national team for every secretariat."
    )
