"""The last answer of a conversation makes what it stands for, in the same call, and only once."""

from __future__ import annotations

from sqlalchemy import func, select

from conversations.engine.inputs import ChoiceInput, CommandInput, Input, TextInput
from core.chat import endings, report_drafts, responses
from core.chat.definitions import DefinitionCatalog
from core.chat.report_drafts import Reported
from core.models import (
    Person,
    ProgressReport,
    ResponseSession,
    ResponseStatus,
    Role,
    Task,
    TaskStatus,
)
from core.people import invitations, joining
from core.people.joining import Joined
from core.people.people import create_person
from core.plans import tasks
from tests.support import factories

TELEGRAM_ID = 4242
# What each question of the report conversation is answered with.
REPORT_ANSWERS: dict[str, Input] = {
    "status": ChoiceInput(TaskStatus.IN_PROGRESS.value),
    "percent": TextInput("40"),
    "hours": TextInput("2"),
    "note": TextInput("Avance"),
    "evidence": CommandInput("done"),
}


async def count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


async def test_the_last_answer_of_a_joining_makes_the_person_once(session_factory):
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        secretariat = await factories.secretariat(session)
        issued = await invitations.create_invitation(session, secretariat.id, "t", role=Role.STAFF)
        response = await responses.start(
            session,
            catalog,
            joining.JOINING,
            "es",
            secretariat_id=secretariat.id,
            telegram_id=TELEGRAM_ID,
            invitation_id=issued.invitation.id,
        )
        consent = await endings.answer(
            session, catalog, response, ChoiceInput("accept"), person=None, telegram_username="ana"
        )
    assert consent.outcome.accepted and consent.settled is None

    async with session_factory() as session:
        read = await joining.under_way(session, TELEGRAM_ID)
        await session.commit()  # on SQLite an open transaction would keep the other one waiting
        async with session_factory() as first:
            last = await first.get(ResponseSession, read.id)
            turn = await endings.answer(
                first, catalog, last, TextInput("Ana"), person=None, telegram_username="ana"
            )
            await first.commit()
        # The same answer again, fed to the conversation as it was read before (a redelivery).
        again = await endings.answer(
            session, catalog, read, TextInput("Ana"), person=None, telegram_username="ana"
        )
        await session.commit()

    assert isinstance(turn.settled, Joined)
    assert turn.settled.person.name == "Ana" and turn.settled.secretariat == secretariat.name
    assert turn.settled.person.telegram_username == "ana"
    assert not again.outcome.accepted and again.settled is None and again.refusal is None
    async with session_factory() as check:
        assert await count(check, Person) == 1
        assert await check.get(ResponseSession, read.id) is None


async def test_the_last_answer_of_a_report_conversation_makes_the_report_once(session_factory):
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        secretariat = await factories.secretariat(session)
        ana = await create_person(session, secretariat.id, "t", roles={Role.STAFF}, name="Ana")
        _plan, activity = await factories.plan_with_activity(session, secretariat.id)
        task = await tasks.add_task(
            session, secretariat.id, "t", activity.id, title="Encuesta", responsible_ids=[ana.id]
        )
        response, _task = await report_drafts.begin(session, catalog, ana, task.id)
        turns = []
        while response.status == ResponseStatus.ACTIVE:
            given = REPORT_ANSWERS[
                (await responses.current_step(session, catalog, response)).question_id
            ]
            turn = await endings.answer(
                session, catalog, response, given, person=ana, telegram_username=None
            )
            turns.append(turn)
        again = await endings.answer(
            session, catalog, response, CommandInput("done"), person=ana, telegram_username=None
        )

    *answers, last = turns
    assert all(turn.outcome.accepted and turn.settled is None for turn in answers)
    assert isinstance(last.settled, Reported)
    assert last.settled.task.id == task.id and last.settled.report.percent == 40
    assert not again.outcome.accepted and again.settled is None
    async with session_factory() as check:
        assert await count(check, ProgressReport) == 1
        saved = await check.get(Task, task.id)
        assert (saved.status, saved.percent) == (TaskStatus.IN_PROGRESS, 40)
