"""The autopilot of tests/conversations answering through the emulator, as a person would.

An engine of the same definition walks beside the bot: it says what the bot should show next
(rendered as the bot renders it) and which input the autopilot gives; the person gives it in
chat, by button, text, upload or location, and waits for the bot to show the next step.
"""

from __future__ import annotations

from typing import Any

from bot.rendering import navigation_label, render_step
from conversations.engine import inputs
from conversations.engine.navigation import Engine, Outcome
from conversations.engine.steps import Step
from emulator.client import SimulatedUser
from tests.conversations.autopilot import Autopilot
from tests.support.privacy_scenario import photo

UPLOADS = {
    "photo": ("photo.jpg", "image/jpeg"),
    "document": ("informe.pdf", "application/pdf"),
    "voice": ("nota.ogg", "audio/ogg"),
    "audio": ("nota.mp3", "audio/mpeg"),
    "video": ("video.mp4", "video/mp4"),
}


async def shown(user: SimulatedUser, step: Step) -> dict[str, Any]:
    """The bot's message showing the step (sent, or edited in place), skipping the others."""
    wanted = render_step(step, 0, 0).texts[-1]
    skipped = []
    while True:
        try:
            event = await user.next_event(kinds=("message", "edit"))
        except TimeoutError:
            raise AssertionError(f"never shown: {wanted!r}; shown instead: {skipped}") from None
        message = event["message"] | {"reply_markup": event["reply_markup"]}
        if message.get("text") == wanted:
            return message
        skipped.append(message.get("text"))


async def give(
    user: SimulatedUser, message: dict[str, Any], step: Step, given: inputs.Input
) -> None:
    """Give one input in chat, where the step is shown in ``message``."""
    if isinstance(given, inputs.ChoiceInput):
        index = next(n for n, choice in enumerate(step.choices) if choice.id == given.choice_id)
        await user.press(message, _button_texts(message)[index])
    elif isinstance(given, inputs.CommandInput):
        await user.press(message, navigation_label(step, given.command))
    elif isinstance(given, inputs.TextInput):
        await user.send(given.text)
    elif isinstance(given, inputs.LocationInput):
        await user.share_location(given.latitude, given.longitude)
    elif isinstance(given, inputs.FileInput):
        name, mime = UPLOADS[given.kind]
        await user.upload(given.kind, photo(), name, mime)
    else:
        raise AssertionError(f"no way to give {given!r} in chat")


def _button_texts(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def answer_in_chat(
    user: SimulatedUser,
    engine: Engine,
    language: str = "es",
    limit: int = 500,
    pilot: Autopilot | None = None,
) -> Outcome:
    """Answer the survey the bot has just started, to its end, with the inputs ``pilot``
    chooses (any valid ones by default); the engine's final outcome."""
    state = engine.start(language)
    pilot = pilot or Autopilot()
    for _ in range(limit):
        step = engine.current(state)
        message = await shown(user, step)
        given = pilot.input_for(step)
        outcome = engine.feed(state, given)
        assert outcome.error is None, (step.question_id, outcome.error)
        await give(user, message, step, given)
        state = outcome.state
        if outcome.finished:
            await shown(user, outcome.step)
            return outcome
    raise AssertionError("the definition never finished")
