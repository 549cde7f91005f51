"""Driving a response session from chat: feed one input, commit, then reply.

Every feature that runs an engine conversation (joining, surveys, reports) goes through a
``Turn``, so a typed answer, a button, a file or a location all take the same path: the answer
is committed before anything is sent, and a refusal repeats the question with the reason. What
a completed conversation becomes (a person, a progress report, an absence) core makes in the
same call and transaction as its last answer; this module only tells the person.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
    User,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot import closings
from bot.rendering import (
    NAVIGATION_LABELS,
    Markup,
    Rendered,
    answered_text,
    navigation_label,
    render_step,
    split_text,
)
from conversations.engine.inputs import ChoiceInput, CommandInput, Input
from conversations.engine.steps import Step
from core.chat import endings, expected_text, responses
from core.chat.definitions import DefinitionCatalog
from core.models import Person, ResponseSession, ResponseStatus
from i18n import gettext


async def send_rendered(bot: Bot, chat_id: int, rendered: Rendered) -> None:
    for text, markup in rendered.chunks:
        await bot.send_message(chat_id, text, reply_markup=markup)


def with_lead(lead: str, rendered: Rendered) -> Rendered:
    """A line said first (why an answer was refused, what was noted), then the step, in as few
    messages as fit."""
    texts = split_text(f"{lead}\n\n{rendered.texts[0]}") + rendered.texts[1:]
    return Rendered(texts, rendered.markup)


def label_of(step: Step, given: Input) -> str:
    """What a pressed button answered, to leave under the question it was on."""
    if isinstance(given, ChoiceInput):
        for choice in step.choices:
            if choice.id == given.choice_id:
                return choice.label
        return given.choice_id
    if isinstance(given, CommandInput) and given.command == "done" and step.keeps:
        return step.previous or navigation_label(step, "done")
    if isinstance(given, CommandInput) and given.command == "done" and step.choices:
        chosen = [choice.label for choice in step.choices if choice.selected]
        return ", ".join(chosen) or navigation_label(step, "done")
    if isinstance(given, CommandInput) and given.command in NAVIGATION_LABELS:
        return navigation_label(step, given.command)
    return ""


Event = Message | CallbackQuery


def chat_of(event: Event) -> int:
    """Where to answer: the message's chat, or the private chat of whoever pressed a button."""
    return event.chat.id if isinstance(event, Message) else event.from_user.id


@dataclass(slots=True)
class Turn:
    """One update's work in chat, as ``turn`` in every handler's data: the bot, the update's
    transaction, the catalog, the sender (None for a stranger) and the conversation their
    messages belong to (None when there is none).

    What the update wrote is committed before the turn says anything: no reply ever gets ahead
    of the answer it follows.
    """

    bot: Bot
    session: AsyncSession
    catalog: DefinitionCatalog
    person: Person | None
    under_way: ResponseSession | None

    async def reply(
        self,
        event: Event,
        text: str | None = None,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Commit, then answer: the message with ``text``, or the pressed button, after which
        ``text`` (if any) is said in the chat."""
        await self.session.commit()
        if isinstance(event, CallbackQuery):
            await event.answer()
            if text:
                await self.bot.send_message(event.from_user.id, text)
        elif text:
            await event.answer(text, reply_markup=reply_markup)

    async def ask(self, event: Event, response: ResponseSession) -> None:
        """Send the session's current question (to resume it, or after a refusal elsewhere)."""
        self._asked_last()
        step = await responses.current_step(self.session, self.catalog, response)
        await send_rendered(self.bot, chat_of(event), render_step(step, response.id, response.step))

    async def answer(
        self,
        event: Event,
        response: ResponseSession,
        given: Input,
        shown: Step | None = None,
    ) -> None:
        """Feed one input to the session, commit, and reply with what comes next.

        For a button pressed, ``event`` is the press and ``shown`` the question it was on.
        """
        bot, person = self.bot, self.person
        self._asked_last()
        callback = event if isinstance(event, CallbackQuery) else None
        chat_id = chat_of(event)
        user: User | None = event.from_user
        was_at = responses.position_of(response)
        was_location = await responses.asks_location(self.session, self.catalog, response)
        fed = await endings.answer(
            self.session,
            self.catalog,
            response,
            given,
            person=person,
            telegram_username=user.username if user is not None else None,
        )
        outcome = fed.outcome
        await self.session.commit()
        if fed.refusal is not None:
            label = label_of(shown, given) if shown is not None and fed.kept else None
            await finish_press(callback, label)
            reason = fed.refusal.render(outcome.state.language)
            if fed.response.status != ResponseStatus.ACTIVE:
                await bot.send_message(chat_id, reason)
                return
            # The answer was undone: the same question again, with the reason.
            again = await responses.current_step(self.session, self.catalog, fed.response)
            rendered = render_step(again, fed.response.id, fed.response.step)
            await send_rendered(bot, chat_id, with_lead(reason, rendered))
            return

        step = outcome.step
        if step.status == "cancelled":
            # The engine knows no kind of conversation: what cancelling kept is said here.
            said = closings.cancelled(response.definition_id, step.language)
            step = step.model_copy(update={"text": said})
        question = render_step(step, response.id, response.step)
        rendered = with_lead(outcome.noted, question) if outcome.noted else question
        if not outcome.accepted:
            if callback is not None:
                await callback.answer(outcome.error, show_alert=True)
                return
            await send_rendered(bot, chat_id, with_lead(outcome.error or "", rendered))
            return
        same_question = not outcome.finished and step.place == was_at
        if callback is not None and shown is not None:
            if same_question and len(question.texts) == 1:
                # A toggle or a ranking pick: the question is edited in place. What was noted
                # of the press ("Listo" before the text of "other") answers it: every press gets
                # an answer, even one that changes nothing on the screen.
                await callback.answer(outcome.noted)
                await _edit(callback, question.texts[0], question.markup)
                return
            await finish_press(callback, label_of(shown, given))
        if was_location:
            await bot.send_message(
                chat_id, gettext(step.language, "Received."), reply_markup=ReplyKeyboardRemove()
            )
        await send_rendered(bot, chat_id, rendered)
        closing = closings.closing(
            fed.settled, person.language if person is not None else outcome.state.language
        )
        if closing:
            await bot.send_message(chat_id, closing)
        if outcome.finished:
            await self._resume_interrupted(event, response)

    def _asked_last(self) -> None:
        """The question about to be shown is the one the person's next message answers: the
        most recent question wins over a text another question asked for before it."""
        if self.person is not None and self.person.expected_text is not None:
            expected_text.received(self.person)

    async def _resume_interrupted(self, event: Event, finished: ResponseSession) -> None:
        """After a form (a report, an absence), the conversation it came ahead of goes on: its
        question is asked again."""
        if self.person is None:
            return
        engine = await self.catalog.engine_of(self.session, finished)
        if engine.definition.kind != "form":
            return
        interrupted = await responses.unfinished(self.session, self.person.id)
        if interrupted:
            await self.ask(event, interrupted[0])


async def _edit(callback: CallbackQuery, text: str, markup: Markup) -> None:
    message = callback.message
    if isinstance(message, Message):
        # Only an inline keyboard can be edited in; the question edited in place has one.
        inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
        if message.text == text and message.reply_markup == inline:
            return  # Telegram refuses an edit that changes nothing
        await message.edit_text(text, reply_markup=inline)


async def finish_press(callback: CallbackQuery | None, label: str | None) -> None:
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


def owns(response: ResponseSession, person: Person | None, user: User) -> bool:
    if person is not None:
        return response.person_id == person.id
    return response.person_id is None and response.telegram_id == user.id
