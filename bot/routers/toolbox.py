"""``/herramientas`` (``/toolbox``): the methodology manual, read in chat.

The command lists the chapters as buttons. A chapter is read a section at a time with “Next”;
its last section ends with what the chapter asks to do: start the survey, when the person has
it pending; download the file from the public site; or send a command. Buttons carry only the
chapter's and the section's places in the manual: one the manual no longer has (a stale or
forged button) gets a short answer, nothing else.
"""

from __future__ import annotations

from html import escape

from aiogram import Bot, Router
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot import menu
from bot.conversation import finish_press
from bot.filters import Command, Pressed, Registered
from bot.rendering import TEXT_LIMIT, shorten
from bot.translation import _, current_language
from core.buttons import StartCampaignButton, ToolboxButton, ToolboxContentsButton
from core.chat import campaigns
from core.infra.settings import Settings
from core.models import Person
from core.toolbox.chat import section_messages
from core.toolbox.manual import STEPS, Action, Chapter, Manual

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def create_router() -> Router:
    router = Router(name="toolbox")
    router.message.register(contents, Command(*menu.TOOLBOX.names), Registered())
    router.callback_query.register(back_to_contents, Pressed(ToolboxContentsButton), Registered())
    router.callback_query.register(section, Pressed(ToolboxButton), Registered())
    return router


def _contents(toolbox: Manual) -> tuple[str, InlineKeyboardMarkup]:
    language = current_language()
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(_chapter_label(chapter, language)),
                callback_data=ToolboxButton(chapter.number, 0).pack(),
            )
        ]
        for chapter in toolbox.chapters
    ]
    text = _(
        "The toolbox: the manual of the methodology, from the problems to the annual plan. "
        "Which chapter do you want to read?"
    )
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def _chapter_label(chapter: Chapter, language: str) -> str:
    title = chapter.title[language]
    return f"{STEPS.index(chapter.step) + 1}. {title}" if chapter.step else title


async def contents(message: Message, toolbox: Manual) -> None:
    text, markup = _contents(toolbox)
    await message.answer(text, reply_markup=markup)


async def back_to_contents(callback: CallbackQuery, bot: Bot, toolbox: Manual) -> None:
    await finish_press(callback, None)  # the reading goes on in the next message
    text, markup = _contents(toolbox)
    await bot.send_message(callback.from_user.id, text, reply_markup=markup)


async def section(
    callback: CallbackQuery,
    button: ToolboxButton,
    bot: Bot,
    toolbox: Manual,
    person: Person,
    session: AsyncSession,
    settings: Settings,
) -> None:
    language = current_language()
    chapter = _found(toolbox, button, language)
    if chapter is None:
        await callback.answer(
            _(
                "That page of the manual is not there anymore. Send /{command} to see its "
                "contents.",
                command=menu.TOOLBOX.name(language),
            ),
            show_alert=True,
        )
        return
    await finish_press(callback, None)  # the reading goes on in the next message
    site = str(settings.public_base_url).rstrip("/") if settings.public_base_url else None
    texts = section_messages(chapter, language, button.section, TEXT_LIMIT, site)
    index = InlineKeyboardButton(text=_("Contents"), callback_data=ToolboxContentsButton().pack())
    rows = [[index]]
    if button.section + 1 < len(chapter.texts[language].sections):
        forward = ToolboxButton(chapter.number, button.section + 1).pack()
        rows[0].insert(0, InlineKeyboardButton(text=_("Next"), callback_data=forward))
    elif chapter.action is not None:
        said, start = await _action(chapter.action, person, session, site, language)
        if said:
            texts.append(escape(said, quote=False))
        if start:
            rows.insert(0, [start])
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    for number, text in enumerate(texts, start=1):
        await bot.send_message(
            callback.from_user.id,
            text,
            parse_mode="HTML",
            link_preview_options=NO_PREVIEW,
            reply_markup=markup if number == len(texts) else None,
        )


def _found(toolbox: Manual, button: ToolboxButton, language: str) -> Chapter | None:
    """The chapter the button names, if the manual has it and the section named."""
    if button.chapter >= len(toolbox.chapters):
        return None
    chapter = toolbox.chapters[button.chapter]
    return chapter if button.section < len(chapter.texts[language].sections) else None


async def _action(
    action: Action, person: Person, session: AsyncSession, site: str | None, language: str
) -> tuple[str | None, InlineKeyboardButton | None]:
    """What ends a chapter: a sentence to say, or a button that does it."""
    label = action.label[language]
    if action.kind == "survey":
        pending = await campaigns.pending_for(session, person)
        campaign = next((c for c in pending if c.definition_id == action.target), None)
        if campaign is not None:
            start = StartCampaignButton(campaign.id).pack()
            return None, InlineKeyboardButton(text=label, callback_data=start)
        return _(
            "“{label}”: your coordination launches this survey; when it is meant for you, it "
            "reaches you here, and /{command} lists it.",
            label=label,
            command=menu.SURVEYS.name(language),
        ), None
    if action.kind == "download":
        if site is None:
            return _("“{label}”: the file is in the toolbox of the public site.", label=label), None
        return None, InlineKeyboardButton(text=label, url=site + action.download_path)
    command = menu.named(action.target.removeprefix("/"))
    name = command.name(language) if command else action.target.removeprefix("/")
    return _("“{label}”: send /{command}.", label=label, command=name), None
