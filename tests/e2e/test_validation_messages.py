"""What each person reads, word for word, as a validation runs to its close: the validator who
asks for more information and the reporter who answers, the validator whose vote closes the
request, and everyone else who took part."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Task
from emulator.client import SimulatedUser
from tests.e2e.conftest import buttons
from tests.e2e.test_validation import PDF, join_validators, reported


async def said_to(user: SimulatedUser) -> list[str]:
    """Everything the bot wrote in the user's chat, in order."""
    return [
        message.get("text") or message.get("caption") or ""
        for message in await user.messages()
        if message["from"]["is_bot"]
    ]


async def test_each_person_reads_once_what_concerns_them_until_the_validation_closes(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        olga, alma, beto = (await join_validators(chat)).values()
        await reported(chat, ana)
        prompts = {user: await user.next_message() for user in (olga, alma, beto)}
        before = {user: len(await said_to(user)) for user in (ana, olga, alma, beto)}
        async with chat.session_factory() as session:
            task = (await session.scalars(select(Task))).one().label

        await olga.press(prompts[olga], "Confirmo")
        await olga.next_message()
        await beto.press(prompts[beto], "Necesito más información")
        asked = await beto.next_message()
        await beto.send("¿Dónde está el acta firmada?", reply_to=asked)
        await beto.next_message()
        question = await ana.next_message()
        await ana.upload_document(PDF, "acta.pdf", "application/pdf", reply_to=question)
        await ana.next_message()
        again = {user: await user.next_message() for user in (alma, beto)}
        await alma.press(again[alma], "Confirmo")
        await alma.next_message()
        await beto.press(again[beto], "Confirmo")
        closed = await beto.next_message()
        outcomes = {user: await user.next_message() for user in (ana, olga, alma)}

    assert buttons(closed) == []  # nothing is left to change
    outcome = (
        f"La validación del reporte de la tarea {task} terminó: validada. Confirmaron: 3; no "
        "confirmaron: 0; esperaban información: 0."
    )
    assert [message["text"] for message in outcomes.values()] == [outcome] * 3
    added = (
        f"La persona que reportó la tarea {task} agregó información:\n—\n"
        "1 archivo nuevo de evidencia."
    )
    confirmed = (
        "Anotado: Confirmo. Si quieres, escribe ahora un comentario (texto o nota de voz), o toca "
        "«Sin comentario». Puedes cambiar tu respuesta hasta que la validación se cierre."
    )
    expected = {
        ana: [
            "Una persona validadora necesita más información sobre tu reporte de la tarea "
            f"{task}.\nPreguntan: ¿Dónde está el acta firmada?\n"
            "Toca «Responder» y escribe, o envía fotos o documentos: se suman a tu reporte.",
            "Gracias: tu respuesta se agregó al reporte y se pidió de nuevo su opinión a las "
            "personas validadoras.",
            outcome,
        ],
        olga: [confirmed, outcome],
        alma: [f"{added}\nPor favor responde.", confirmed, outcome],
        beto: [
            "Anotado: Necesito más información. Escribe ahora qué información necesitas: se la "
            "pediremos a quien reportó.",
            "Tu pregunta se le hizo llegar a la persona que reportó.",
            f"{added}\nPor favor responde de nuevo.",
            f"Con tu voto, el avance de la tarea {task} quedó confirmado: su validación se cerró. "
            "¡Gracias!",
        ],
    }
    for user, texts in expected.items():
        assert (await said_to(user))[before[user] :] == texts
