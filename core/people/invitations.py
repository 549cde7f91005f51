"""Invitations: single-use, expiring codes sent as ``t.me/<bot>?start=<code>`` deep links.

The code is 32 URL-safe characters from ``secrets`` (192 bits); only its SHA-256 is stored, so
the database alone cannot be used to join. A plain hash suffices for a random code this long.

An invitation may be bound to a person of the secretariat who has no Telegram account yet (staff
named in a plan before they open the bot): whoever joins through it becomes that person, with
the person's roles and sector.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.listing import Page, Sorting, paginate
from core.infra.lookup import of_secretariat
from core.infra.settings import Settings
from core.models import (
    Invitation,
    JoinRequest,
    Person,
    Role,
    Sector,
    utcnow,
)
from core.people import people
from i18n import N_

CODE_BYTES = 24


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class JoinLinks:
    """Where an invitation's code is opened to join: Telegram's link to the bot, or the web chat
    of the local emulator when the product runs without a bot token."""

    opener: str

    @classmethod
    def telegram(cls, bot_username: str) -> JoinLinks:
        return cls(f"https://t.me/{bot_username}")

    @classmethod
    def web_chat(cls, base_url: str) -> JoinLinks:
        return cls(f"{base_url.rstrip('/')}/")

    @classmethod
    def from_settings(cls, settings: Settings) -> JoinLinks | None:
        """What the settings alone tell; None when only Telegram knows the bot's username."""
        if settings.bot_username:
            return cls.telegram(settings.bot_username)
        if settings.bot_token is None or not settings.bot_token.get_secret_value():
            return cls.web_chat(f"http://{settings.emulator_host}:{settings.emulator_port}")
        return None

    def link(self, code: str) -> str:
        """The link that opens the chat with the bot and joins with ``code``."""
        return f"{self.opener}?start={code}"


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    code: str


async def create_invitation(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    *,
    role: Role | None = None,
    sector: Sector | None = None,
    note: str | None = None,
    ttl_days: int = 14,
    created_by_id: int | None = None,
    person_id: int | None = None,
) -> IssuedInvitation:
    """A new invitation and its code (shown once); bound to ``person_id`` if given, it takes the
    role and sector of that person."""
    if person_id is not None:
        if role is not None or sector is not None:
            raise InvalidInput(
                N_(
                    "An invitation for a person who already exists takes their role and sector: "
                    "leave both out."
                ),
                field="role" if role is not None else "sector",
            )
        person = await people.get_person(session, secretariat_id, person_id)
        people.ensure_linkable(person)
        role, sector = main_role(person), person.sector
    if role is None:
        raise InvalidInput(N_("Say which role the invited person will have."), field="role")
    role = Role(role)
    if role == Role.CIVIL_SOCIETY and sector is None:
        raise InvalidInput(N_("Civil-society members need a sector."), field="sector")
    if not 1 <= ttl_days <= 365:
        raise InvalidInput(N_("An invitation lasts 1 to 365 days."), field="ttl_days")
    code = secrets.token_urlsafe(CODE_BYTES)
    invitation = Invitation(
        secretariat_id=secretariat_id,
        code_hash=hash_code(code),
        role=role,
        sector=sector,
        note=note,
        created_by_id=created_by_id,
        person_id=person_id,
        expires_at=utcnow() + timedelta(days=ttl_days),
    )
    data = {
        "role": role,
        "sector": sector,
        "person_id": person_id,
        "expires_at": invitation.expires_at,
    }
    await chain.about(session, invitation, "invitation.create", actor, secretariat_id, data=data)
    return IssuedInvitation(invitation, code)


def main_role(person: Person) -> Role:
    """The role an invitation for the person names: the first of theirs, administrators first."""
    return min(person.roles, key=list(Role).index)


async def bound_person(
    session: AsyncSession, invitation: Invitation, *, for_update: bool = False
) -> Person | None:
    """The person an invitation is bound to, or None for an invitation that makes a new one;
    ``for_update`` locks their row (two invitations to one person are redeemed one at a time)."""
    if invitation.person_id is None:
        return None
    person = await session.get(
        Person, invitation.person_id, with_for_update=for_update, populate_existing=for_update
    )
    assert person is not None  # deleting a person deletes the invitations bound to them
    return person


