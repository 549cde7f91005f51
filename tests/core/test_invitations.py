"""Invitations are stored hashed, single-use and expiring."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import Conflict, NotFound
from core.models import Invitation, Role, Sector, utcnow
from core.services import invitations
from tests.support import factories


async def issue(session, **kwargs):
    async with session.begin():
        sec = await factories.secretariat(session)
        issued = await invitations.create_invitation(
            session, sec.id, "t", role=kwargs.pop("role", Role.STAFF), **kwargs
        )
    return sec.id, issued


async def test_only_the_hash_of_the_code_is_stored(session):
    _sec, issued = await issue(session)
    async with session.begin():
        stored = await session.scalar(select(Invitation))
    assert len(issued.code) >= 32
    assert issued.code not in stored.code_hash
    assert stored.code_hash == invitations.hash_code(issued.code)


async def test_accepting_creates_the_person_and_spends_the_code(session):
    sec_id, issued = await issue(session, role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
    async with session.begin():
        person = await invitations.accept_invitation(
            session, issued.code, telegram_id=42, telegram_username="ana", name="Ana",
            language="es", consent_version="2026-01", organisation="UAA",
        )  # fmt: skip
    assert person.secretariat_id == sec_id
    assert person.roles == {Role.CIVIL_SOCIETY} and person.sector == Sector.ACADEMIA
    assert person.consented_at is not None
    with pytest.raises(Conflict, match="already used"):
        async with session.begin():
            await invitations.usable_invitation(session, issued.code)


async def test_unknown_expired_and_revoked_codes_are_refused(session):
    sec_id, issued = await issue(session)
    invitation_id = issued.invitation.id
    with pytest.raises(NotFound, match="not valid"):
        async with session.begin():
            await invitations.usable_invitation(session, "no-such-code")
    with pytest.raises(Conflict, match="expired"):
        async with session.begin():
            await invitations.usable_invitation(
                session, issued.code, now=utcnow() + timedelta(days=15)
            )
    async with session.begin():
        await invitations.revoke_invitation(session, sec_id, "t", invitation_id)
    with pytest.raises(Conflict, match="withdrawn"):
        async with session.begin():
            await invitations.usable_invitation(session, issued.code)
