"""Answers survive restarts, updates count once, and buttons act only where they belong."""

from __future__ import annotations

from sqlalchemy import func, select

from core.models import ProcessedUpdate
from tests.e2e.conftest import TOKEN, buttons


async def test_a_restart_mid_survey_resumes_at_the_same_question(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()  # campaign invitation
        attended = await chat.start_survey(ana)
        await ana.press(attended, "Sí")
        pick = await ana.next_message()
        await ana.send("2")  # typed answers count as well as buttons
        await ana.next_message()  # topics
    saved = await chat.response(ana)
    assert saved.state["answers"] == {"attended": "yes", "pick": "b"}

    async with chat.running():
        await ana.send("/encuestas")
        listing = await ana.next_message()
        assert buttons(listing) == ["Continuar: Encuesta completa"]
        await ana.press(listing, "Continuar: Encuesta completa")
        topics = await ana.next_message()
        assert "Elige temas" in topics["text"]
        await ana.send("1, 3")  # toggles two options at once
        await ana.next_message()
        await ana.send("listo")
        assert "Ordena" in (await ana.next_message())["text"]
        # The earlier question's buttons are stale now: pressing one changes nothing and the
        # current question comes again.
        await ana.press(pick, "1. Alfa")
        stale = await ana.next_event(kinds=("callback_answer",))
        assert "pregunta anterior" in stale["answer"]["text"]
        assert "Ordena" in (await ana.next_message())["text"]
    resumed = await chat.response(ana)
    assert resumed.state["answers"]["pick"] == "b"
    assert resumed.state["answers"]["topics"] == ["x", "z"]


async def test_an_update_delivered_twice_is_handled_once(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()
        attended = await chat.start_survey(ana)
        await ana.press(attended, "No")
        await ana.next_message()
        await chat.client.set_redelivery(True)
        await ana.send("1")
        await ana.next_message()  # the next question, once
        await chat.client.set_redelivery(False)
        await ana.send("/ayuda")
        help_message = await ana.next_message()
        assert "/encuestas" in help_message["text"]  # nothing came in between
    response = await chat.response(ana)
    assert response.state["answers"] == {"attended": "no", "pick": "a"}
    assert response.step == 2
    async with chat.session_factory() as session:
        updates = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert updates > 0


async def test_strangers_and_forged_buttons_change_nothing(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        beto = await chat.join("Beto")
        await chat.launch()
        await ana.next_message()
        await beto.next_message()
        question = await chat.start_survey(ana)
        ana_data = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        # Beto's client sends Ana's button data from his own chat.
        beto_question = await chat.start_survey(beto)
        chat.forge_press(beto, beto_question, ana_data)
        refused = await beto.next_event(kinds=("callback_answer",))
        assert refused["answer"]["text"] == "Este botón no es para ti."
        for forged in ("a:99999:0:0", "a:x:y:z", "k:1:0:q", "nonsense", "a:1:0:999"):
            chat.forge_press(ana, question, forged)
            answer = await ana.next_event(kinds=("callback_answer",))
            assert answer["answer"]["show_alert"] is True
    response = await chat.response(ana)
    assert response.state["answers"] == {}
    assert response.step == 0


async def test_unexpected_messages_get_an_answer_and_the_question_again(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()
        await chat.start_survey(ana)
        await ana.send_sticker()
        assert "ese tipo de mensaje" in (await ana.next_message())["text"]
        assert "¿Asististe?" in (await ana.next_message())["text"]
        await ana.send_contact("+524491234567")
        assert "ese tipo de mensaje" in (await ana.next_message())["text"]
        await ana.next_message()
        typed = await ana.send("quizás")
        assert "responde «Sí» o «No»" in (await ana.next_message())["text"]
        await ana.edit(typed, "otra cosa")
        assert "Editar un mensaje" in (await ana.next_message())["text"]
        await ana.next_message()
        await ana.send("/comando_raro")
        assert "No conozco ese comando" in (await ana.next_message())["text"]
        await ana.next_message()
        await ana.send("x" * 4096)
        assert "Por favor" in (await ana.next_message())["text"]
        await ana.send("/cancelar")
        assert "Encuesta cancelada" in (await ana.next_message())["text"]


async def test_after_the_emulator_and_the_bot_restart_people_go_on_and_new_ones_are_new(saved_chat):
    async with saved_chat() as chat, chat.running():
        ana = await chat.join("Ana")
        beto = await chat.client.user("Beto")  # in the web chat, never joined
        await chat.launch()
        await ana.next_message()  # campaign invitation
        attended = await chat.start_survey(ana)
        await ana.press(attended, "Sí")
        await ana.next_message()
        await ana.send("2")
        await ana.next_message()  # topics
        await ana.send("1, 3")
        await ana.next_message()
        await ana.send("listo")
        order = await ana.next_message()
        await ana.press(order, "1. Pe")
        await ana.next_event(kinds=("edit",))
        await ana.press(order, "3. Erre")
        score = await ana.next_message()
        await ana.press(score, "4")
        assert "Edad" in (await ana.next_message())["text"]
        secretariat_id = chat.secretariat_id
    handled = await processed_update_ids(chat)

    async with saved_chat() as chat, chat.running():
        chat.secretariat_id = secretariat_id
        await ana.send("30")  # the first message after the restart: answered, in its place
        assert "Monto" in (await ana.next_message())["text"]
        carla = await chat.join("Carla")
        assert carla.id not in (ana.id, beto.id)
        assert (await chat.person(carla)).name == "Carla Pérez"
        assert (await chat.person(ana)).name == "Ana Pérez"
    resumed = await chat.response(ana)
    assert resumed.state["answers"] == {
        "attended": "yes",
        "pick": "b",
        "topics": ["x", "z"],
        "order": ["p", "r", "q"],
        "score": 4,
        "age": 30,
    }
    assert min(set(await processed_update_ids(chat)) - set(handled)) > max(handled)


async def processed_update_ids(chat) -> list[int]:
    async with chat.session_factory() as session:
        return list(await session.scalars(select(ProcessedUpdate.update_id)))


async def claim_next_update(chat, handler: int) -> None:
    """Record the next update as taken by ``handler`` and never finished: what a process that
    committed an answer and died before replying leaves behind."""
    bot = chat.emulator.bot()
    async with chat.session_factory() as session, session.begin():
        session.add(
            ProcessedUpdate(
                bot_id=int(TOKEN.split(":")[0]),
                update_id=bot.last_update_id + 1,
                handler=handler,
                finished=False,
            )
        )


async def test_an_update_whose_handler_died_before_replying_is_answered_with_the_question(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()
        attended = await chat.start_survey(ana)
        await ana.press(attended, "No")
        await ana.next_message()
        await claim_next_update(chat, handler=12345)  # a process that is gone
        await ana.send("1")
        assert (await ana.next_message())["text"] == "Recibí tu último mensaje."
        again = await ana.next_message()
        assert "Elige" in again["text"]
    # What the dead handler had not committed is not done now: the message is not answered again.
    response = await chat.response(ana)
    assert response.state["answers"] == {"attended": "no"}
    async with chat.session_factory() as session:
        finished = await session.scalar(
            select(ProcessedUpdate.finished).order_by(ProcessedUpdate.update_id.desc()).limit(1)
        )
    assert finished is True
