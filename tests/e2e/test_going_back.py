"""Going back to an answer and writing the "other" option in chat, end to end through the
emulator: the answer given is shown with a button to keep it, the text of "other" is read back,
and a multiple choice with "other" needs "Listo" once."""

from __future__ import annotations

from emulator.client import SimulatedUser
from tests.e2e.conftest import Chat, buttons

CHANNEL = "(1/3)\n¿Cómo te enteraste?"
CHANNELS = "1. Radio\n2. Prensa\n3. Otra (especifica)"
TOPICS = "(2/3)\nElige temas\n\n1. Equis\n2. Ye\n3. Otra (especifica)"
TAP_TOPICS = "Toca las opciones que elijas y luego «Listo»."
WRITE_OTHER = "Por favor escribe cuál es la otra opción."


async def topics_after(chat: Chat, channel: str) -> tuple[SimulatedUser, dict]:
    """A person who started the survey and pressed ``channel``; the question that follows."""
    ana = await chat.join("Ana")
    await ana.press(await chat.answer_invitation(ana, "e2e_other"), channel)
    return ana, await ana.next_message()


async def saved(chat: Chat, user: SimulatedUser) -> tuple[dict, dict]:
    """The answers and the "other" texts saved in the person's response so far."""
    response = await chat.response(user)
    assert response is not None
    return response.state["answers"], response.state["others"]


async def test_back_shows_the_answer_given_and_a_button_keeps_it(chat):
    async with chat.running():
        ana, topics = await topics_after(chat, "2. Prensa")
        await ana.press(topics, "Atrás")

        back = await ana.next_message()
        assert back["text"] == "\n\n".join(
            [
                CHANNEL,
                "Tu respuesta: Prensa",
                CHANNELS,
                "Toca «Conservar» para dejar tu respuesta como está.",
            ]
        )
        assert buttons(back) == ["1. Radio", "2. Prensa", "3. Otra (especifica)", "Conservar"]
        await ana.press(back, "Conservar")
        kept = await ana.next_event(kinds=("edit",))
        assert kept["message"]["text"].endswith("\n\n✓ Prensa")
        again = await ana.next_message()
        assert again["text"] == f"{TOPICS}\n\n{TAP_TOPICS}"

    assert await saved(chat, ana) == ({"channel": "b"}, {})


async def test_the_text_written_under_other_is_read_back(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        channel = await chat.answer_invitation(ana, "e2e_other")
        await ana.press(channel, "3. Otra (especifica)")
        asked = await ana.next_event(kinds=("edit",))
        assert asked["message"]["text"] == f"(1/3)\n{WRITE_OTHER}\n\n{CHANNELS}"
        await ana.send("Me lo dijo un vecino")

        topics = await ana.next_message()
        assert topics["text"] == f"Anotado: Otra — Me lo dijo un vecino\n\n{TOPICS}\n\n{TAP_TOPICS}"

    assert await saved(chat, ana) == ({"channel": "other"}, {"channel": "Me lo dijo un vecino"})


async def test_a_multiple_choice_with_other_needs_listo_once(chat):
    async with chat.running():
        ana, topics = await topics_after(chat, "1. Radio")
        await ana.press(topics, "Equis")
        await ana.next_event(kinds=("edit",))
        await ana.press(topics, "Otra (especifica)")
        await ana.next_event(kinds=("edit",))
        await ana.press(topics, "Listo")
        waiting = await ana.next_event(kinds=("callback_answer",))
        assert waiting["answer"]["text"] == (
            "Anotado. Ahora escribe cuál es la otra opción: tu respuesta se envía con ella."
        )
        await ana.press(topics, "Listo")  # again: the same answer, though nothing new is shown
        again = await ana.next_event(kinds=("callback_answer",))
        assert again["answer"] == waiting["answer"]
        await ana.send("Vivienda")

        comment = await ana.next_message()
        assert comment["text"] == "Anotado: Otra — Vivienda\n\n(3/3)\nComentario"

    answers, others = await saved(chat, ana)
    assert answers == {"channel": "a", "topics": ["x", "other"]}
    assert others == {"topics": "Vivienda"}
