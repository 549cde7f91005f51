"""Driving a response session from chat: feed one input, commit, then reply.

Every feature that runs an engine conversation (joining, surveys, reports) goes through here,
so a typed answer, a button, a file or a location all take the same path: the answer is
committed before anything is sent, a refusal repeats the question with the reason, and a
completed joining conversation becomes a person (a completed form, what it stands for: a
progress report, an absence) in the same transaction as its last answer.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot import forms
from bot.rendering import (
    NAVIGATION_LABELS,
    Rendered,
    answered_text,
    navigation_label,
    render_step,
    split_text,
)
from conversations.engine.inputs import ChoiceInput, CommandInput, Input
from conversations.engine.steps import Step
from core.chat import campaigns, responses
from core.chat.definitions import DefinitionCatalog
from core.errors import DomainError
from core.models import Person, ResponseSession, ResponseStatus, Secretariat
from core.people import joining
from i18n import gettext


async def send_rendered(bot: Bot, chat_id: int, rendered: Rendered) -> None:
    for text, markup in rendered.chunks:
        await bot.send_message(chat_id, text, reply_markup=markup)


async def ask(
    bot: Bot, chat_id: int, catalog: DefinitionCatalog, response: ResponseSession
) -> None:
    """Send the session's current question (to resume it, or after a refusal elsewhere)."""
    step = responses.current_step(catalog, response)
    await send_rendered(bot, chat_id, render_step(step, response.id, response.step))


def with_reason(reason: str, rendered: Rendered) -> Rendered:
    """The reason for a refusal, then the question again, in as few messages as fit."""
    texts = split_text(f"{reason}\n\n{rendered.texts[0]}") + rendered.texts[1:]
    return Rendered(texts, rendered.markup)


def label_of(step: Step, given: Input) -> str:
    if isinstance(given, ChoiceInput):
        for choice in step.choices:
            if choice.id == given.choice_id:
                return choice.label
        return given.choice_id
    if isinstance(given, CommandInput) and given.command == "done" and step.choices:
        chosen = [choice.label for choice in step.choices if choice.selected]
        return ", ".join(chosen) or navigation_label(step.language, "done")
    if isinstance(given, CommandInput) and given.command in NAVIGATION_LABELS:
        return navigation_label(step.language, given.command)
    return ""


async def answer(
    *,
    bot: Bot,
    chat_id: int,
    session: AsyncSession,
    catalog: DefinitionCatalog,
    response: ResponseSession,
    given: Input,
    user: User,
    person: Person | None,
    callback: CallbackQuery | None = None,
    shown: Step | None = None,
) -> None:
    """Feed one input to the session, commit, and reply with what comes next.

    ``callback`` and ``shown`` are the button pressed, if any, and the question it was on.
    """
    was_at = responses.position_of(response)
    was_location = responses.asks_location(catalog, response)
    turn = await responses.feed(session, catalog, response, given)
    outcome = turn.outcome
    closing: str | None = None
    if turn.changed and response.definition_id in joining.DEFINITION_IDS:
        try:
            closing = await _settle_joining(session, response, outcome.answers, user)
        except DomainError as refusal:
            await session.delete(response)
            await session.commit()
            await _finish_press(callback, bot, None)
            await bot.send_message(chat_id, refusal.render(outcome.state.language))
            return
    elif outcome.finished and response.status == ResponseStatus.COMPLETED:
        if person is not None and response.definition_id in forms.DEFINITION_IDS:
            try:
                async with session.begin_nested():
                    closing = await forms.settle(session, response, outcome.answers or {}, person)
            except DomainError as refusal:
                await session.refresh(response)
                response.status = ResponseStatus.CANCELLED
                await session.commit()
                await _finish_press(callback, bot, label_of(shown, given) if shown else None)
                await bot.send_message(chat_id, refusal.render(outcome.state.language))
                return
        else:
            closing = await _pending_note(session, person, outcome.state.language)
    await session.commit()

    step = outcome.step
    rendered = render_step(step, response.id, response.step)
    if not outcome.accepted:
        if callback is not None:
            await callback.answer(outcome.error, show_alert=True)
            return
        await send_rendered(bot, chat_id, with_reason(outcome.error or "", rendered))
        return
    same_question = not outcome.finished and step.question_id == was_at
    if callback is not None and shown is not None:
        if same_question and len(rendered.texts) == 1:
            # A toggle or a ranking pick: the question is edited in place.
            await callback.answer()
            await _edit(callback, rendered.texts[0], rendered.markup)
            return
        await _finish_press(callback, bot, label_of(shown, given))
    if was_location:
        await bot.send_message(
            chat_id, gettext(step.language, "Received."), reply_markup=ReplyKeyboardRemove()
        )
    await send_rendered(bot, chat_id, rendered)
    if closing:
        await bot.send_message(chat_id, closing)


async def _edit(callback: CallbackQuery, text: str, markup) -> None:
    message = callback.message
    if isinstance(message, Message):
        await message.edit_text(text, reply_markup=markup)


async def _finish_press(callback: CallbackQuery | None, bot: Bot, label: str | None) -> None:
    """Answer the button press and leave the question in the chat with the choice under it."""
    if callback is None:
        return
    await callback.answer()
    message = callback.message
    if isinstance(message, Message) and message.text:
        if label:
            await message.edit_text(answered_text(message.text, label), reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)


async def _settle_joining(
    session: AsyncSession, response: ResponseSession, answers: dict | None, user: User
) -> str | None:
    """A finished joining conversation: a person when completed, nothing kept otherwise."""
    if response.status == ResponseStatus.ACTIVE:
        return None
    state = responses.state_of(response)
    if response.status != ResponseStatus.COMPLETED:
        await session.delete(response)  # declined or cancelled: nothing personal is kept
        return None
    async with session.begin_nested():
        person = await joining.complete(
            session,
            response,
            answers or {},
            telegram_username=user.username,
            language=state.language,
            consent_version=state.consent or "",
        )
    secretariat = await session.get(Secretariat, person.secretariat_id)
    language = person.language
    lines = [
        gettext(
            language,
            "Welcome, {name}! You now take part with {secretariat}.",
            name=person.name,
            secretariat=secretariat.name if secretariat else "",
        )
    ]
    pending = await campaigns.pending_for(session, person)
    if pending:
        lines.append(
            gettext(language, "You have surveys waiting for you: see them with /encuestas.")
        )
    lines.append(gettext(language, "Send /ayuda at any time to see what you can do here."))
    return "\n\n".join(lines)


async def _pending_note(session: AsyncSession, person: Person | None, language: str) -> str | None:
    if person is not None and await campaigns.pending_for(session, person):
        return gettext(language, "More surveys are waiting for you: /encuestas")
    return None


def owns(response: ResponseSession, person: Person | None, user: User) -> bool:
    if person is not None:
        return response.person_id == person.id
    return response.person_id is None and response.telegram_id == user.id
