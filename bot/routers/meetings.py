"""Meetings in chat: /sesiones, the answer buttons of invitations, changes and reminders, and
checking in with the host's code (``/asistencia CODE``) or its deep link (``/start``), and the
interviewer's notes, opened by the button sent at an interview's start.

An ``RsvpButton`` carries a meeting id and an answer; the id is only where to look: the presser
must be invited to that meeting, which ``core.meetings.rsvp`` checks, as it checks that the
meeting is not cancelled, not started, and not full for *Asistiré*. The answer is committed
before the bot says anything. A code is taken only after the command, never from plain text,
which may be the answer to a question.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import menu
from bot.conversation import Turn
from bot.filters import BesidesTypedAnswers, Command, CommandStart, Pressed, Registered
from bot.translation import _
from core.buttons import InterviewNotesButton, RsvpButton
from core.meetings import attendance, interviews, messages, rsvp
from core.models import CheckIn, Person, Rsvp, utcnow

# Each coming meeting is a message of its own, with its buttons; past this many, a line says
# how many more there are.
MAX_LISTED = 10


def create_router() -> Router:
    router = Router(name="meetings")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(list_meetings, Command(*menu.MEETINGS.names), Registered())
    router.message.register(check_in, Command(*menu.CHECK_IN.names), Registered())
    link = CommandStart(deep_link=True, magic=F.args.func(attendance.code_in))
    router.message.register(check_in_by_link, link)
    router.callback_query.register(rsvp_button, Pressed(RsvpButton), Registered())
    router.callback_query.register(notes_button, Pressed(InterviewNotesButton), Registered())
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


async def check_in(message: Message, command: CommandObject, turn: Turn) -> None:
    code = (command.args or "").strip()
    if not code:
        await message.answer(
            _(
                "Send the code your host shows, after the command: /{command} CODE",
                command=menu.CHECK_IN.spanish,
            )
        )
        return
    await _check_in(message, turn, code, CheckIn.CODE)


async def check_in_by_link(message: Message, command: CommandObject, turn: Turn) -> None:
    if turn.person is None:
        await message.answer(
            _("Only people who joined can check in. Ask your coordinator for an invitation.")
        )
        return
    await _check_in(message, turn, str(command.magic_result), CheckIn.LINK)


async def _check_in(message: Message, turn: Turn, code: str, how: CheckIn) -> None:
    person = turn.person
    assert person is not None
    checked = await attendance.check_in(turn.session, person, code, how, utcnow())
    if checked.refusal is not None:
        await turn.reply(message, _(checked.refusal.message, **checked.refusal.params))
        return
    assert checked.meeting is not None
    title = messages.titled(checked.meeting, person.language)
    if checked.recorded:
        text = _("Welcome! Your attendance is recorded: {meeting}", meeting=title)
    else:
        text = _("You had already checked in; nothing changed: {meeting}", meeting=title)
    await turn.reply(message, text)


async def notes_button(
    callback: CallbackQuery, button: InterviewNotesButton, turn: Turn, person: Person
) -> None:
    """The interviewer's notes conversation; ``core.meetings.interviews`` refuses anyone else."""
    response, interview = await interviews.begin_notes(
        turn.session, turn.catalog, person, button.interview_id, utcnow()
    )
    interviewee = await turn.session.get_one(Person, interview.interviewee_id)
    await turn.reply(
        callback, _("Notes of the interview with {name}.", name=interviewee.display_name)
    )
    await turn.ask(callback, response)
