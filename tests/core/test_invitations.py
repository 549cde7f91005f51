"""Invitations are stored hashed, single-use and expiring; one may be bound to a person."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.chat.definitions import DefinitionCatalog
from core.errors import Conflict, InvalidInput, NotFound
from core.models import AuditEvent, Invitation, Person, Role, Sector, utcnow
from core.people import invitations, joining, people
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
        person = await invitations.redeem(
            session, await invitations.usable_invitation(session, issued.code),
            telegram_id=42, telegram_username="ana", name="Ana",
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


@dataclass(frozen=True)
class Bound:
    """An invitation bound to a person, as read when it was made."""

    person_id: int
    secretariat_id: int
    invitation_id: int
    role: Role
    sector: Sector | None
    code: str


async def bound_invitation(session, **person_fields) -> Bound:
    """A secretariat, a person of it with no Telegram account, and an invitation bound to them."""
    fields = {"roles": {Role.STAFF}, "name": "Lucía Ramírez", **person_fields}
    async with session.begin():
        sec = await factories.secretariat(session)
        person = await people.create_person(session, sec.id, "t", **fields)
        issued = await invitations.create_invitation(session, sec.id, "t", person_id=person.id)
        invitation = issued.invitation
        return Bound(
            person.id, sec.id, invitation.id, invitation.role, invitation.sector, issued.code
        )


async def accept(session, code: str, telegram_id: int = 42, **answers) -> int:
    """Join through the code in English; the id of the person joined."""
    async with session.begin():
        person = await invitations.redeem(
            session, await invitations.usable_invitation(session, code),
            telegram_id=telegram_id, telegram_username="@lucia", language="en",
            consent_version="2026-01", **{"name": None, **answers},
        )  # fmt: skip
        return person.id


async def test_a_bound_invitation_takes_the_role_and_sector_of_its_person(session):
    bound = await bound_invitation(session, roles={Role.CIVIL_SOCIETY}, sector=Sector.MEDIA)
    assert (bound.role, bound.sector) == (Role.CIVIL_SOCIETY, Sector.MEDIA)
    with pytest.raises(InvalidInput, match="role and sector") as given_a_role:
        async with session.begin():
            await invitations.create_invitation(
                session, bound.secretariat_id, "t", role=Role.ADMIN, person_id=bound.person_id
            )
    assert given_a_role.value.field == "role"
    with pytest.raises(InvalidInput, match="role") as unbound:
        async with session.begin():
            await invitations.create_invitation(session, bound.secretariat_id, "t")
    assert unbound.value.field == "role"


async def test_joining_through_a_bound_invitation_links_the_account_to_the_person(session):
    bound = await bound_invitation(session, email="lucia@sesea.gob.mx")
    assert await accept(session, bound.code, name="Otro Nombre", organisation="SESEA") == (
        bound.person_id
    )
    async with session.begin():
        person = await session.get(Person, bound.person_id, populate_existing=True)
        assert (person.telegram_id, person.telegram_username) == (42, "lucia")
        assert person.language == "en" and person.consent_version == "2026-01"
        assert person.consented_at is not None
        # What the record held is kept; the answers only fill what it lacked.
        assert person.name == "Lucía Ramírez" and person.organisation == "SESEA"
        assert person.email == "lucia@sesea.gob.mx" and person.roles == {Role.STAFF}
        assert await session.scalar(select(func.count()).select_from(Person)) == 1
        invitation = await session.get(Invitation, bound.invitation_id)
        assert invitation.used_by_id == bound.person_id and invitation.used_at is not None
        events = (await session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
    created, linked, accepted = events[-3:]
    assert (created.action, created.entity_id) == ("invitation.create", bound.invitation_id)
    assert created.data["person_id"] == bound.person_id
    # As for a new person, the log says which fields were filled, never their values.
    assert (linked.action, linked.entity_id) == ("person.link", bound.person_id)
    assert linked.data == {
        "filled": ["telegram", "organisation"],
        "language": "en",
        "consent_version": "2026-01",
    }
    assert (accepted.action, accepted.entity_id) == ("invitation.accept", bound.invitation_id)
    assert accepted.data["person_id"] == bound.person_id


async def test_a_person_of_another_secretariat_cannot_be_invited(session):
    bound = await bound_invitation(session)
    async with session.begin():
        other = await factories.secretariat(session, "sesea-zac")
    with pytest.raises(NotFound, match=f"Person {bound.person_id} not found"):
        async with session.begin():
            await invitations.create_invitation(session, other.id, "t", person_id=bound.person_id)


async def test_a_person_with_a_telegram_account_is_refused_at_creation_and_at_redemption(session):
    first = await bound_invitation(session)
    async with session.begin():
        second = await invitations.create_invitation(
            session, first.secretariat_id, "t", person_id=first.person_id
        )
        second_code = second.code
    await accept(session, first.code, telegram_id=42)
    with pytest.raises(Conflict, match="Lucía Ramírez has already joined"):
        async with session.begin():
            await invitations.create_invitation(
                session, first.secretariat_id, "t", person_id=first.person_id
            )
    with pytest.raises(Conflict, match="already joined"):
        await accept(session, second_code, telegram_id=43)
    async with session.begin():
        unspent = await invitations.usable_invitation(session, second_code)
        assert unspent.used_at is None
        person = await session.get(Person, first.person_id, populate_existing=True)
        assert person.telegram_id == 42


async def test_an_account_that_is_someone_else_cannot_redeem_a_bound_invitation(session):
    bound = await bound_invitation(session)
    async with session.begin():
        someone = await people.create_person(
            session, bound.secretariat_id, "t", roles={Role.STAFF}, name="Beto",
            telegram_id=77, language="en",
        )  # fmt: skip
        with pytest.raises(Conflict, match="meant for someone else") as refused:
            await invitations.ensure_not_bound_to_another(session, bound.code, someone)
        await invitations.ensure_not_bound_to_another(session, "unbound-or-unknown", someone)
    assert "registrada como Beto" in refused.value.render("es")
    with pytest.raises(Conflict, match="already registered"):
        await accept(session, bound.code, telegram_id=77)


async def test_the_joining_conversation_asks_only_what_the_record_lacks(session):
    cases = [
        ({"roles": {Role.STAFF}, "name": "Ana"}, "joining_known"),
        ({"roles": {Role.STAFF}}, "joining_known_name"),
        (
            {"roles": {Role.CIVIL_SOCIETY}, "sector": Sector.OSC, "name": "Ana"},
            "joining_known_organisation",
        ),
        (
            {"roles": {Role.CIVIL_SOCIETY}, "sector": Sector.OSC, "organisation": "Red"},
            "joining_known_name",
        ),
        ({"roles": {Role.CIVIL_SOCIETY}, "sector": Sector.OSC}, "joining_known_name_organisation"),
    ]
    async with session.begin():
        sec = await factories.secretariat(session)
        for fields, expected in cases:
            person = await people.create_person(session, sec.id, "t", **fields)
            issued = await invitations.create_invitation(session, sec.id, "t", person_id=person.id)
            assert await joining.conversation_for(session, issued.invitation) == expected
        unbound = await invitations.create_invitation(session, sec.id, "t", role=Role.STAFF)
        assert await joining.conversation_for(session, unbound.invitation) == "joining"
    known = DefinitionCatalog("2026-01").get("joining_known")
    assert [question.type for question in known.questions] == ["note"]
    assert known.consent is not None
