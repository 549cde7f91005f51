"""Campaigns: what a coordinator sets, and what the API answers about them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field

from admin.schemas.common import PRINTABLE, LongText, ReadModel, Ref, Version, examples, length
from core.chat.campaigns import Settings
from core.models import CampaignState, Role, Sector
from core.people.audience import Audience

DefinitionId = Annotated[str, length(64), PRINTABLE]


class AudienceBody(BaseModel):
    model_config = examples({"roles": ["civil_society"], "sectors": ["academia", "media"]})

    roles: list[Role] = Field([], max_length=10)
    sectors: list[Sector] = Field([], max_length=20)
    person_ids: list[Ref] = Field([], max_length=10_000)
    secretariat_ids: list[Ref] = Field(
        [], max_length=100, description="National team only: these secretariats' people."
    )
    all_secretariats: bool = Field(False, description="National team only: every secretariat.")

    def rule(self) -> Audience:
        return Audience(
            frozenset(self.roles),
            frozenset(self.sectors),
            frozenset(self.person_ids),
            frozenset(self.secretariat_ids),
            self.all_secretariats,
        )


class RemindersBody(BaseModel):
    model_config = examples({"every_days": 3, "at_most": 2})

    every_days: int = Field(strict=True, ge=1, le=60, description="Days between reminders.")
    at_most: int = Field(strict=True, ge=1, le=20, description="Reminders per person, at most.")


class CampaignSettings(BaseModel):
    audience: AudienceBody = Field(
        default_factory=AudienceBody, description="Empty lists: everyone in the secretariat."
    )
    opens_at: AwareDatetime | None = Field(None, description="Empty: when it is launched.")
    closes_at: AwareDatetime | None = None
    invitation_text: LongText | None = Field(
        None, max_length=2000, description="Your words, above the standard invitation."
    )
    reminders: RemindersBody | None = Field(
        None, description="For those who have not finished; never in quiet hours or absences."
    )
    share_results: bool = Field(
        False, description="Send the results to those who finished, once it closes."
    )

    def settings(self) -> Settings:
        return Settings(
            audience=self.audience.rule(),
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            invitation_text=self.invitation_text or None,
            remind_every_days=self.reminders.every_days if self.reminders else None,
            remind_at_most=self.reminders.at_most if self.reminders else 0,
            share_results=self.share_results,
        )


class CampaignCreate(CampaignSettings):
    model_config = examples(
        {
            "definition_id": "problem_prioritisation",
            "audience": {"roles": ["civil_society"]},
            "closes_at": "2027-02-01T23:59:00-06:00",
            "reminders": {"every_days": 3, "at_most": 2},
            "share_results": True,
        }
    )

    definition_id: DefinitionId
    definition_version: int | None = Field(
        None, strict=True, ge=1, description="Empty: the latest version."
    )


class CampaignUpdate(CampaignSettings):
    model_config = examples({"version": 1, "closes_at": "2027-02-15T23:59:00-06:00"})

    version: Version


class CampaignRead(ReadModel):
    id: int
    secretariat_id: int
    definition_id: str
    definition_version: int
    title: dict[str, str]
    state: CampaignState
    audience: dict[str, Any]
    invitation_text: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    launched_at: datetime | None
    paused_at: datetime | None
    closed_at: datetime | None
    remind_every_days: int | None
    remind_at_most: int
    share_results: bool
    results_published_at: datetime | None = Field(
        description="When its results went on the secretariat's public page; empty: they did not."
    )
    created_at: datetime
    version: int


class Launched(BaseModel):
    campaign: CampaignRead
    invited: int = Field(description="People invited now (0 when it opens later).")
    invitations_from: datetime | None = Field(
        description="When the first invitation goes out: now, or when the quiet hours of "
        "those invited end."
    )


class Reminded(BaseModel):
    reminded: int = Field(description="People sent a reminder now.")


class Tally(BaseModel):
    invited: int
    not_started: int
    started: int
    finished: int
    declined: int
    unreachable: int = Field(description="Waiting, but the bot cannot write to them.")
    response_rate: float | None = Field(description="Finished over invited, 0 to 1.")


class GroupTally(Tally):
    value: str | None


class Waiting(BaseModel):
    person_id: int
    name: str
    secretariat: str
    sector: Sector | None
    roles: list[str]
    state: str = Field(description="invited, started or unreachable.")
    invited_at: datetime | None
    reminders_sent: int
    last_reminded_at: datetime | None


class Participation(Tally):
    campaign_id: int
    state: CampaignState
    by: dict[str, list[GroupTally]] = Field(description="By sector, role and secretariat.")
    not_finished: list[Waiting]
