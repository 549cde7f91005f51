"""Who is calling and what they may touch: the database session, the principal, the scope.

Bearer tokens carry a role. A national admin reaches every secretariat; every other token
reaches its own only, and another secretariat's ids answer 404 exactly like missing ones.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Concatenate, ParamSpec, Protocol, TypeVar

from fastapi import BackgroundTasks, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import Headers

from admin.problems import DATABASE_BUSY, Unauthenticated, Unavailable
from admin.request_ids import bind_caller
from core.audit.actor import Actor
from core.errors import NotFound, PermissionDenied
from core.infra.db import LOCK_TIMEOUT, SessionFactory
from core.models import TokenRole
from core.people import tokens
from core.people.secretariats import get_secretariat
from i18n import N_

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier.")]
bearer = HTTPBearer(
    auto_error=False,
    description="An API token, issued by `incorruptible token create` or `POST /tokens`.",
)


MISSING_TOKEN = N_("Send an API token: Authorization: Bearer <token>.")
# The cookie of a browser signed in at /signin: a token of a day, honoured only by reads, so
# that no page of another site can make a signed-in browser change anything.
SESSION_COOKIE = "incorruptible_session"


def bearer_token_in(headers: Headers) -> bool:
    """Whether the request carries a bearer token at all (valid or not)."""
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(credentials.strip())


# Methods that only read: their transactions go to the readers, which never wait for a write.
READING = frozenset({"GET", "HEAD"})


@asynccontextmanager
async def transaction(factory: SessionFactory, wait: float) -> AsyncIterator[AsyncSession]:
    """A transaction that waits at most ``wait`` seconds for a connection or the write lock;
    past it, it is refused as Unavailable (503) instead of holding the client."""
    async with factory() as session, session.begin():
        try:
            async with asyncio.timeout(wait):
                await session.connection(execution_options={LOCK_TIMEOUT: wait})
        except TimeoutError:
            raise Unavailable(DATABASE_BUSY) from None
        yield session


async def database_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the operation succeeds, else rolled back."""
    state = request.app.state
    factory = state.read_session_factory if request.method in READING else state.session_factory
    async with transaction(factory, state.settings.admin_database_timeout) as session:
        yield session


# Scoped to the operation, the transaction commits before the response is sent: a client told
# 201 finds what it created, and a failed commit answers as an error, never after a success.
Session = Annotated[AsyncSession, Depends(database_session, scope="function")]


class Access(enum.Enum):
    READ = "read"
    EDIT_PLANS = "edit plans"
    MANAGE = "manage people and tokens"
    NATIONAL = "national"


ALLOWED: dict[Access, frozenset[TokenRole]] = {
    Access.READ: frozenset(TokenRole),
    Access.EDIT_PLANS: frozenset(
        {TokenRole.NATIONAL_ADMIN, TokenRole.SECRETARIAT_ADMIN, TokenRole.COORDINATOR}
    ),
    Access.MANAGE: frozenset({TokenRole.NATIONAL_ADMIN, TokenRole.SECRETARIAT_ADMIN}),
    Access.NATIONAL: frozenset({TokenRole.NATIONAL_ADMIN}),
}


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: TokenRole
    secretariat_id: int | None

    @property
    def actor(self) -> Actor:
        return Actor.token(self.token_id)

    @property
    def is_national(self) -> bool:
        return self.role == TokenRole.NATIONAL_ADMIN

    def require(self, access: Access) -> None:
        if self.role not in ALLOWED[access]:
            raise PermissionDenied(N_("Your role ({role}) may not do this."), role=self.role)


async def current_principal(
    request: Request,
    background: BackgroundTasks,
    session: Session,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    secret = credentials.credentials if credentials is not None else None
    if secret is None and request.method in READING:
        secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise Unauthenticated(MISSING_TOKEN)
    try:
        token = await tokens.authenticate(session, secret)
    except PermissionDenied as refusal:
        raise Unauthenticated(refusal.message, **refusal.params) from None
    bind_caller(token.id, token.secretariat_id)
    if tokens.use_to_note(token):
        background.add_task(_note_use, request, token.id)
    return Principal(token.id, token.role, token.secretariat_id)


async def _note_use(request: Request, token_id: int) -> None:
    # After the answer, in a transaction of its own: a read never waits for this write, and
    # a use left unnoted while the database is busy is noted at the token's next request.
    state = request.app.state
    wait = state.settings.admin_database_timeout
    try:
        async with transaction(state.session_factory, wait) as session:
            await tokens.note_use(session, token_id)
    except (Unavailable, DBAPIError, PoolTimeout) as error:
        logger.info("the use of token %s was not noted: %s", token_id, error)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def requiring(access: Access) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the principal, refused before the request body is even read."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        principal.require(access)
        return principal

    return dependency


NationalAdmin = Annotated[Principal, Depends(requiring(Access.NATIONAL))]
TokenManager = Annotated[Principal, Depends(requiring(Access.MANAGE))]


class Change(Protocol[P, T_co]):
    """A service that changes a secretariat's data in someone's name."""

    # Named, not positional-only as Concatenate would make them: a service that takes more
    # fields (**fields) is then still one, since no field can be given these names.
    def __call__(
        self,
        session: AsyncSession,
        secretariat_id: int,
        actor: Actor,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Awaitable[T_co]: ...


@dataclass(frozen=True)
class Scope:
    """A principal acting inside one secretariat it may reach."""

    principal: Principal
    secretariat_id: int
    session: AsyncSession

    @property
    def actor(self) -> Actor:
        return self.principal.actor

    async def read(
        self,
        service: Callable[Concatenate[AsyncSession, int, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Call a service on this secretariat's data."""
        return await service(self.session, self.secretariat_id, *args, **kwargs)

    async def change(
        self,
        service: Change[P, T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Call a service that changes this secretariat's data in the caller's name (the audit
        log's actor); the request's transaction commits it."""
        return await service(self.session, self.secretariat_id, self.actor, *args, **kwargs)


def scoped(access: Access) -> Callable[[int, Principal, AsyncSession], Awaitable[Scope]]:
    """A dependency: the secretariat of the path, reachable by the caller with ``access``."""

    async def dependency(
        secretariat_id: Id, principal: CurrentPrincipal, session: Session
    ) -> Scope:
        if principal.is_national:
            await get_secretariat(session, secretariat_id)
        elif principal.secretariat_id != secretariat_id:
            raise NotFound(N_("Secretariat {id} not found."), id=secretariat_id)
        principal.require(access)
        return Scope(principal, secretariat_id, session)

    return dependency


Reader = Annotated[Scope, Depends(scoped(Access.READ))]
PlanEditor = Annotated[Scope, Depends(scoped(Access.EDIT_PLANS))]
Manager = Annotated[Scope, Depends(scoped(Access.MANAGE))]
National = Annotated[Scope, Depends(scoped(Access.NATIONAL))]
