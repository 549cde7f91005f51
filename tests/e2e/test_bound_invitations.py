"""Joining as a person who already exists, through an invitation bound to them, end to end."""

from __future__ import annotations

from sqlalchemy import func, select

from core.demo import DEMO_SLUG, seed_demo
from core.models import Person, Secretariat
from tests.e2e.conftest import buttons

LUCIA = "Lucía Ramírez Soto"  # staff of the demo secretariat, responsible for several tasks


async def demo_person(chat, name: str = LUCIA) -> Person:
    """Seed the demo secretariat, make it the chat's, and return one of its people."""
    await seed_demo(chat.session_factory, chat.settings)
    async with chat.session_factory() as session:
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
        chat.secretariat_id = secretariat.id
        return await session.scalar(select(Person).where(Person.name == name))


async def people_count(chat) -> int:
    async with chat.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(Person))


async def test_a_staff_member_named_in_the_plan_joins_as_themselves_and_finds_their_tasks(chat):
    lucia = await demo_person(chat)
    before = await people_count(chat)
    async with chat.running():
        code = await chat.invitation(person_id=lucia.id)
        user = await chat.client.user("Lucía", language_code="es")
        await user.send(f"/start {code}")
        assert "(demostración)" in (await user.next_message())["text"]
        consent = await user.next_message()
        assert buttons(consent) == ["Acepto", "No acepto"]
        await user.press(consent, "Acepto")
        # No name is asked: the record has one. The account is linked, and said so.
        registered = await user.next_message()
        assert "ya tenía un registro tuyo" in registered["text"]
        assert "tu registro quedó completo" in registered["text"]
        assert LUCIA in (await user.next_message())["text"]

        await user.send("/tareas")
        listing = (await user.next_message())["text"]
    assert "Solicitar información a los entes públicos" in listing
    assert "Campaña en redes y medios comunitarios" in listing
    # Overdue first: the report to the Coordinating Committee is late.
    first_task = listing.splitlines()[1]
    assert "Presentar recomendaciones al Comité Coordinador" in first_task
    assert "vencida desde" in first_task
    assert "Diseñar la encuesta de diagnóstico" not in listing  # done long ago
    joined = await chat.person(user)
    assert joined.id == lucia.id and joined.name == LUCIA
    assert joined.consent_version == chat.settings.privacy_notice_version
    assert joined.language == "es" and joined.telegram_username == user.data.get("username")
    assert await people_count(chat) == before


async def test_an_account_registered_as_someone_else_is_refused_in_its_language(chat):
    lucia = await demo_person(chat)
    async with chat.running():
        gina = await chat.join("Gina", language="en")
        code = await chat.invitation(person_id=lucia.id)
        await gina.send(f"/start {code}")
        refusal = (await gina.next_message())["text"]
    assert refusal == (
        "This invitation is meant for someone else, and your Telegram account is already "
        "registered as Gina Pérez."
    )
    async with chat.session_factory() as session:
        assert (await session.get(Person, lucia.id)).telegram_id is None
    assert (await chat.person(gina)).name == "Gina Pérez"


async def test_whoever_comes_second_to_a_person_who_joined_meanwhile_is_refused(chat):
    lucia = await demo_person(chat)
    async with chat.running():
        late_code = await chat.invitation(person_id=lucia.id)
        first_code = await chat.invitation(person_id=lucia.id)
        late = await chat.client.user("Lucía", language_code="es")
        await late.send(f"/start {late_code}")
        await late.next_message()
        late_consent = await late.next_message()

        first = await chat.client.user("Lucía", language_code="es")
        await first.send(f"/start {first_code}")
        await first.next_message()
        await first.press(await first.next_message(), "Acepto")
        await first.next_message()
        await first.next_message()

        await late.press(late_consent, "Acepto")
        assert (await late.next_message())[
            "text"
        ] == f"{LUCIA} ya se unió con una cuenta de Telegram."
        await late.send(f"/start {late_code}")
        assert (await late.next_message())[
            "text"
        ] == f"{LUCIA} ya se unió con una cuenta de Telegram."
    assert await chat.person(late) is None
    assert (await chat.person(first)).id == lucia.id
