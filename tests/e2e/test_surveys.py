"""Answering a survey with every question type in chat, end to end through the emulator."""

from __future__ import annotations

from io import BytesIO

from PIL import Image
from sqlalchemy import select

from core.models import ResponseSession, ResponseStatus, Role, Sector
from tests.e2e.conftest import buttons


def jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


async def test_every_question_type_with_wrong_answers_asked_again(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        invitation = await ana.next_message()  # sent by the outbox worker
        assert "Encuesta completa" in invitation["text"]
        await ana.press(invitation, "Empezar")
        attended = await ana.next_message()
        assert "Gracias por participar." in attended["text"]
        assert buttons(attended) == ["Sí", "No"]
        await ana.press(attended, "Sí")

        pick = await ana.next_message()
        assert buttons(pick)[:2] == ["1. Alfa", "2. Beta"]
        await ana.send("Gama")
        again = await ana.next_message()
        assert again["text"].startswith("Por favor elige una de las opciones")
        assert "Elige una" in again["text"]
        await ana.press(again, "1. Alfa")

        topics = await ana.next_message()
        await ana.press(topics, "Equis")
        edited = await ana.next_event(kinds=("edit",))
        assert "✓ Equis" in buttons(edited)
        await ana.press(topics, "Ye")
        await ana.next_event(kinds=("edit",))
        await ana.press(topics, "Zeta")  # a third one is over the maximum of two
        refusal = await ana.next_event(kinds=("callback_answer",))
        assert "2" in refusal["answer"]["text"]
        await ana.press(topics, "Listo")

        order = await ana.next_message()
        await ana.press(order, "1. Pe")
        reordered = await ana.next_event(kinds=("edit",))
        assert buttons(reordered["message"]) == ["2. Cu", "3. Erre", "Atrás"]
        await ana.press(order, "3. Erre")  # Cu is placed last by itself

        score = await ana.next_message()
        assert buttons(score) == ["1", "2", "3", "4", "5", "Atrás"]
        assert "Mal" in score["text"] and "Bien" in score["text"]
        await ana.press(score, "4")

        age = await ana.next_message()
        assert "Edad" in age["text"]
        await ana.send("10")
        assert "18" in (await ana.next_message())["text"]
        await ana.send("30")
        await ana.next_message()  # amount
        await ana.send("1,5")
        comment = await ana.next_message()
        await ana.press(comment, "Omitir")

        story = await ana.next_message()
        assert "Cuéntanos" in story["text"]
        await ana.send("Primera parte de mi respuesta.")
        await ana.next_message()
        await ana.upload_voice(b"OggS voice note")
        story_now = await ana.next_message()
        await ana.press(story_now, "Listo")

        await ana.next_message()  # date
        await ana.send("15/03/2026")
        await ana.next_message()  # email
        await ana.send("esto no es un correo")
        assert "correo" in (await ana.next_message())["text"].lower()
        await ana.send("ana@example.org")
        await ana.next_message()  # url
        await ana.send("https://example.org")
        await ana.next_message()  # phone
        await ana.send("449 123 4567")

        photo = await ana.next_message()
        assert "Foto" in photo["text"]
        await ana.send("no tengo foto")
        assert "foto" in (await ana.next_message())["text"]
        await ana.upload_photo(jpeg())

        where = await ana.next_message()
        keyboard = where["reply_markup"]["keyboard"]
        assert keyboard[0][0]["request_location"] is True
        await ana.share_location(21.88, -102.29)
        assert (await ana.next_message())["text"] == "Recibido."
        closing = await ana.next_message()
        assert "¡Gracias por tus respuestas!" in closing["text"]

    response = await chat.response(ana)
    assert response.status == ResponseStatus.COMPLETED
    answers = response.answers
    assert answers["attended"] == "yes"
    assert answers["pick"] == "a"
    assert answers["topics"] == ["x", "y"]
    assert answers["order"] == ["p", "r", "q"]
    assert answers["score"] == 4
    assert answers["age"] == 30
    assert answers["amount"] == 1.5
    assert answers["comment"] is None
    assert [part["kind"] for part in answers["story"]] == ["text", "voice"]
    assert answers["day"] == "2026-03-15"
    assert answers["mail"] == "ana@example.org"
    assert answers["photos"][0]["kind"] == "photo"
    assert answers["where"] == {"latitude": 21.88, "longitude": -102.29}


async def test_a_command_in_the_middle_of_a_survey_gives_the_question_back(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        invitation = await ana.next_message()
        await ana.press(invitation, "Empezar")
        attended = await ana.next_message()
        assert "¿Asististe?" in attended["text"]

        await ana.send("/ayuda")
        assert "Esto es lo que puedes hacer" in (await ana.next_message())["text"]
        again = await ana.next_message()
        assert "¿Asististe?" in again["text"] and buttons(again) == ["Sí", "No"]

        await ana.send("/idioma")
        choose = await ana.next_message()
        await ana.press(choose, "English")
        changed = await ana.next_event(kinds=("edit",))
        assert changed["message"]["text"] == "Done: I will write to you in English."
        in_english = await ana.next_message()
        assert "Did you attend?" in in_english["text"] and buttons(in_english) == ["Yes", "No"]
        await ana.press(in_english, "Yes")
        assert "Pick one" in (await ana.next_message())["text"]

        await ana.send("/language")
        choose = await ana.next_message()
        await ana.press(choose, "Español")
        changed = await ana.next_event(kinds=("edit",))
        assert changed["message"]["text"] == "Listo: te escribiré en español."
        assert "Elige una" in (await ana.next_message())["text"]


async def test_builtin_surveys_reach_whom_they_are_meant_for_and_ask_nothing_known(chat):
    """Launched with no audience, the staff diagnostic reaches staff and the registration of
    participants civil society; the registration does not ask again the name, sector and
    organisation the person gave when joining."""
    async with chat.running():
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        ana = await chat.join("Ana")
        await chat.launch("secretariat_diagnostic")
        await chat.launch("participant_selection")
        assert "Diagnóstico de la Secretaría Ejecutiva" in (await ana.next_message())["text"]
        invitation = await olga.next_message()
        assert "Selección de participantes" in invitation["text"]
        for user in (ana, olga):
            await user.send("/encuestas")
            listing = await user.next_message()
            assert len(buttons(listing)) == 1, listing
        await olga.press(invitation, "Empezar")
        consent = await olga.next_message()
        await olga.press(consent, buttons(consent)[0])
        first = await olga.next_message()
        assert "años de experiencia" in first["text"]
    async with chat.session_factory() as session:
        state = (await session.scalars(select(ResponseSession))).all()[-1].state
    assert state["answers"] == {
        "full_name": "Olga Pérez",
        "sector": "academia",
        "organisation": "Observatorio Ciudadano",
    }


async def test_a_form_taken_in_the_middle_of_a_survey_gives_the_survey_back(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.press(await ana.next_message(), "Empezar")
        assert "¿Asististe?" in (await ana.next_message())["text"]
        await ana.send("/ausente")
        assert "Desde qué día" in (await ana.next_message())["text"]
        await ana.send("mañana")
        await ana.next_message()
        await ana.send("mañana")
        assert "Anotado" in (await ana.next_message())["text"]
        assert "Sin recordatorios del" in (await ana.next_message())["text"]
        again = await ana.next_message()
        assert "¿Asististe?" in again["text"] and buttons(again) == ["Sí", "No"]
        await ana.press(again, "Sí")
        assert "Elige una" in (await ana.next_message())["text"]


async def test_cancelling_says_what_was_kept_and_where_to_take_it_up(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.answer_invitation(ana, "e2e_every_type")
        await ana.send("/cancelar")
        cancelled = (await ana.next_message())["text"]
        await ana.send("/encuestas")
        listing = await ana.next_message()
    assert cancelled == (
        "Encuesta cancelada: tus respuestas no se cuentan. Mientras la encuesta esté abierta, "
        "puedes empezarla de nuevo desde /encuestas."
    )
    assert len(buttons(listing)) == 1
