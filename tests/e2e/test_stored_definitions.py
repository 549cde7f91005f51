"""A survey a secretariat uploaded runs in chat: each session on the version it started."""

from __future__ import annotations

import json

from core.audit.actor import Actor
from core.chat import stored_definitions
from core.models import ResponseStatus
from tests.support.definitions import survey


async def upload(chat, *questions: str) -> int:
    """Store the next version of the secretariat's survey; its version."""
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        row = await stored_definitions.upload(
            session,
            secretariat_id,
            Actor.system(),
            chat.catalog,
            data=json.dumps(survey(questions=questions)).encode(),
            filename="propia.json",
        )
        return row.row.version


async def test_a_session_finishes_on_its_version_while_a_new_one_starts_on_the_latest(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        beto = await chat.join("Beto")
        assert await upload(chat, "¿Primera de la uno?", "¿Segunda de la uno?") == 1
        await chat.launch("encuesta_propia")
        assert "Encuesta propia" in (await ana.next_message())["text"]  # the invitation
        await beto.next_message()
        first = await chat.start_survey(ana)
        assert "¿Primera de la uno?" in first["text"]

        assert await upload(chat, "¿Única de la dos?") == 2
        only = await chat.start_survey(beto)
        assert "¿Única de la dos?" in only["text"]
        await ana.send("Bien")
        second = await ana.next_message()
        assert "¿Segunda de la uno?" in second["text"]
        await ana.send("Nada más")
        assert "Gracias" in (await ana.next_message())["text"]
        await beto.send("De acuerdo")
        assert "Gracias" in (await beto.next_message())["text"]

    answered = [await chat.response(ana), await chat.response(beto)]
    assert [(r.definition_version, r.status, r.answers) for r in answered] == [
        (1, ResponseStatus.COMPLETED, {"q1": "Bien", "q2": "Nada más"}),
        (2, ResponseStatus.COMPLETED, {"q1": "De acuerdo"}),
    ]
