"""Secretariats, people, invitations and tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from admin.schemas.common import PRINTABLE, ReadModel, Ref, examples, length
from core.models import JoinRequestState, Role, Sector, TokenRole

Name = Annotated[str, length(200), PRINTABLE]
Slug = Annotated[str, length(64), PRINTABLE]
TimeZone = Annotated[str, length(64), PRINTABLE]
State = Annotated[str, length(100), PRINTABLE]
Email = Annotated[str, length(254), PRINTABLE]
TelegramUsername = Annotated[str, length(64), PRINTABLE]
Label = Annotated[str, length(200), PRINTABLE]


class SecretariatCreate(BaseModel):
    model_config = examples(
        {
            "slug": "sesea-ags",
            "name": "Secretaría Ejecutiva del Sistema Estatal Anticorrupción de Aguascalientes",
            "state": "Aguascalientes",
            "time_zone": "America/Mexico_City",
        }
    )

    slug: Slug = Field(description="Lowercase letters, digits and hyphens; unique.")
    name: Name
    state: State = Field(description="Mexican state, or 'Nacional'.")
    time_zone: TimeZone = "America/Mexico_City"


class SecretariatUpdate(BaseModel):
    model_config = examples({"name": "SESEA"})

    name: Name | None = None
    state: State | None = None
    time_zone: TimeZone | None = None


class SecretariatRead(ReadModel):
    id: int
    slug: str
    name: str
    state: str
    time_zone: str
    created_at: datetime


class PersonCreate(BaseModel):
    model_config = examples(
        {
            "name": "María López",
            "roles": ["staff"],
            "email": "maria.lopez@sesea.gob.mx",
            "telegram_username": "marialopez",
        }
    )

    name: Name | None = None
    roles: list[Role] = Field(min_length=1, max_length=4)
    sector: Sector | None = Field(None, description="Required for civil society.")
    organisation: Name | None = None
    email: Email | None = None
    telegram_username: TelegramUsername | None = None
    language: str = Field("es", pattern="^(es|en)$")
    time_zone: TimeZone = "America/Mexico_City"


class PersonUpdate(BaseModel):
    model_config = examples({"reachable": False})

    name: Name | None = None
    roles: list[Role] | None = Field(None, min_length=1, max_length=4)
    sector: Sector | None = None
    organisation: Name | None = None
    email: Email | None = None
    language: str | None = Field(None, pattern="^(es|en)$")
    time_zone: TimeZone | None = None
    reachable: bool | None = None


class PersonRead(ReadModel):
    id: int
    name: str | None
    roles: list[Role]
    sector: Sector | None
    organisation: str | None
    email: str | None
    telegram_username: str | None
    has_telegram: bool = Field(description="Whether the person joined through Telegram.")
    language: str
    time_zone: str
    reachable: bool
    consent_version: str | None
    created_at: datetime

    @field_validator("roles", mode="before")
    @classmethod
    def _in_order(cls, roles: Iterable[Role]) -> list[Role]:
        return sorted(roles)


class InvitationCreate(BaseModel):
    model_config = examples(
        {"role": "civil_society", "sector": "osc", "note": "Red OSC Ags"},
        {"person_id": 12, "note": "Lucía, enlace de planeación"},
    )

    role: Role | None = Field(None, description="Required unless person_id is given.")
    sector: Sector | None = Field(None, description="Required for civil society.")
    person_id: Ref | None = Field(
        None,
        description="An existing person of the secretariat with no Telegram account yet: "
        "whoever joins through the invitation becomes that person, with their role and sector "
        "(leave role and sector out).",
    )
    note: Label | None = Field(None, description="Who it is meant for.")
    ttl_days: int | None = Field(
        None, strict=True, ge=1, le=365, description="Days it stays valid."
    )


class InvitationRead(ReadModel):
    id: int
    role: Role
    sector: Sector | None
    note: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by_id: int | None
    revoked_at: datetime | None
    person_id: int | None = Field(description="The existing person it is bound to, if any.")


class IssuedInvitationRead(InvitationRead):
    code: str = Field(description="The single-use code; shown only now.")
    deep_link: str = Field(
        description="Link that opens the chat with the bot and joins with the code: t.me, or "
        "the local web chat when the product runs without a bot token."
    )
    how_to_join: str = Field(description="What to send to the invited person.")


class JoinRequestRead(ReadModel):
    id: int
    state: JoinRequestState
    name: str | None = Field(description="Emptied when the request is declined.")
    sector: Sector
    organisation: str | None
    contact: str | None = Field(description="E-mail or phone, as written; emptied if declined.")
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    invitation_id: int | None
    version: int


class AcceptedJoinRequest(BaseModel):
    request: JoinRequestRead
    invitation: IssuedInvitationRead = Field(
        description="Send its link to the contact the request gives; it is shown only now."
    )


class TokenCreate(BaseModel):
    model_config = examples(
        {"role": "coordinator", "secretariat_id": 1, "days": 90, "label": "Ana"}
    )

    role: TokenRole
    secretariat_id: Ref | None = Field(None, description="Required except for national_admin.")
    days: int = Field(90, strict=True, ge=1, le=730)
    label: Label | None = None


class TokenRead(ReadModel):
    id: int
    role: TokenRole
    secretariat_id: int | None
    label: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    parent_id: int | None = Field(
        description="The token that issued this one, which it never outlives; revoked with it."
    )


class IssuedTokenRead(TokenRead):
    token: str = Field(description="The secret; shown only now, stored hashed.")


class PrincipalRead(BaseModel):
    token_id: int
    role: TokenRole
    secretariat_id: int | None
