"""``/privacidad``, ``/mis_datos`` and ``/borrar_mis_datos`` (after a confirmation)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from babel.dates import format_time

from bot import conversation, menu
from bot.conversation import Turn
from bot.filters import TYPED, Answers, BesidesTypedAnswers, Command, Pressed, Registered
from bot.rendering import Rendered, split_text
from bot.routers.language import NAMES
from bot.translation import _
from conversations.answers import Refused, match_choice, read_yes_no
from conversations.definition import localize
from core.audit.actor import Actor
from core.buttons import ErasureButton
from core.chat import expected_text
from core.infra.settings import Settings
from core.meetings.messages import zone_name
from core.models import Person, Role, Sector, utcnow
from core.notify.reminders import long_date
from core.people import privacy
from core.people.joining import PRIVACY_NOTICE
from core.people.people import local_date
from core.people.roles import ROLE_LABELS, SECTOR_LABELS
from core.reporting.labels import status_label
from core.validation.messages import choice_label
from i18n import N_, Titled, locale_of, ngettext


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(notice, Command(*menu.PRIVACY.names))
    router.message.register(my_data, Command(*menu.MY_DATA.names), Registered())
    router.message.register(ask_erasure, Command(*menu.ERASE.names), Registered())
    router.message.register(typed_erasure, Answers(ErasureButton), TYPED, Registered())
    router.callback_query.register(confirm_erasure, Pressed(ErasureButton), Registered())
    return router


async def notice(message: Message, settings: Settings) -> None:
    await message.answer(
        _(
            "{notice}\n\nVersion of this notice: {version}.",
            notice=_(PRIVACY_NOTICE),
            version=settings.privacy_notice_version,
        )
    )


def _when(moment: datetime | None, person: Person) -> str:
    """The day and time of ``moment`` on the person's clock, as the chat writes them (no
    seconds): "5 de diciembre de 2026, 7:48 p.m."."""
    if moment is None:
        return "—"
    local = moment.astimezone(ZoneInfo(person.time_zone))
    time = format_time(local, "short", locale=locale_of(person.language))
    return f"{_day(person, moment)}, {time}"


async def my_data(message: Message, turn: Turn, person: Person) -> None:
    data = await privacy.personal_data(turn.session, person)
    language = person.language
    none = "—"
    username = f"@{data.telegram_username}" if data.telegram_username else none
    lines = [
        _("This is what we hold about you:"),
        _("Name: {value}", value=data.name or none),
        _("Telegram user: {value}", value=username),
        _("Email: {value}", value=data.email or none),
        _(
            "Roles: {value}",
            value=", ".join(_(ROLE_LABELS[Role(role)]) for role in data.roles) or none,
        ),
        _("Sector: {value}", value=_(SECTOR_LABELS[Sector(data.sector)]) if data.sector else none),
        _("Organisation: {value}", value=data.organisation or none),
        _("Language: {value}", value=NAMES.get(data.language, data.language)),
        _("Time zone: {value}", value=zone_name(person)),
        _(
            "Privacy notice accepted: version {version}, {when}",
            version=data.consent_version or none,
            when=_when(data.consented_at, person),
        ),
        _("Registered: {when}", when=_when(data.joined_at, person)),
        "",
        _(
            "Answers linked to you: {completed}, {unfinished}.",
            completed=_completed(language, data.completed_answers),
            unfinished=_under_way(language, data.unfinished_answers),
        ),
        *[await _answered_line(turn, item, person) for item in data.answered],
        "",
        ngettext(language, "{n} progress report.", "{n} progress reports.", data.reports_total),
        *[
            _(
                "• {task} — {status}, {percent}% — {day}",
                task=report.task,
                status=status_label(report.status, language),
                percent=report.percent,
                day=_day(person, report.at),
            )
            for report in data.reports
        ],
        _more(language, data.reports_total - len(data.reports)),
        ngettext(language, "{n} validation vote.", "{n} validation votes.", data.votes_total),
        *[
            _(
                "• {task} — {choice} — {day}",
                task=vote.task,
                choice=choice_label(language, vote.choice),
                day=_day(person, vote.at),
            )
            for vote in data.votes
        ],
        _more(language, data.votes_total - len(data.votes)),
        "",
        _(
            "Answers to anonymous surveys are not linked to you. "
            "To erase your data: /borrar_mis_datos"
        ),
    ]
    text = "\n".join(line for line in lines if line is not None)
    await conversation.send_rendered(turn.bot, message.chat.id, Rendered(split_text(text)))


def _day(person: Person, moment: datetime) -> str:
    """The day of ``moment`` on the person's calendar, written in their language."""
    return long_date(local_date(person, moment), person.language)


