"""Every XLSForm of the corpus that is accepted, uploaded as a secretariat's definition and
answered by a scripted person through the emulator: every answer is stored, those of each
instance of a repeat too."""

from __future__ import annotations

import json

from conversations.definition import load_definition
from conversations.engine.navigation import Engine
from core.audit.actor import Actor
from core.chat import stored_definitions
from core.models import ResponseStatus
from tests.conversations.autopilot import unanswered
from tests.conversations.xlsforms import FORMS
from tests.e2e.conftest import buttons
from tests.support.chat_autopilot import answer_in_chat

# Answers a second engine cannot give exactly as the bot: files and moments relative to now.
NOT_COMPARED = {"file", "long_answer", "datetime"}


async def upload(chat, form, folder) -> str:
    """Store the form as the secretariat's definition; its id.

    The workbook itself, unless it reads list files: an upload has none beside it, so such a
    form is uploaded as the definition ``survey check`` reads from its folder."""
    path = form.write(folder)
    definition = load_definition(path)
    data, name = path.read_bytes(), path.name
    if form.files:
        data, name = json.dumps(definition.model_dump(mode="json")).encode(), f"{form.name}.json"
    async with chat.session_factory() as session, session.begin():
        await stored_definitions.upload(
            session,
            await chat.secretariat(),
            Actor.system(),
            chat.catalog,
            data=data,
            filename=name,
        )
    return definition.id


async def invitation(user) -> dict:
    """The next invitation to a survey: the message with its “Empezar” button."""
    while True:
        message = await user.next_message()
        if "Empezar" in buttons(message):
            return message


async def test_every_accepted_form_is_answered_in_chat_and_every_answer_stored(chat, tmp_path):
    accepted = [form for form in FORMS if form.refused is None]
    async with chat.running():
        ana = await chat.join("Ana")
        for form in accepted:
            folder = tmp_path / form.name
            folder.mkdir()
            definition_id = await upload(chat, form, folder)
            await chat.launch(definition_id)
            await ana.press(await invitation(ana), "Empezar")
            definition = load_definition(folder / f"{form.name}.xlsx")
            expected = (await answer_in_chat(ana, Engine(definition))).answers
            response = await chat.response(ana)
            assert response.status == ResponseStatus.COMPLETED, form.name
            assert unanswered(definition.questions, response.answers) == [], form.name
            compared = [q.id for q in definition.questions if q.type not in NOT_COMPARED]
            assert {q: response.answers.get(q) for q in compared} == {
                q: expected.get(q) for q in compared
            }, form.name
