"""A person's report on a task, written in chat up to the question that asks for evidence."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Person
from core.plans import tasks
from emulator.client import SimulatedUser
from tests.e2e.conftest import Chat, buttons
from tests.support import factories


async def task_of(chat: Chat, user: SimulatedUser, title: str = "Acta") -> int:
    """A new task whose responsible is the joined ``user``, who has heard of it from the
    running bot; its id."""
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        person = await session.scalar(select(Person).where(Person.telegram_id == user.id))
        _plan, activity = await factories.plan_with_activity(session, secretariat_id)
        task = await tasks.add_task(
            session, secretariat_id, "t", activity.id, title=title, responsible_ids=[person.id]
        )
    assert title in (await user.next_message())["text"]  # the task is now theirs
    return task.id


async def report_until_evidence(user: SimulatedUser) -> dict:
    """From /tareas, a report of the first task as done, up to the evidence question."""
    await user.send("/tareas")
    listing = await user.next_message()
    await user.press(listing, buttons(listing)[0])
    await user.next_message()  # the report's header
    status = await user.next_message()
    await user.press(status, next(label for label in buttons(status) if "Terminada" in label))
    await user.next_message()  # hours
    await user.send("2")
    await user.next_message()  # comment
    await user.send("Acta firmada")
    return await user.next_message()
