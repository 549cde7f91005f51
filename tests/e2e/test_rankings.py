"""Ranking in chat: every option keeps the number it was shown with, and a typed order with
mistakes is answered naming them, end to end through the emulator."""

from __future__ import annotations

from tests.e2e.conftest import buttons

QUESTION = "(1/2)\nOrdena los tres temas más urgentes"
OPTIONS = [
    "1. Compras",
    "2. Obra pública",
    "3. Nómina",
    "4. Trámites",
    "5. Denuncias",
    "6. Datos abiertos",
    "7. Auditorías",
]
HOW = "Toca las opciones en orden de importancia."


async def test_a_number_typed_after_a_partial_order_is_the_one_that_was_shown(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        first = await chat.answer_invitation(ana, "e2e_ranking")
        assert first["text"] == "\n\n".join([QUESTION, "\n".join(OPTIONS), HOW])
        assert buttons(first) == OPTIONS

        await ana.send("3, 3, 9")
        refused = await ana.next_message()
        assert refused["text"] == "\n\n".join(
            [
                "El 3 está repetido y el 9 no está en la lista (1 a 7).",
                QUESTION,
                "\n".join(OPTIONS),
                HOW,
            ]
        )
        assert buttons(refused) == OPTIONS

        await ana.send("3, 1")
        partial = await ana.next_message()
        left = [OPTIONS[n] for n in (1, 3, 4, 5, 6)]
        assert partial["text"] == "\n\n".join(
            [QUESTION, "Tu orden hasta ahora: Nómina → Compras", "\n".join(left), HOW]
        )
        assert buttons(partial) == [*left, "Atrás"]

        await ana.send("5")
        why = await ana.next_message()
        assert why["text"] == "(2/2)\n¿Por qué?"

    response = await chat.response(ana)
    assert response.state["answers"]["priorities"] == ["c", "a", "e"]
