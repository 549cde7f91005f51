"""Good practices: written as drafts, read with what backs them and who adopted them, adopted."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from admin.schemas.common import (
    PRINTABLE,
    LongText,
    PnaPriority,
    Ref,
    Title,
    Version,
    examples,
    length,
    read_model,
)
from admin.schemas.pea import PeaCode
from core.models import PracticeTheme
from core.practices.adoption import Adopted, Adopter
from core.practices.reading import PracticeView

ContactRole = Annotated[str, length(200), PRINTABLE]
Links = list[Ref]
EXAMPLE = {
    "title": "Testigos sociales en contrataciones públicas",
    "problem": "Las contrataciones públicas del estado se adjudicaban sin vigilancia ciudadana.",
    "pna_priority": 22,
    "actions": "Se acreditaron testigos sociales para todas las licitaciones mayores.",
    "results": "El 80 % de las licitaciones de 2026 contó con testigo social.",
    "contact_role": "Coordinación de Vinculación de la SESEA",
    "theme": "procurement",
}


class PracticeCreate(BaseModel):
    model_config = examples(EXAMPLE)

    title: Title
    problem: LongText | None = Field(None, description="The problem the practice addresses.")
    pna_priority: PnaPriority | None = Field(
        None, description="The national policy's priority (1-40) it serves."
    )
    pea_priority: PeaCode | None = Field(
        None, description="The code of the secretariat's own PEA priority it serves."
    )
    actions: LongText | None = Field(None, description="What was done.")
    results: LongText | None = None
    contact_role: ContactRole | None = Field(
        None, description="The role to contact (Coordinación de la SESEA), never a person's name."
    )
    theme: PracticeTheme | None = None
    indicator_ids: Links = Field([], description="Indicators of the secretariat's plans.")
    evidence_ids: Links = Field([], description="Public evidence of the secretariat's advances.")


class PracticeUpdate(BaseModel):
    model_config = examples({"version": 1, "results": "El 85 % de las licitaciones."})

    version: Version
    title: Title | None = None
    problem: LongText | None = None
    pna_priority: PnaPriority | None = None
    pea_priority: PeaCode | None = None
    actions: LongText | None = None
    results: LongText | None = None
    contact_role: ContactRole | None = None
    theme: PracticeTheme | None = None
    indicator_ids: Links | None = None
    evidence_ids: Links | None = None


class AdoptBody(BaseModel):
    model_config = examples({"plan_id": 3}, {"plan_id": 3, "objective_id": 12})

    plan_id: Ref = Field(description="The adopting secretariat's plan.")
    objective_id: Ref | None = Field(
        None,
        description="A line of action of that plan: the practice becomes an activity under it "
        "instead of a new line of action.",
    )


PracticeRead = read_model(PracticeView, "PracticeRead", "A good practice.")
AdoptedRead = read_model(Adopted, "Adopted", "What an adoption created in the plan.")
AdopterRead = read_model(
    Adopter, "Adopter", "A secretariat that adopted a practice, and how far it got."
)


# PracticeRead and AdopterRead are read models built when the module loads, not static types.
class PracticeDetail(PracticeRead):  # type: ignore[misc,valid-type]
    adopters: list[AdopterRead] = Field(  # type: ignore[valid-type]
        description="Secretariats that adopted it, with the progress of what they created."
    )
