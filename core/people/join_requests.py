"""Requests to validate advances from a secretariat's public page, and their decision.

Whoever sends one is not in the product yet: the request holds what a coordinator needs to
invite them (name, sector, organisation, contact) and nothing more. The audit log records that
a request came and how it was decided, never who sent it. A sender's network address is kept
only as a keyed hash, to refuse more than a few requests an hour from one address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.audit.public import key, keyed
from core.errors import Conflict, InvalidInput
from core.infra.listing import Page, Sorting, given_filters, paginate
from core.infra.lookup import of_secretariat
from core.infra.values import UNSTORABLE
from core.models import JoinRequest, JoinRequestState, Role, Sector, utcnow
from core.people.invitations import IssuedInvitation, create_invitation
from i18n import N_

# Requests one address may send in an hour, whatever the secretariat.
PER_SENDER_AN_HOUR = 3
NAME_LIMIT = 100
FIELD_LIMIT = 200
# An e-mail address, or a phone number as people write it (digits, spaces, +, -, parentheses).
CONTACT = re.compile(r"^([^@\s]+@[^@\s]+\.[^@\s]+|\+?[\d\s().-]{8,20})$")


class TooManyRequests(Conflict):
    """The sender's address asked too often in the last hour."""


@dataclass(frozen=True, slots=True)
class JoinForm:
    name: str
    sector: Sector
    organisation: str | None
    contact: str


def read_form(
    name: str, sector: str, organisation: str, contact: str, consent: bool
) -> tuple[JoinForm | None, dict[str, str]]:
    """The form's values, or each field's problem (a msgid) so all are shown at once."""
    problems: dict[str, str] = {}
    # Control characters are no part of what a person types (and PostgreSQL refuses NUL).
    name, organisation, contact = (
        " ".join(UNSTORABLE.sub("", value).split()) for value in (name, organisation, contact)
    )
    if not name:
        problems["name"] = N_("Write your name.")
    elif len(name) > NAME_LIMIT:
        problems["name"] = N_("A name of at most 100 characters, please.")
    if sector not in {choice.value for choice in Sector}:
        problems["sector"] = N_("Choose the sector you belong to.")
    if len(organisation) > FIELD_LIMIT:
        problems["organisation"] = N_("An organisation of at most 200 characters, please.")
    if not CONTACT.match(contact):
        problems["contact"] = N_("Write an e-mail address or a phone number to reach you.")
    if not consent:
        problems["consent"] = N_("Without your consent we cannot keep your request.")
    if problems:
        return None, problems
    return JoinForm(name, Sector(sector), organisation or None, contact), {}


async def submit(
    session: AsyncSession,
    secretariat_id: int,
    form: JoinForm,
    address: str,
    now: datetime | None = None,
) -> JoinRequest:
    """Keep a request for the secretariat's coordinators; TooManyRequests from a busy address."""
    now = now or utcnow()
    sender = keyed(await key(session), f"sender:{address}")
    recent = await session.scalar(
        select(func.count())
        .select_from(JoinRequest)
        .where(JoinRequest.sender_key == sender, JoinRequest.created_at > now - timedelta(hours=1))
    )
    if (recent or 0) >= PER_SENDER_AN_HOUR:
        raise TooManyRequests(N_("Too many requests from your connection; try again in an hour."))
    request = JoinRequest(
        secretariat_id=secretariat_id,
        name=form.name,
        sector=form.sector,
        organisation=form.organisation,
        contact=form.contact,
        sender_key=sender,
        created_at=now,
    )
    await chain.about(
        session, request, "join_request.create", Actor("web"), secretariat_id,
        data={"sector": form.sector},
    )  # fmt: skip
    return request


SORTING = Sorting({"id": JoinRequest.id}, default="-id", tie_breaker=())


async def list_requests(
    session: AsyncSession,
    secretariat_id: int,
    *,
    state: JoinRequestState | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[JoinRequest]:
    """The secretariat's requests, newest first."""
    query = select(JoinRequest).where(
        JoinRequest.secretariat_id == secretariat_id, *given_filters((JoinRequest.state, state))
    )
    return await paginate(session, query, SORTING, sort=None, limit=limit, offset=offset)


async def _pending(
    session: AsyncSession, secretariat_id: int, request_id: int, version: int
) -> JoinRequest:
    missing = N_("Request {id} not found.")
    request = await of_secretariat(session, JoinRequest, secretariat_id, request_id, missing)
    if request.version != version:
        raise Conflict(N_("It was changed by someone else meanwhile; reload it and try again."))
    if request.state != JoinRequestState.PENDING:
        raise InvalidInput(N_("Request {id} was already decided."), id=request_id)
    return request


async def accept(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    request_id: int,
    version: int,
    ttl_days: int,
) -> tuple[JoinRequest, IssuedInvitation]:
    """Accept the request: a civil-society invitation in the request's sector, its code shown
    once for the coordinator to send to the contact given. The details are erased when the
    sender joins through it."""
    request = await _pending(session, secretariat_id, request_id, version)
    issued = await create_invitation(
        session,
        secretariat_id,
        actor,
        role=Role.CIVIL_SOCIETY,
        sector=request.sector,
        ttl_days=ttl_days,
    )
    request.state = JoinRequestState.ACCEPTED
    request.decided_at = utcnow()
    request.decided_by = str(actor)
    request.invitation_id = issued.invitation.id
    await chain.about(
        session, request, "join_request.accept", actor, secretariat_id,
        data={"invitation_id": issued.invitation.id},
    )  # fmt: skip
    return request, issued


async def decline(
    session: AsyncSession, secretariat_id: int, actor: Actor, request_id: int, version: int
) -> JoinRequest:
    """Decline the request and forget who sent it: only the sector and the dates stay."""
    request = await _pending(session, secretariat_id, request_id, version)
    request.state = JoinRequestState.DECLINED
    request.decided_at = utcnow()
    request.decided_by = str(actor)
    request.name = request.organisation = request.contact = None
    await chain.about(session, request, "join_request.decline", actor, secretariat_id)
    return request
