"""Tasks in chat: /tareas, the buttons of reminders, reports with evidence, and /ausente.

Reminder buttons carry a ``TaskButton`` (task id and report, done or help); the id is only
where to look: the presser must be a responsible of that task in their own secretariat,
checked by the services.
Files sent while a report asks for evidence are downloaded and stored before the answer is
fed to the conversation. A photo, document or text sent in reply to a reminder (a message of
ours whose buttons name one task) becomes a report of that task at once, with no questions.
"""

from __future__ import annotations

from datetime import date

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation, menu
from bot.conversation import Turn
from bot.evidence import download_and_store
from bot.filters import (
    A_FILE,
    FILES,
    TYPED_TEXT,
    BesidesTypedAnswers,
    Command,
    Magic,
    Pressed,
    Registered,
)
from bot.rendering import Rendered, render_step, shorten, split_text
from bot.routers.surveys import file_input
from bot.translation import _
from core.buttons import EndAbsenceButton, TaskButton
from core.chat import endings, my_tasks, report_drafts, responses
from core.errors import InvalidInput
from core.infra.settings import Settings
from core.models import Absence, Person, Task, utcnow
from core.notify.reminders import long_date, short_date
from core.people import absences
from core.people.people import local_today
from core.reporting import reports
from core.reporting.labels import status_label
from i18n import N_

MAX_TASK_BUTTONS = 40


def create_router() -> Router:
    router = Router(name="tasks")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(list_tasks, Command(*menu.TASKS.names), menu.For(menu.TASKS))
    router.message.register(absence, Command(*menu.AWAY.names), menu.For(menu.AWAY))
    router.callback_query.register(task_button, Pressed(TaskButton))
    router.callback_query.register(end_absence, Pressed(EndAbsenceButton), Registered())
    router.message.register(
        reply_to_reminder,
        Magic(F.reply_to_message & (A_FILE | TYPED_TEXT)),
        Registered(),
    )
    router.message.register(evidence_file, FILES, Registered())
    return router


def task_line(open_task: my_tasks.OpenTask, today: date, language: str) -> str:
    task = open_task.task
    status = status_label(task.status, language)
    if task.due_date is None:
        due = _("no due date")
    elif my_tasks.is_overdue(task, today):
        due = _("overdue since {date}", date=long_date(task.due_date, language))
    else:
        due = _("due {date}", date=long_date(task.due_date, language))
    plan = _("plan “{title}”", title=open_task.plan_title)
    return f"• {task.label.in_language(language)} ({plan}) — {status}, {task.percent}% — {due}"


async def list_tasks(message: Message, bot: Bot, session: AsyncSession, person: Person) -> None:
    today = local_today(person)
    listed = await my_tasks.open_tasks(session, person, today)
    if not listed:
        await message.answer(_("You have no open tasks."))
        return
    lines = [_("Your open tasks:"), *(task_line(item, today, person.language) for item in listed)]
    tasks = [item.task for item in listed]
    lines.append(_("Tap a task to report its progress."))
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(_("Report: {task}", task=task.label)),
                callback_data=TaskButton(task.id, "report").pack(),
            )
        ]
        for task in tasks[:MAX_TASK_BUTTONS]
    ]
    rendered = Rendered(split_text("\n".join(lines)), InlineKeyboardMarkup(inline_keyboard=rows))
    await conversation.send_rendered(bot, message.chat.id, rendered)


async def task_button(callback: CallbackQuery, button: TaskButton, turn: Turn) -> None:
    person = turn.person
    if person is None:
        await callback.answer(_("This button is not for you."), show_alert=True)
        return
    task_id = button.task_id
    if button.action == "help":
        asked = await my_tasks.ask_for_help(turn.session, person, task_id, utcnow())
        task = await turn.session.get_one(Task, asked.task_id)
        if asked.coordinators_notified:
            text = _(
                "Your coordination will get your request for help with task {task} on Telegram; "
                "they will get in touch with you."
            )
        else:
            text = _(
                "Your request for help with task {task} is recorded: your coordination sees it "
                "in the admin panel. Nobody there receives messages on Telegram yet, so you may "
                "also contact your secretariat directly."
            )
        await turn.reply(callback, text.format(task=task.label))
        return
    response, task = await report_drafts.begin(
        turn.session, turn.catalog, person, task_id, finished=button.action == "done"
    )
    await turn.reply(callback, _("Progress report of task {task}.", task=task.label))
    await turn.ask(callback, response)