def _completed(language: str, n: int) -> str:
    return ngettext(language, "{n} completed", "{n} completed", n)


def _under_way(language: str, n: int) -> str:
    return ngettext(language, "{n} under way", "{n} under way", n)


def _more(language: str, n: int) -> str | None:
    return ngettext(language, "… and {n} earlier one.", "… and {n} earlier ones.", n) if n else None


async def _answered_line(turn: Turn, item: privacy.Answered, person: Person) -> str:
    """One definition the person answered: its title, how many finished and under way, when."""
    language = person.language
    engine = await turn.catalog.engine_for(
        turn.session, item.definition_id, item.definition_version, item.owner_id
    )
    counts = [
        _completed(language, item.completed) if item.completed else None,
        _under_way(language, item.under_way) if item.under_way else None,
    ]
    return _(
        "• {title}: {counts} (last on {day})",
        title=Titled(localize(engine.definition.title, language) or item.definition_id),
        counts=", ".join(count for count in counts if count),
        day=_day(person, item.last),
    )


def _erasure_buttons() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=_("Yes, erase my data"), callback_data=ErasureButton("yes").pack()
        ),
        InlineKeyboardButton(text=_("No, keep it"), callback_data=ErasureButton("no").pack()),
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


ERASURE_QUESTION = N_(
    "This erases your name, your Telegram account, your organisation, every answer "
    "linked to you, what you wrote in reports and validations (notes, evidence, comments, "
    "questions and answers), your absences and the messages we sent you, and you will no "
    "longer receive messages. Answers to anonymous surveys, aggregate results and the "
    "figures of your reports stay, without any link to you. It cannot be undone. "
    "Do you want to erase your data?"
)
ERASED = N_(
    "Your personal data was erased. Thank you for taking part. If you are invited again, "
    "you can join with a new invitation."
)
KEPT = N_("Nothing was erased.")


async def ask_erasure(message: Message, turn: Turn, person: Person) -> None:
    # The question asked last is the one the next message answers, ahead of any conversation
    # under way (which goes on after it): a typed "sí" confirms, as the button does. Either
    # button stands for the question.
    expected_text.expect(person, ErasureButton("yes"), utcnow())
    await turn.reply(message, _(ERASURE_QUESTION), _erasure_buttons())


async def typed_erasure(message: Message, turn: Turn, person: Person, settings: Settings) -> None:
    """The answer to "erase my data?" typed instead of tapped: yes, no, or the question again."""
    text = message.text or ""
    answer = match_choice(text, [("yes", _("Yes, erase my data")), ("no", _("No, keep it"))])
    try:
        answer = answer or read_yes_no(text, person.language)
    except Refused as refusal:
        await turn.reply(message, f"{refusal.message}\n\n{_(ERASURE_QUESTION)}", _erasure_buttons())
        return
    if answer == "yes":
        await _erase(turn, person, settings)
        await message.answer(_(ERASED))
        return
    expected_text.received(person)
    await turn.reply(message, _(KEPT))
    if turn.under_way is not None:
        await turn.ask(message, turn.under_way)


async def confirm_erasure(
    callback: CallbackQuery, button: ErasureButton, turn: Turn, person: Person, settings: Settings
) -> None:
    # The person is the presser themself (found by the middleware): nobody erases another.
    if button.answer != "yes":
        expected_text.received(person)
        await turn.reply(callback)
        await _close(callback, _(KEPT))
        if turn.under_way is not None:
            await turn.ask(callback, turn.under_way)
        return
    await _erase(turn, person, settings)
    await callback.answer()
    await _close(callback, _(ERASED))


async def _erase(turn: Turn, person: Person, settings: Settings) -> None:
    """Erase the person's data, commit, then their files."""
    erasure = await privacy.erase_person(
        turn.session, turn.catalog, person, actor=Actor.person(person.id)
    )
    await turn.session.commit()
    erasure.delete_files(settings.evidence_dir)


async def _close(callback: CallbackQuery, text: str) -> None:
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=None)
