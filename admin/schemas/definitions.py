"""Conversation definitions as the API shows them: listed with their versions, or read whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.chat.definitions import Source


class DefinitionVersionRead(BaseModel):
    version: int
    uploaded_at: datetime | None = Field(description="Empty for a built-in definition.")


class DefinitionSummary(BaseModel):
    id: str
    kind: Literal["survey", "interview", "form"]
    title: str = Field(description="In the language asked for.")
    anonymous: bool
    source: Source = Field(
        description="builtin (shipped with the product), own (uploaded by this secretariat) or "
        "template (published by the national team for every secretariat)."
    )
    versions: list[DefinitionVersionRead]


class DefinitionRead(BaseModel):
    id: str
    version: int
    kind: Literal["survey", "interview", "form"]
    title: str = Field(description="In the language asked for.")
    anonymous: bool
    source: Source
    template: bool = Field(description="Published for every secretariat.")
    outline: str = Field(description="Questions, types, skip logic and choices, as `survey check`.")
    definition: dict[str, Any] = Field(description="The definition, as YAML or JSON would hold it.")
    warnings: list[str] = Field(
        default_factory=list,
        description="On upload: what the file holds that a chat does not use, by sheet, row and "
        "column (the form is accepted).",
    )