async def absence(message: Message, turn: Turn, person: Person) -> None:
    session = turn.session
    response = await responses.start_for(
        session, turn.catalog, person, absences.ABSENCE, resume=True
    )
    today = local_today(person)
    planned = await absences.upcoming(session, person, today)
    away, buttons = _already_away(planned, today, person.language) if planned else (None, None)
    await turn.reply(message, away, buttons)
    await turn.ask(message, response)


def _already_away(
    planned: list[Absence], today: date, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """What /ausente says first when absences are planned: them, and a button to end each."""
    periods = "\n".join(
        f"• {long_date(a.starts_on, language)} – {long_date(a.ends_on, language)}" for a in planned
    )
    away = _("You are already marked as away:\n{periods}\n\nBack early, or plans changed?")
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(_end_label(absence, today, language)),
                callback_data=EndAbsenceButton("end", absence.id).pack(),
            )
        ]
        for absence in planned
    ]
    return away.format(periods=periods), InlineKeyboardMarkup(inline_keyboard=rows)


def _end_label(absence: Absence, today: date, language: str) -> str:
    period = f"{short_date(absence.starts_on, language)} – {short_date(absence.ends_on, language)}"
    if absences.under_way(absence, today):
        return _("I am back ({period})", period=period)
    return _("Cancel {period}", period=period)


async def end_absence(
    callback: CallbackQuery, button: EndAbsenceButton, turn: Turn, person: Person
) -> None:
    """A button of /ausente: the presser's own absence ends today, or is dropped."""
    today = local_today(person)
    was_under_way = await absences.end_early(turn.session, person, button.absence_id, today)
    await turn.reply(callback)
    if was_under_way:
        done = _("Welcome back: reminders of your tasks reach you again from today.")
    else:
        done = _("Done: that absence is cancelled.")
    message = callback.message
    if isinstance(message, Message):
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(done)


async def evidence_file(message: Message, turn: Turn, settings: Settings) -> None:
    """A file while a report (of a task or an indicator) asks for evidence: checked and stored,
    then fed as the answer."""
    response = turn.under_way
    draft = await report_drafts.draft_of(turn.session, response) if response else None
    if response is None or draft is None:
        raise SkipHandler  # no conversation or another one: files go the ordinary way
    step = await responses.current_step(turn.session, turn.catalog, response)
    if step.question_id != report_drafts.EVIDENCE:
        raise SkipHandler  # the conversation itself says what it expects instead
    given = file_input(message)
    try:
        if step.collected >= settings.max_evidence_files:
            raise InvalidInput(
                N_("A report holds at most {limit} pieces of evidence. Tap “Done” to send it."),
                limit=settings.max_evidence_files,
            )
        # Refused before it is downloaded when the report does not take that kind of file.
        await endings.check(turn.session, turn.catalog, response, given)
        stored = await download_and_store(turn.bot, given, settings)
    except InvalidInput as refusal:
        await turn.session.commit()
        rendered = render_step(step, response.id, response.step)
        await conversation.send_rendered(
            turn.bot,
            message.chat.id,
            conversation.with_lead(refusal.render(step.language), rendered),
        )
        return
    report_drafts.keep_file(draft, given.file_id, stored, message.caption)
    await turn.answer(message, response, given)


def reminded_task(replied: Message, bot: Bot) -> int | None:
    """The task a reminder of ours is about, read from its buttons (whoever replies must still
    be a responsible of it)."""
    if replied.from_user is None or replied.from_user.id != bot.id or not replied.reply_markup:
        return None
    found = {
        pressed.task_id
        for row in replied.reply_markup.inline_keyboard
        for button in row
        if (pressed := TaskButton.unpack(button.callback_data))
    }
    return found.pop() if len(found) == 1 else None


async def reply_to_reminder(
    message: Message, turn: Turn, person: Person, settings: Settings
) -> None:
    """Evidence sent in reply to a reminder: a report of that task, with no questions."""
    replied = message.reply_to_message
    assert replied is not None  # the filter's F.reply_to_message
    task_id = reminded_task(replied, turn.bot)
    if task_id is None:
        raise SkipHandler
    # Refused before anything is downloaded when the task is not the person's to report.
    session = turn.session
    task, _plan = await reports.reportable_task(session, person, task_id)
    if message.text:
        item = report_drafts.text_evidence(message.text)
    else:
        given = file_input(message)
        stored = await download_and_store(turn.bot, given, settings)
        fields = report_drafts.stored_fields(stored, message.caption)
        item = report_drafts.file_evidence(given.kind, given.file_id, fields)
    await report_drafts.attach(session, person, task_id, item)
    await turn.reply(
        message,
        _(
            "Added as evidence to task {task}. To change its status, percent or hours, "
            "tap “Report progress” on the reminder.",
            task=task.label,
        ),
    )
