"""A secretariat's PEA priorities, each mapped to priorities of the national policy."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from admin.schemas.common import (
    PRINTABLE,
    PnaPriorities,
    ReadModel,
    Title,
    Version,
    examples,
    length,
)

PeaCode = Annotated[str, length(100), PRINTABLE]


class PeaPriorityCreate(BaseModel):
    model_config = examples(
        {"code": "P12", "title": "Participación ciudadana en la vigilancia", "pna_priorities": [31]}
    )

    code: PeaCode = Field(description="What lines of action cite in their pea_priority.")
    title: Title
    pna_priorities: PnaPriorities = Field(
        [], description="Priorities of the national policy (1-40) it maps to."
    )


class PeaPriorityUpdate(BaseModel):
    model_config = examples({"version": 1, "pna_priorities": [31, 32]})

    version: Version
    code: PeaCode | None = None
    title: Title | None = None
    pna_priorities: PnaPriorities | None = None


class PeaPriorityRead(ReadModel):
    id: int
    secretariat_id: int
    code: str
    title: str
    pna_priorities: list[int]
    version: int
