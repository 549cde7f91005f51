"""Answering a campaign's survey through core, as the bot does, for results tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.engine.inputs import Input
from core.chat import endings, responses
from core.chat.definitions import DefinitionCatalog
from core.chat.responses import Turn
from core.models import Campaign, Person
from tests.conversations.autopilot import valid_input


async def answer(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    campaign: Campaign,
    person: Person,
    script: Mapping[str, Sequence[Input]],
) -> Turn:
    """Answer the campaign's definition as ``person`` until it ends: the ``script``'s inputs for
    the questions it names (a "cancel" command ends it there), a valid input for any other."""
    response = await responses.start(
        session,
        catalog,
        campaign.definition_id,
        person.language,
        secretariat_id=person.secretariat_id,
        person=person,
        campaign_id=campaign.id,
        owner_id=campaign.definition_owner_id,
    )
    given: dict[str, int] = {}
    while True:
        step = await responses.current_step(session, catalog, response)
        question = step.question_id
        turn_of_question = given.get(question, 0)
        given[question] = turn_of_question + 1
        scripted = script.get(question)
        if scripted is not None:
            value = scripted[turn_of_question]
        else:
            value = valid_input(step, turn_of_question)
        turn = await endings.answer(
            session, catalog, response, value, person=person, telegram_username=None
        )
        assert turn.outcome.error is None, (question, turn.outcome.error)
        response = turn.response
        if turn.outcome.finished:
            return turn
