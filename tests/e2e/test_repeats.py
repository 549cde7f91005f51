"""A repeat in chat, end to end through the emulator: each instance's questions say which one
they are, "¿Agregar otro?" is answered with its buttons, and "Atrás" crosses instances."""

from __future__ import annotations

from tests.e2e.conftest import buttons

LEG = "¿Cómo viajaste?\n\n1. Autobús\n2. Auto"
ANOTHER = "Parada (1.º)\n\n¿Agregar otro?"


async def test_a_repeat_is_answered_instance_by_instance_and_back_crosses_them(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        first = await chat.answer_invitation(ana, "e2e_repeats")
        assert first["text"] == f"(1/5)\nTramo (1.º)\n\n{LEG}"
        await ana.press(first, "1. Autobús")
        pressed = await ana.next_event(kinds=("edit",))
        assert pressed["message"]["text"].endswith("\n\n✓ Autobús")
        second = await ana.next_message()  # a new message: the same question, another leg
        assert second["text"] == f"(2/5)\nTramo (2.º)\n\n{LEG}"
        await ana.press(second, "2. Auto")
        assert (await ana.next_message())["text"] == "(3/5)\nParada (1.º)\n\n¿Dónde paraste?"
        await ana.send("Puebla")

        another = await ana.next_message()
        assert another["text"] == f"(4/5)\n{ANOTHER}"
        assert buttons(another) == ["Sí", "No", "Atrás"]
        await ana.press(another, "Sí")
        await ana.next_event(kinds=("edit",))
        assert (await ana.next_message())["text"] == "(5/7)\nParada (2.º)\n\n¿Dónde paraste?"
        await ana.send("Atrás")

        back = await ana.next_message()
        assert back["text"] == "\n\n".join(
            [
                f"(4/7)\n{ANOTHER}",  # the second stop is counted until "No" drops it
                "Tu respuesta: Sí",
                "Toca «Conservar» para dejar tu respuesta como está.",
            ]
        )
        assert buttons(back) == ["Sí", "No", "Atrás", "Conservar"]
        await ana.press(back, "No")
        await ana.next_event(kinds=("edit",))
        assert (await ana.next_message())["text"] == "(5/5)\nComentario"
        await ana.send("Todo bien")
        assert (await ana.next_message())["text"] == "¡Gracias!"

    response = await chat.response(ana)
    assert response.answers == {
        "legs": [{"mode": "bus"}, {"mode": "car"}],
        "stops": [{"place": "Puebla"}],
        "comment": "Todo bien",
    }
