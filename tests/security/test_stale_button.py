"""A crash between saving an answer and sending the next question leaves the person with the
old question's buttons: pressing one sends the question of now, instead of pointing at a
message that never came."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import buttons


async def test_a_stale_button_after_a_lost_reply_sends_the_current_question(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch()
        await ana.next_message()  # the campaign's invitation
        attended = await chat.start_survey(ana)
        # Every reply to the press fails, as if the bot died right after saving the answer.
        replies = [
            "answerCallbackQuery",
            "editMessageText",
            "editMessageReplyMarkup",
            "sendMessage",
        ]
        await chat.client.set_faults(failures=100, status=502, methods=replies)
        await ana.press(attended, "Sí")
        await until_saved(chat, ana, step=1)
        await chat.client.set_faults()
        assert not any("Elige una" in (m.get("text") or "") for m in await ana.messages())
        await ana.press(attended, "Sí")
        stale = await ana.next_event(kinds=("callback_answer",))
        assert "pregunta anterior" in stale["answer"]["text"]
        question = await ana.next_message()
        assert "Elige una" in question["text"]
        assert buttons(question)  # and it can be answered at once
    response = await chat.response(ana)
    assert response.state["answers"] == {"attended": "yes"}


async def until_saved(chat, user, step: int) -> None:
    for _ in range(100):
        response = await chat.response(user)
        if response is not None and response.step == step:
            await asyncio.sleep(0.5)  # the failing replies are made after the answer is saved
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the answer was not saved")
