"""Meetings in chat: /sesiones, and the answer buttons of invitations, changes and reminders.

An ``RsvpButton`` carries a meeting id and an answer; the id is only where to look: the presser
must be invited to that meeting, which ``core.meetings.rsvp`` checks, as it checks that the
meeting is not cancelled, not started, and not full for *Asistiré*. The answer is committed
before the bot says anything.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import menu
from bot.conversation import Turn
from bot.filters import BesidesTypedAnswers, Command, Pressed, Registered
from bot.translation import _
from core.buttons import RsvpButton
from core.meetings import messages, rsvp
from core.models import Person, Rsvp, utcnow

# Each coming meeting is a message of its own, with its buttons; past this many, a line says
# how many more there are.
MAX_LISTED = 10


def create_router() -> Router:
    router = Router(name="meetings")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(list_meetings, Command(*menu.MEETINGS.names), Registered())
    router.callback_query.register(rsvp_button, Pressed(RsvpButton), Registered())
    return router


async def list_meetings(message: Message, bot: Bot, session: AsyncSession, person: Person) -> None:
    coming = await rsvp.coming(session, person, utcnow())
    if not coming:
        await message.answer(_("You have no sessions coming."))
        return
    await message.answer(_("Your coming sessions:"))
    for meeting, answer in coming[:MAX_LISTED]:
        given = messages.RSVP_LABELS[answer] if answer else None
        lines = [
            messages.titled(meeting, person.language),
            *messages.details(meeting, person),
            _("Your answer: {answer}", answer=_(given)) if given else _("You have not answered."),
        ]
        markup = InlineKeyboardMarkup.model_validate(
            messages.rsvp_buttons(person.language, meeting.id)
        )
        await message.answer("\n".join(lines), reply_markup=markup)
    if len(coming) > MAX_LISTED:
        await message.answer(_("And {n} more.", n=len(coming) - MAX_LISTED))


async def rsvp_button(callback: CallbackQuery, button: RsvpButton, turn: Turn) -> None:
    person = turn.person
    assert person is not None  # Registered
    answered = await rsvp.answer(
        turn.session, person, button.meeting_id, Rsvp(button.answer), utcnow()
    )
    title = messages.titled(answered.meeting, person.language)
    if answered.answer == Rsvp.YES:
        text = _("Noted: you will attend. {meeting}", meeting=title)
    elif answered.answer == Rsvp.NO:
        text = _("Noted: you cannot make it. {meeting}", meeting=title)
    else:
        text = _("Noted: maybe. {meeting}", meeting=title)
    await turn.reply(callback, text)
