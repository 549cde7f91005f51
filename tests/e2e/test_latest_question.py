"""The text typed right after a question answers that question, whatever conversation was under
way before it; the conversation goes on after it."""

from __future__ import annotations

from core.models import Role, Sector
from tests.e2e.conftest import buttons


async def test_a_typed_yes_right_after_the_erasure_question_erases(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/ausente")
        assert "Desde qué día" in (await ana.next_message())["text"]
        await ana.send("/privacidad")
        await ana.next_message()
        await ana.send("/borrar_mis_datos")
        assert "¿Quieres borrar tus datos?" in (await ana.next_message())["text"]
        await ana.send("sí")
        assert "fueron borrados" in (await ana.next_message())["text"]
    assert await chat.person(ana) is None


async def test_a_typed_no_keeps_the_data_and_the_conversation_goes_on(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/ausente")
        await ana.next_message()
        await ana.send("/borrar_mis_datos")
        await ana.next_message()
        await ana.send("quizá")
        again = await ana.next_message()
        assert again["text"].startswith("Por favor responde sí o no.")
        assert buttons(again) == ["Sí, borrar mis datos", "No, conservarlos"]
        await ana.send("no")
        assert (await ana.next_message())["text"] == "No se borró nada."
        assert "Desde qué día" in (await ana.next_message())["text"]
        await ana.send("mañana")  # the absence's answer, not the erasure's
        assert "último día fuera" in (await ana.next_message())["text"]
    assert await chat.person(ana) is not None


async def test_a_conversation_opened_after_a_question_takes_the_next_text(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/borrar_mis_datos")
        await ana.next_message()
        await ana.send("/ausente")
        assert "Desde qué día" in (await ana.next_message())["text"]
        await ana.send("mañana")
        assert "último día fuera" in (await ana.next_message())["text"]
    assert await chat.person(ana) is not None


async def test_a_language_typed_after_the_question_is_chosen(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/ausente")
        await ana.next_message()
        await ana.send("/idioma")
        await ana.next_message()
        await ana.send("klingon")
        assert "Por favor toca uno de los botones" in (await ana.next_message())["text"]
        await ana.send("inglés")
        assert (await ana.next_message())["text"] == "Done: I will write to you in English."
        assert "From which day" in (await ana.next_message())["text"]
    assert (await chat.person(ana)).language == "en"


async def test_staff_commands_say_they_are_for_staff(chat):
    async with chat.running():
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        await olga.send("/ausente")
        refused = (await olga.next_message())["text"]
        await olga.send("/tareas")
        tasks = (await olga.next_message())["text"]
        await olga.send("/ayuda")
        help_text = (await olga.next_message())["text"]
    assert refused == (
        "/ausente es para el personal de la secretaría, que tiene tareas. Consulta /ayuda para "
        "ver lo que puedes hacer aquí."
    )
    assert tasks.startswith("/tareas es para el personal de la secretaría")
    assert "/ausente" not in help_text
