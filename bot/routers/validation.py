"""Validating reports in chat, and answering a validator's question.

A validator presses "Confirmo", "No confirmo" or "Necesito más información" under a request
(a ``VoteButton``: assignment and action); the service checks that the presser owns the
assignment, so a stale button is refused with a message and changes nothing (a forged one
matches no handler). The acknowledgement carries the answer buttons again (to change the vote
while the request is open); replying to it with text or a voice note adds the optional comment,
or the question of a validator who needs more information. The validator whose vote closes the
request is told the outcome instead.

The reporter answers a question by replying to the message that asked it (its
``InformationButton`` names the request) with text, photos or documents; the answer joins the
report's evidence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, FSInputFile, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import menu
from bot.conversation import Turn
from bot.evidence import download_and_store
from bot.filters import (
    TYPED_TEXT,
    Answers,
    BesidesTypedAnswers,
    Command,
    Magic,
    Pressed,
    Registered,
)
from bot.routers.surveys import file_input
from bot.translation import _, current_language
from core.buttons import (
    CommentConsentButton,
    InformationButton,
    NoCommentButton,
    VoteButton,
)
from core.chat import expected_text, report_drafts
from core.errors import InvalidInput
from core.infra.settings import Settings
from core.models import EvidenceKind, Person, VoteChoice, utcnow
from core.reporting import evidence
from core.reporting.evidence import EvidenceItem
from core.validation import messages, votes
from core.validation.information import ANSWER_IN_WORDS, answer_information
from core.validation.pool import pause_validator, resume_validator
from core.validation.subjects import TAKES_FILES, SubjectKind, subject_kind
from core.validation.votes import Forward, comment_vote
from i18n import N_

# What the bot says about a question, a comment or an answer, by what was validated.
QUESTION_PASSED_ON = {
    SubjectKind.REPORT: N_("Your question was passed on to the person who reported."),
    SubjectKind.MEASUREMENT: N_("Your question was passed on to whoever answers for the value."),
    SubjectKind.PRACTICE: N_("Your question was passed on to the secretariat's coordinators."),
}
# Comments are published on the pages of advances and practices; a value's page shows none.
PUBLISH_ASKED = {
    SubjectKind.REPORT: N_(
        "May we publish your comment on the advance's public page, without your name?"
    ),
    SubjectKind.PRACTICE: N_(
        "May we publish your comment on the practice's public page, without your name?"
    ),
}
PUBLISHED = {
    SubjectKind.REPORT: N_(
        "Your comment will appear on the advance's public page, without your name."
    ),
    SubjectKind.PRACTICE: N_(
        "Your comment will appear on the practice's public page, without your name."
    ),
}
WRITE_ANSWER = {
    SubjectKind.REPORT: N_(
        "Write your answer now, or send photos or documents: they join your report."
    ),
    SubjectKind.MEASUREMENT: N_(
        "Write your answer now, or send photos or documents: they join the value reported."
    ),
    SubjectKind.PRACTICE: N_("Write your answer now."),
}
ANSWERED = {
    SubjectKind.REPORT: N_(
        "Thank you: your answer was added to the report and the validators were asked again."
    ),
    SubjectKind.MEASUREMENT: N_(
        "Thank you: your answer was added to the value reported and the validators were asked "
        "again."
    ),
    SubjectKind.PRACTICE: N_("Thank you: the validators read your answer and were asked again."),
}

FORWARD = {
    EvidenceKind.PHOTO: "send_photo",
    EvidenceKind.DOCUMENT: "send_document",
    EvidenceKind.VOICE: "send_voice",
    EvidenceKind.VIDEO: "send_video",
}


def create_router() -> Router:
    router = Router(name="validation")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(pause, Command(*menu.PAUSE_VALIDATIONS.names), Registered())
    router.message.register(resume, Command(*menu.RESUME_VALIDATIONS.names), Registered())
    router.callback_query.register(press, Pressed(VoteButton), Registered())
    router.callback_query.register(ask_answer, Pressed(InformationButton), Registered())
    router.callback_query.register(no_comment, Pressed(NoCommentButton), Registered())
    router.callback_query.register(consent, Pressed(CommentConsentButton), Registered())
    router.message.register(comment, Answers(VoteButton), Magic(TYPED_TEXT | F.voice), Registered())
    router.message.register(
        answer_question,
        Answers(InformationButton),
        Magic(TYPED_TEXT | F.photo | F.document | F.voice | F.video),
        Registered(),
    )
    return router


async def pause(message: Message, turn: Turn, person: Person) -> None:
    done = _(
        "Done: you will not be asked to validate reports until you send /{command}. "
        "Requests you already received stay open for your answer.",
        command=menu.RESUME_VALIDATIONS.name(current_language()),
    )
    await _switch(message, turn, person, pause_validator, done)


async def resume(message: Message, turn: Turn, person: Person) -> None:
    done = _("Welcome back: you can be asked to validate reports again.")
    await _switch(message, turn, person, resume_validator, done)


async def _switch(
    message: Message,
    turn: Turn,
    person: Person,
    change: Callable[[AsyncSession, Person], Awaitable[object]],
    done: str,
) -> None:
    """Pause or resume the person as a validator, and say so (a refusal: see ``bot.errors``)."""
    await change(turn.session, person)
    await turn.reply(message, done)


async def press(
    callback: CallbackQuery,
    button: VoteButton,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    settings: Settings,
) -> None:
    pressed = await votes.press(session, person, button)
    if pressed.vote is not None and not pressed.closed:
        # The next message is the question or the comment, whatever else is under way.
        expected_text.expect(person, button, utcnow())
    await session.commit()
    chat_id = callback.from_user.id
    if pressed.action == messages.EVIDENCE:
        await callback.answer()
        for item in pressed.evidence:
            await _forward(bot, chat_id, item, settings)
        return
    if pressed.action == messages.DECLINE:
        await callback.answer()
        await bot.send_message(chat_id, _("Understood. Someone else will be asked instead."))
        return
    vote = pressed.vote
    assert vote is not None, "a press that is not evidence or decline is a vote"
    choice = messages.choice_label(person.language, vote.choice)
    await callback.answer(choice)
    if pressed.closed:  # nothing left to change: the outcome instead
        await bot.send_message(chat_id, pressed.closed)
        return
    keyboard = messages.vote_buttons(person.language, vote.assignment_id, choices_only=True)
    if vote.choice == VoteChoice.NEEDS_INFO:
        text = _(
            "Noted: {choice}. Now write what information you need: the person who reported "
            "will be asked for it.",
            choice=choice,
        )
    else:
        text = _(
            "Noted: {choice}. If you wish, write a comment now (text or voice note), or tap "
            "“No comment”. You can change your answer until the validation closes.",
            choice=choice,
        )
        no_comment = NoCommentButton(vote.assignment_id).pack()
        keyboard["inline_keyboard"].append([{"text": _("No comment"), "callback_data": no_comment}])
    await bot.send_message(
        chat_id, text, reply_markup=InlineKeyboardMarkup.model_validate(keyboard)
    )


async def _forward(bot: Bot, chat_id: int, item: Forward, settings: Settings) -> None:
    """Send the stored copy, uploaded: the file the reporter sent may carry their location,
    their camera or anything appended to it, and its Telegram file id would pass all that on."""
    method = FORWARD.get(EvidenceKind(item.kind))
    if method and item.stored_name:
        path = evidence.path_of(settings.evidence_dir, item.stored_name)
        if path.is_file():
            upload = FSInputFile(path, filename=item.stored_name)
            with contextlib.suppress(TelegramBadRequest):  # refused: said below
                await getattr(bot, method)(chat_id, upload, caption=item.caption)
                return
        await bot.send_message(chat_id, _("One piece of evidence could not be sent."))
    elif said := item.url or item.caption:
        await bot.send_message(chat_id, said)


async def comment(message: Message, replied: VoteButton, turn: Turn, person: Person) -> None:
    vote = await comment_vote(
        turn.session,
        person,
        replied.assignment_id,
        text=message.text,
        voice_file_id=message.voice.file_id if message.voice else None,
    )
    expected_text.received(person)
    kind = await subject_kind(turn.session, vote.request_id)
    if vote.choice == VoteChoice.NEEDS_INFO and message.text:
        said = _(QUESTION_PASSED_ON[kind])
    else:
        said = _("Your comment was saved with your answer.")
    # A voice note is never published (it carries a voice), nor a question to the reporter.
    if not vote.comment or vote.choice == VoteChoice.NEEDS_INFO or kind not in PUBLISH_ASKED:
        await turn.reply(message, said)
        await _go_on(message, turn)
        return
    asked = _(PUBLISH_ASKED[kind])
    answers = [
        {"text": _("Yes"), "callback_data": CommentConsentButton(vote.assignment_id, "yes").pack()},
        {"text": _("No"), "callback_data": CommentConsentButton(vote.assignment_id, "no").pack()},
    ]
    keyboard = InlineKeyboardMarkup.model_validate({"inline_keyboard": [answers]})
    await turn.reply(message, f"{said}\n\n{asked}", reply_markup=keyboard)


async def consent(callback: CallbackQuery, button: CommentConsentButton, turn: Turn) -> None:
    person = turn.person
    assert person is not None  # Registered
    publish = button.answer == "yes"
    vote = await votes.consent_to_publish(
        turn.session, person, button.assignment_id, publish=publish
    )
    kind = await subject_kind(turn.session, vote.request_id)
    if publish and kind in PUBLISHED:
        said = _(PUBLISHED[kind])
    else:
        said = _("Your comment stays private: only the secretariat reads it.")
    await _answer_press(callback, turn, said)


async def no_comment(callback: CallbackQuery, button: NoCommentButton, turn: Turn) -> None:
    person = turn.person
    assert person is not None  # Registered
    if expected_text.expected(person, VoteButton, utcnow()) is not None:
        expected_text.received(person)
    await _answer_press(callback, turn)


async def ask_answer(callback: CallbackQuery, button: InformationButton, turn: Turn) -> None:
    """The reporter's next message (text, photos or documents) answers the question."""
    person = turn.person
    assert person is not None  # Registered
    expected_text.expect(person, button, utcnow())
    kind = await subject_kind(turn.session, button.request_id)
    await turn.reply(callback, _(WRITE_ANSWER[kind]))


