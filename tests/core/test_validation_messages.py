"""Who is told what as a validation runs: the reporter's question in one message, and the
outcome to every validator once, the one whose vote closed it in the answer to that vote."""

from datetime import timedelta

from sqlalchemy import update

from core.buttons import VoteButton
from core.models import Notification, NotificationState, utcnow
from core.validation.information import QUESTION_WAIT
from core.validation.votes import cast_vote, comment_vote, press
from tests.core import validation_world
from tests.core.validation_world import asked, messages_to


async def test_the_reporter_reads_the_question_in_one_message_or_after_a_wait(session):
    world = await validation_world.build(session)
    request = await validation_world.request(session, world)
    now = utcnow()
    async with session.begin():
        beto = world.validators["beto"]
        chosen = await asked(session, request.id)
        await cast_vote(session, beto, chosen["beto"].id, "needs_info", now=now)
        [waiting] = await messages_to(session, world.reporter, "validation_information")
        # Nobody knows yet what the validator needs: the message waits for their question.
        assert waiting.scheduled_at == now + QUESTION_WAIT
        assert "Preguntan" not in waiting.text
        written = now + timedelta(minutes=2)
        await comment_vote(session, beto, chosen["beto"].id, text="¿Y el acta?", now=written)
        [told] = await messages_to(session, world.reporter, "validation_information")
        assert (told.id, told.next_attempt_at) == (waiting.id, written)
        assert "Preguntan: ¿Y el acta?" in told.text
        # Once it went out, another question is a message of its own.
        await session.execute(
            update(Notification)
            .where(Notification.id == told.id)
            .values(state=NotificationState.SENT)
        )
        await comment_vote(session, beto, chosen["beto"].id, text="¿Y la lista?", now=written)
        texts = [
            m.text for m in await messages_to(session, world.reporter, "validation_information")
        ]
    assert len(texts) == 2 and "Preguntan: ¿Y la lista?" in texts[1]


async def test_every_validator_hears_the_outcome_once_the_closing_voter_in_the_answer(session):
    world = await validation_world.build(session)
    request = await validation_world.request(session, world)
    v = world.validators
    async with session.begin():
        chosen = await asked(session, request.id)
        await cast_vote(session, v["olga"], chosen["olga"].id, "dispute")
        opened = await press(session, v["alma"], VoteButton(chosen["alma"].id, "confirm"))
        closing = await press(session, v["beto"], VoteButton(chosen["beto"].id, "dispute"))
        told = {
            name: [m.text for m in await messages_to(session, v[name], "validation_outcome")]
            for name in ("olga", "alma", "beto")
        }
    assert opened.closed is None
    assert closing.closed == (
        "Con tu voto, el avance de la tarea 1.1.1 «Informe» quedó impugnado: su validación "
        "se cerró. ¡Gracias!"
    )
    assert told["beto"] == [] and len(told["olga"]) == len(told["alma"]) == 1
    assert "impugnada" in told["olga"][0]