async def usable_invitation(
    session: AsyncSession, code: str, now: datetime | None = None
) -> Invitation:
    """The invitation behind ``code`` if it can still be used; a clear refusal otherwise."""
    invitation = await session.scalar(
        select(Invitation).where(Invitation.code_hash == hash_code(code))
    )
    if invitation is None:
        raise NotFound(N_("That invitation code is not valid."))
    ensure_usable(invitation, now)
    return invitation


def ensure_usable(invitation: Invitation, now: datetime | None = None) -> None:
    """Refuse an invitation that was withdrawn, used or has expired."""
    now = now or utcnow()
    if invitation.revoked_at is not None:
        raise Conflict(N_("That invitation was withdrawn."))
    if invitation.used_at is not None:
        raise Conflict(N_("That invitation was already used."))
    if invitation.expires_at <= now:
        raise Conflict(N_("That invitation expired; ask your coordinator for a new one."))


async def redeem(
    session: AsyncSession,
    invitation: Invitation,
    *,
    telegram_id: int,
    telegram_username: str | None,
    name: str | None,
    language: str,
    consent_version: str,
    organisation: str | None = None,
) -> Person:
    """Spend an invitation already found (by code or by id) on a new person, or on the person it
    is bound to, whose record keeps what it holds."""
    ensure_usable(invitation)
    # Whoever joins is the author: the person, by id, never their Telegram account.
    bound = await bound_person(session, invitation, for_update=True)
    if bound is not None:
        person = await people.link_telegram(
            session,
            bound,
            Actor.person(bound.id),
            telegram_id=telegram_id,
            telegram_username=telegram_username,
            language=language,
            consent_version=consent_version,
            name=name,
            organisation=organisation,
        )
    else:
        person = await people.create_person(
            session,
            invitation.secretariat_id,
            Actor.person,
            roles={invitation.role},
            name=name,
            sector=invitation.sector,
            organisation=organisation,
            telegram_id=telegram_id,
            telegram_username=telegram_username,
            language=language,
            consent_version=consent_version,
        )
    invitation.used_at, invitation.used_by_id = utcnow(), person.id
    # Whoever asked for it on the public page has joined: their request's details are spent.
    await session.execute(
        update(JoinRequest)
        .where(JoinRequest.invitation_id == invitation.id)
        .values(name=None, organisation=None, contact=None)
    )
    await session.flush()
    data = {"person_id": person.id, "consent_version": consent_version}
    by = Actor.person(person.id)
    await chain.about(
        session, invitation, "invitation.accept", by, invitation.secretariat_id, data=data
    )
    return person


async def ensure_not_bound_to_another(session: AsyncSession, code: str, person: Person) -> None:
    """Refuse a registered person a code bound to someone else: their Telegram account is
    already theirs."""
    bound_to = await session.scalar(
        select(Invitation.person_id).where(Invitation.code_hash == hash_code(code))
    )
    if bound_to is not None and bound_to != person.id:
        raise Conflict(
            N_(
                "This invitation is meant for someone else, and your Telegram account is "
                "already registered as {name}."
            ),
            name=person.display_name,
        )


async def revoke_invitation(
    session: AsyncSession, secretariat_id: int, actor: Actor, invitation_id: int
) -> Invitation:
    missing = N_("Invitation {id} not found.")
    invitation = await of_secretariat(session, Invitation, secretariat_id, invitation_id, missing)
    if invitation.used_at is not None:
        raise Conflict(N_("That invitation was already used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        await session.flush()
        await chain.about(session, invitation, "invitation.revoke", actor, secretariat_id)
    return invitation


INVITATION_STATES = ("open", "used", "revoked", "expired")


INVITATION_SORTING = Sorting(
    {
        "id": Invitation.id,
        "created_at": Invitation.created_at,
        "expires_at": Invitation.expires_at,
    },
    default="-created_at",
    tie_breaker=Invitation.id,
)


async def list_invitations(
    session: AsyncSession,
    secretariat_id: int,
    *,
    state: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Invitation]:
    query = select(Invitation).where(Invitation.secretariat_id == secretariat_id)
    now = utcnow()
    if state == "open":
        query = query.where(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    elif state == "used":
        query = query.where(Invitation.used_at.is_not(None))
    elif state == "revoked":
        query = query.where(Invitation.revoked_at.is_not(None))
    elif state == "expired":
        query = query.where(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at <= now,
        )
    return await paginate(session, query, INVITATION_SORTING, sort=sort, limit=limit, offset=offset)