async def _answer_press(callback: CallbackQuery, turn: Turn, said: str | None = None) -> None:
    """Answer a press of the buttons under a vote's acknowledgement, take them away and go on
    with the conversation under way."""
    await turn.reply(callback, said)
    with contextlib.suppress(TelegramBadRequest):  # an old message may no longer be edited
        await callback.message.edit_reply_markup(reply_markup=None)  # type: ignore[union-attr]
    await _go_on(callback, turn)


async def _go_on(event: Message | CallbackQuery, turn: Turn) -> None:
    """What the text came ahead of goes on: the question of the conversation under way."""
    if turn.under_way is not None:
        await turn.ask(event, turn.under_way)


async def answer_question(
    message: Message, replied: InformationButton, turn: Turn, person: Person, settings: Settings
) -> None:
    kind = await subject_kind(turn.session, replied.request_id)
    files = kind in TAKES_FILES
    if not message.text and not files:
        raise InvalidInput(ANSWER_IN_WORDS, field="answer")
    items = [await _evidence(turn.bot, message, settings)] if not message.text else []
    await answer_information(
        turn.session,
        person,
        replied.request_id,
        text=message.text or message.caption,
        evidence=items,
    )
    expected_text.received(person)
    await turn.reply(message, _(ANSWERED[kind]))
    await _go_on(message, turn)


async def _evidence(bot: Bot, message: Message, settings: Settings) -> EvidenceItem:
    given = file_input(message)
    stored = await download_and_store(bot, given, settings)
    fields = report_drafts.stored_fields(stored, message.caption)
    return report_drafts.file_evidence(given.kind, given.file_id, fields)
