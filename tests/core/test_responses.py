"""Feeding a conversation read before another input of the same person was saved.

The bot reads the sender and their conversation without a lock. When two messages of one person
are handled at once (PostgreSQL lets them), or a handler feeds a conversation it read before a
commit, the second input must land on top of the first, not replace it.
"""

from __future__ import annotations

from conversations.definition import parse_definition
from conversations.engine.inputs import TextInput
from core.chat import responses
from core.chat.definitions import DefinitionCatalog
from core.models import ResponseSession, Role
from core.people.people import create_person
from tests.support import factories

TELEGRAM_ID = 4242


def catalog() -> DefinitionCatalog:
    questions = [
        {"id": f"q{n}", "type": "text", "text": {"es": f"Pregunta {n}", "en": f"Question {n}"}}
        for n in (1, 2, 3)
    ]
    definition = {"id": "two_at_once", "version": 1, "title": "Dos", "questions": questions}
    return DefinitionCatalog("test", extra=[parse_definition(definition, "test")])


async def start(session_factory, catalog: DefinitionCatalog) -> None:
    async with session_factory() as session, session.begin():
        secretariat = await factories.secretariat(session)
        person = await create_person(
            session, secretariat.id, "test", roles={Role.STAFF}, name="Ana", telegram_id=TELEGRAM_ID
        )
        await responses.start(
            session, catalog, "two_at_once", "es", secretariat_id=secretariat.id, person=person
        )


async def test_an_input_fed_to_a_stale_read_lands_after_the_one_saved_meanwhile(session_factory):
    surveys = catalog()
    await start(session_factory, surveys)
    async with session_factory() as first:
        _, read_first = await responses.sender(first, TELEGRAM_ID)
        await first.commit()  # on SQLite an open transaction would keep the other one waiting
        async with session_factory() as second:
            _, read_second = await responses.sender(second, TELEGRAM_ID)
            await responses.feed(second, surveys, read_second, TextInput("uno"))
            await second.commit()
        turn = await responses.feed(first, surveys, read_first, TextInput("dos"))
        await first.commit()

    assert turn.outcome.accepted
    assert turn.outcome.step.question_id == "q3"
    async with session_factory() as check:
        person, saved = await responses.sender(check, TELEGRAM_ID)
    assert person is not None and person.name == "Ana"
    assert saved is not None and saved.step == 2
    assert responses.state_of(saved).answers == {"q1": "uno", "q2": "dos"}


async def test_an_input_for_a_conversation_deleted_meanwhile_is_refused(session_factory):
    surveys = catalog()
    await start(session_factory, surveys)
    async with session_factory() as first:
        _, read_first = await responses.sender(first, TELEGRAM_ID)
        await first.commit()
        async with session_factory() as second, second.begin():
            await second.delete(await second.get(ResponseSession, read_first.id))
        turn = await responses.feed(first, surveys, read_first, TextInput("uno"))
        await first.commit()

    assert not turn.outcome.accepted
    assert turn.outcome.error == "Esta conversación ya terminó."
    async with session_factory() as check:
        assert await check.get(ResponseSession, read_first.id) is None
