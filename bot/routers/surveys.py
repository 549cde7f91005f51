"""Answering conversations: typed answers, buttons, files, locations; /encuestas and /cancelar.

Every input goes to the sender's current conversation (a survey, an interview, or their
joining) through ``bot.conversation.Turn.answer``. A button is acted on only when it belongs to the
presser's own session and to the question shown now; anything else is refused and changes
nothing.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    User,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation, menu
from bot.conversation import Turn
from bot.filters import FILES, TYPED, Command, Magic, Pressed, Registered
from bot.rendering import NAVIGATION, navigation_word, shorten
from bot.translation import _, current_language
from conversations.definition import localize
from conversations.engine.inputs import (
    ChoiceInput,
    CommandInput,
    FileInput,
    Input,
    LocationInput,
    TextInput,
)
from core.buttons import Button, ChoiceButton, NavigationButton, ResumeButton, StartCampaignButton
from core.chat import campaigns, responses
from core.chat.definitions import DefinitionCatalog
from core.errors import NotFound
from core.models import Campaign, Person, ResponseSession, ResponseStatus
from core.notify.reminders import short_date
from core.people.people import local_date
from core.validation import information, messages


def create_router() -> Router:
    router = Router(name="surveys")
    # Typed answers are checked for first: they are most of what people send, and TYPED leaves
    # commands to their handlers.
    router.message.register(typed, TYPED)
    router.message.register(list_pending, Command(*menu.SURVEYS.names), Registered())
    router.callback_query.register(press, Pressed(ChoiceButton, NavigationButton))
    router.callback_query.register(resume, Pressed(ResumeButton), Registered())
    router.callback_query.register(begin, Pressed(StartCampaignButton), Registered())
    router.message.register(cancel, Command(*menu.CANCEL.names))
    router.message.register(sent_file, FILES)
    router.message.register(located, Magic(F.location))
    return router


async def list_pending(
    message: Message, session: AsyncSession, person: Person, catalog: DefinitionCatalog
) -> None:
    unfinished = await responses.unfinished(session, person.id)
    started = {response.campaign_id for response in unfinished}
    pending = await campaigns.pending_for(session, person)
    closing = {campaign.id: campaign.closes_at for campaign in pending}
    language = person.language
    rows = []
    for response in unfinished:
        definition = (await catalog.engine_of(session, response)).definition
        title = localize(definition.title, language)
        label = _("Continue: {title}", title=title)
        # A conversation of no campaign (or of one no longer pending) shows no closing day.
        campaign_id = response.campaign_id
        closes_at = closing.get(campaign_id) if campaign_id is not None else None
        rows.append(_pending_button(label, closes_at, person, ResumeButton(response.id)))
    for campaign in pending:
        if campaign.id in started:
            continue
        try:
            engine = await catalog.latest(
                session,
                campaign.secretariat_id,
                campaign.definition_id,
                campaign.definition_owner_id,
            )
        except NotFound:  # a template withdrawn since the launch: nobody starts it now
            continue
        title = localize(engine.definition.title, language)
        rows.append(
            _pending_button(title, campaign.closes_at, person, StartCampaignButton(campaign.id))
        )
    if not rows:
        await message.answer(_("You have no pending surveys or interviews. Thank you!"))
        return
    await message.answer(
        _("Your pending surveys and interviews. Tap one to start or continue it:"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


def _pending_button(
    label: str, closes_at: datetime | None, person: Person, button: Button
) -> list[InlineKeyboardButton]:
    """One row of /encuestas: the survey, and until when it is open (the person's day)."""
    if closes_at is not None:
        day = local_date(person, closes_at)
        until = short_date(day, person.language)
        label = _("{title} (until {date})", title=shorten(label, 40), date=until)
    return [InlineKeyboardButton(text=shorten(label), callback_data=button.pack())]


async def resume(callback: CallbackQuery, button: ResumeButton, turn: Turn, person: Person) -> None:
    response = await turn.session.get(ResponseSession, button.response_id)
    if (
        response is None
        or response.person_id != person.id
        or response.status != ResponseStatus.ACTIVE
    ):
        await _no_longer_pending(callback)
        return
    responses.touch(response)
    await turn.reply(callback)
    await turn.ask(callback, response)


async def begin(
    callback: CallbackQuery, button: StartCampaignButton, turn: Turn, person: Person
) -> None:
    session = turn.session
    campaign = await session.get(Campaign, button.campaign_id)
    pending = {c.id for c in await campaigns.pending_for(session, person)}
    if campaign is None or campaign.id not in pending:
        await _no_longer_pending(callback)
        return
    try:
        response = await responses.start_for(
            session,
            turn.catalog,
            person,
            campaign.definition_id,
            campaign_id=campaign.id,
            owner_id=campaign.definition_owner_id,
            resume=True,
        )
    except NotFound:  # a template withdrawn since the launch
        await _no_longer_pending(callback)
        return
    await turn.reply(callback)
    await turn.ask(callback, response)


async def _no_longer_pending(callback: CallbackQuery) -> None:
    await callback.answer(_("That survey is no longer pending."), show_alert=True)


async def cancel(message: Message, turn: Turn) -> None:
    await _feed(message, turn, CommandInput("cancel"))


async def typed(message: Message, turn: Turn) -> None:
    text = message.text or ""
    command = navigation_word(text)
    await _feed(message, turn, CommandInput(command) if command else TextInput(text))


async def sent_file(message: Message, turn: Turn) -> None:
    await _feed(message, turn, file_input(message))


async def located(message: Message, turn: Turn) -> None:
    location = message.location
    assert location is not None
    await _feed(message, turn, LocationInput(location.latitude, location.longitude))


def file_input(message: Message) -> FileInput:
    if message.photo:
        photo = message.photo[-1]  # the largest size Telegram made
        return FileInput("photo", photo.file_id, "image/jpeg", photo.file_size)
    if message.document:
        document = message.document
        return FileInput(
            "document",
            document.file_id,
            document.mime_type,
            document.file_size,
            document.file_name,
        )
    if message.voice:
        return FileInput(
            "voice", message.voice.file_id, message.voice.mime_type, message.voice.file_size
        )
    if message.audio:
        audio = message.audio
        return FileInput("audio", audio.file_id, audio.mime_type, audio.file_size, audio.file_name)
    video = message.video or message.video_note
    assert video is not None
    return FileInput("video", video.file_id, getattr(video, "mime_type", None), video.file_size)


async def _feed(message: Message, turn: Turn, given: Input) -> None:
    if turn.under_way is not None:
        await turn.answer(message, turn.under_way, given)
        return
    person = turn.person
    waiting = await information.open_questions(turn.session, person) if person else []
    if waiting and not isinstance(given, CommandInput):
        # Most likely the answer to a validator's question, typed without tapping "Responder".
        oldest = waiting[0]
        await message.answer(
            _(
                "A validator is waiting for your answer to: “{question}”. Tap “Answer” and write "
                "it again, or send photos or documents.",
                question=oldest.question or "…",
            ),
            reply_markup=InlineKeyboardMarkup.model_validate(
                messages.information_buttons(current_language(), oldest.request_id)
            ),
        )
        return
    await message.answer(_nothing_under_way(person, given))


def _nothing_under_way(person: Person | None, given: Input) -> str:
    if person is None:
        return _(
            "This bot is used by invitation of your anticorruption secretariat. "
            "Open the invitation link you received, or ask your coordinator for one."
        )
    if isinstance(given, CommandInput) and given.command == "cancel":
        return _("There is nothing to cancel.")
    return _(
        "You have no survey under way. See your pending ones with /encuestas, "
        "or everything you can do with /ayuda."
    )


def _ended(person: Person | None) -> str:
    if person is None:
        return _(
            "That conversation has ended and nothing of it was kept. To join, open your "
            "invitation link again."
        )
    return _("That conversation has already ended.")


async def press(
    callback: CallbackQuery, button: ChoiceButton | NavigationButton, turn: Turn
) -> None:
    """A button of a question: acted on only if it is the presser's and the question's now."""
    user: User = callback.from_user
    response = await turn.session.get(ResponseSession, button.session_id, with_for_update=True)
    if response is None:
        # Removed at its end: a joining declined or cancelled, an anonymous survey left.
        await callback.answer(_ended(turn.person), show_alert=True)
        return
    if not conversation.owns(response, turn.person, user):
        await callback.answer(_("This button is not for you."), show_alert=True)
        return
    if response.status != ResponseStatus.ACTIVE:
        await callback.answer(_("That conversation has already ended."), show_alert=True)
        return
    if button.step != response.step:
        # The question it answered was saved, and its reply may never have come (a crash between
        # the two): the question of now is sent again rather than pointed at.
        await callback.answer(
            _("That button belongs to an earlier question. Here is the current one.")
        )
        await turn.ask(callback, response)
        return
    shown = await responses.current_step(turn.session, turn.catalog, response)
    if isinstance(button, NavigationButton):
        given: Input = CommandInput(NAVIGATION[button.move])
    elif button.index < len(shown.choices):
        given = ChoiceInput(shown.choices[button.index].id)
    else:
        await callback.answer(_("This button is not for you."), show_alert=True)
        return
    await turn.answer(callback, response, given, shown)
