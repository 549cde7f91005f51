"""API tokens: issued with a role and a scope, shown once, stored as SHA-256, revocable.

The secret is 43 URL-safe characters from ``secrets`` (256 bits) behind a readable prefix; a
plain hash is enough for a random secret this long, and makes the lookup one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import InvalidInput, NotFound, PermissionDenied
from core.infra.listing import Page, Sorting, given_filters, paginate
from core.infra.lookup import one
from core.infra.values import one_of
from core.models import (
    ApiToken,
    Secretariat,
    TokenRole,
    utcnow,
)
from core.people import tokens
from i18n import N_

PREFIX = "inc_"
SECRET_BYTES = 32
MAX_DAYS = 730
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to spot unused tokens.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


async def issue_token(
    session: AsyncSession,
    actor: Actor,
    *,
    role: TokenRole | str,
    secretariat_id: int | None = None,
    days: int = 90,
    label: str | None = None,
    parent: ApiToken | None = None,
) -> IssuedToken:
    """A new token of ``role``; one issued by ``parent`` (a token calling the API) expires no
    later than it, and is revoked with it."""
    role = one_of(TokenRole, role, "role", N_("Unknown role {value}; use one of: {choices}."))
    if role == TokenRole.NATIONAL_ADMIN and secretariat_id is not None:
        raise InvalidInput(
            N_("A national admin token spans every secretariat; leave the secretariat out."),
            field="secretariat_id",
        )
    if role != TokenRole.NATIONAL_ADMIN:
        if secretariat_id is None:
            raise InvalidInput(N_("This role needs a secretariat."), field="secretariat_id")
        if await session.get(Secretariat, secretariat_id) is None:
            raise NotFound(
                N_("Secretariat {id} not found."), field="secretariat_id", id=secretariat_id
            )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(N_("A token lasts 1 to {limit} days."), field="days", limit=MAX_DAYS)
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    expires_at = utcnow() + timedelta(days=days)
    token = ApiToken(
        token_hash=hash_secret(secret),
        label=label.strip() if label and label.strip() else None,
        role=role,
        secretariat_id=secretariat_id,
        created_by=str(actor),
        expires_at=min(expires_at, parent.expires_at) if parent else expires_at,
        parent_id=parent.id if parent else None,
    )
    # The label may name a person: it stays out of the chain, which is published.
    data: dict[str, object] = {"role": role, "expires_at": token.expires_at}
    if parent is not None:
        data["parent_id"] = parent.id
    await chain.about(session, token, "token.create", actor, secretariat_id, data=data)
    return IssuedToken(token, secret)


async def authenticate(session: AsyncSession, secret: str) -> ApiToken:
    """The live token behind ``secret``; refused when unknown, revoked or expired. It only
    reads: its use is noted apart (``note_use``), so that a read needs no write lock."""
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        raise PermissionDenied(N_("The API token is not valid."))
    if token.expires_at <= now:
        raise PermissionDenied(N_("The API token expired; ask for a new one."))
    return token


def use_to_note(token: ApiToken) -> bool:
    """Whether the token's last use is older than ``LAST_USED_PRECISION``."""
    return token.last_used_at is None or utcnow() - token.last_used_at > LAST_USED_PRECISION


async def note_use(session: AsyncSession, token_id: int) -> None:
    """Record that the token was used now, unless that was noted less than
    ``LAST_USED_PRECISION`` ago."""
    now = utcnow()
    await session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USED_PRECISION,
            )
        )
        .values(last_used_at=now)
    )


def visible_tokens(secretariat_id: int | None) -> Select[ApiToken]:
    """Tokens a principal may list: all of them nationally, else its secretariat's."""
    return select(ApiToken).where(*given_filters((ApiToken.secretariat_id, secretariat_id)))


async def get_token(session: AsyncSession, token_id: int) -> ApiToken:
    """The token ``token_id``, whichever secretariat it serves, or NotFound."""
    return await one(
        session,
        select(ApiToken).where(ApiToken.id == token_id),
        N_("Token {id} not found."),
        token_id,
    )


async def descendants(session: AsyncSession, token: ApiToken) -> list[ApiToken]:
    """The tokens ``token`` issued, those they issued, and so on, generation by generation."""
    found: list[ApiToken] = []
    generation = [token.id]
    while generation:
        children = (
            await session.scalars(
                select(ApiToken).where(ApiToken.parent_id.in_(generation)).order_by(ApiToken.id)
            )
        ).all()
        found.extend(children)
        generation = [child.id for child in children]
    return found


async def revoke_token(
    session: AsyncSession, actor: Actor, token_id: int, *, secretariat_id: int | None
) -> ApiToken:
    """Revoke a token visible to the caller (``secretariat_id`` None means every one), and
    every token it issued, down the generations, each revocation recorded."""
    query = visible_tokens(secretariat_id).where(ApiToken.id == token_id)
    token = await one(session, query, N_("Token {id} not found."), token_id)
    now = utcnow()
    for revoked in [token, *await descendants(session, token)]:
        if revoked.revoked_at is not None:
            continue
        revoked.revoked_at = now
        await session.flush()
        data = None if revoked is token else {"revoked_with": token.id}
        await chain.about(
            session, revoked, "token.revoke", actor, revoked.secretariat_id, data=data
        )
    return token


TOKEN_SORTING = Sorting(
    {"id": ApiToken.id, "created_at": ApiToken.created_at, "expires_at": ApiToken.expires_at},
    default="-created_at",
    tie_breaker=ApiToken.id,
)


async def list_tokens(
    session: AsyncSession,
    secretariat_id: int | None,
    *,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ApiToken]:
    return await paginate(
        session,
        tokens.visible_tokens(secretariat_id),
        TOKEN_SORTING,
        sort=sort,
        limit=limit,
        offset=offset,
    )
