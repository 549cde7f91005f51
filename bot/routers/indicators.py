"""Indicators in chat: /indicadores, and the button that reports a period's value.

A ``MeasureButton`` (of /indicadores or of a reminder) carries an indicator id and the last day
of a period; both are only where to look: the presser must report that indicator in their own
secretariat, and the period must have begun, as the services check. The conversation that
follows is ``core.chat.measurement_reports``'; its evidence files are stored by the tasks
router, whose handler serves every report conversation.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation, menu
from bot.conversation import Turn
from bot.filters import BesidesTypedAnswers, Command, Pressed
from bot.rendering import Rendered, shorten, split_text
from bot.translation import _
from core.buttons import MeasureButton
from core.chat import measurement_reports, my_indicators
from core.chat.my_indicators import OwnIndicator
from core.models import Indicator, Measurement, Person
from core.notify.reminders import long_date
from core.people.people import local_today
from i18n import Number, Titled, date_span, ngettext

MAX_INDICATOR_BUTTONS = 40


def create_router() -> Router:
    router = Router(name="indicators")
    router.message.filter(BesidesTypedAnswers())
    router.message.register(
        list_indicators, Command(*menu.INDICATORS.names), menu.For(menu.INDICATORS)
    )
    router.callback_query.register(measure_button, Pressed(MeasureButton))
    return router


def value_of(measurement: Measurement, indicator: Indicator, language: str) -> str:
    """A value with its unit, as the language writes the number: "1,234.5 organizaciones"."""
    return f"{Number(measurement.value).in_language(language)} {indicator.unit}"


def indicator_line(own: OwnIndicator, language: str) -> str:
    indicator = own.indicator
    parts = [_("plan “{title}”", title=own.plan_title)]
    if own.last is not None and own.last_period is not None:
        parts.append(
            _(
                "last value {value} ({period})",
                value=value_of(own.last, indicator, language),
                period=date_span(own.last_period.starts_on, own.last_period.ends_on, language),
            )
        )
    if own.missing:
        latest = own.missing[-1]
        parts.append(
            ngettext(
                language,
                "{n} period without a value, {period}",
                "{n} periods without a value, the latest {period}",
                len(own.missing),
                period=date_span(latest.starts_on, latest.ends_on, language),
            )
        )
    elif own.under_way is not None:
        due = own.under_way.due_on(own.grace_days)
        parts.append(_("next value due {date}", date=long_date(due, language)))
    name = Titled(indicator.name).in_language(language)
    return f"• {name} — " + "; ".join(parts)


def _button(own: OwnIndicator, language: str) -> InlineKeyboardButton | None:
    """Report the latest period without a value; with none, correct the latest value. The
    period comes first: a long name is cut short on the button."""
    name = own.indicator.name
    if own.missing:
        period, label = own.missing[-1], _("Report {period}: {indicator}")
    elif own.last_period is not None:
        period, label = own.last_period, _("Correct {period}: {indicator}")
    else:
        return None
    span = date_span(period.starts_on, period.ends_on, language)
    return InlineKeyboardButton(
        text=shorten(label.format(indicator=name, period=span)),
        callback_data=MeasureButton.of(own.indicator.id, period.ends_on).pack(),
    )


async def list_indicators(
    message: Message, bot: Bot, session: AsyncSession, person: Person
) -> None:
    language = person.language
    listed = await my_indicators.own_indicators(session, person, local_today(person))
    if not listed:
        await message.answer(_("You report no indicators."))
        return
    lines = [_("Your indicators:"), *(indicator_line(own, language) for own in listed)]
    buttons = [button for own in listed if (button := _button(own, language))]
    if buttons:
        lines.append(_("Tap one to report its value."))
    rows = [[button] for button in buttons[:MAX_INDICATOR_BUTTONS]]
    markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    await conversation.send_rendered(
        bot, message.chat.id, Rendered(split_text("\n".join(lines)), markup)
    )


def introduction(opened: measurement_reports.Opened, language: str) -> str:
    """What the bot says of the indicator and the period before the first question."""
    indicator, period = opened.indicator, opened.period
    lines = [
        _(
            "Indicator {indicator}: its value for {period}, in {unit}.",
            indicator=Titled(indicator.name),
            period=date_span(period.starts_on, period.ends_on, language),
            unit=indicator.unit,
        )
    ]
    if indicator.goal is not None:
        lines.append(
            _("Its goal: {goal} {unit}.", goal=Number(indicator.goal), unit=indicator.unit)
        )
    if indicator.means_of_verification:
        lines.append(
            _("Means of verification: {means}.", means=indicator.means_of_verification.rstrip("."))
        )
    if indicator.evidence_kinds:
        lines.append(
            _(
                "As evidence it takes {kinds}.",
                kinds=measurement_reports.accepted_kinds(indicator),
            )
        )
    if opened.corrected is not None:
        lines.append(
            _(
                "This period already has a value, {value}: what you send now corrects it, and "
                "the record keeps both.",
                value=value_of(opened.corrected, indicator, language),
            )
        )
    return "\n".join(lines)


async def measure_button(callback: CallbackQuery, button: MeasureButton, turn: Turn) -> None:
    person = turn.person
    period_end = button.period_end
    if person is None or period_end is None:
        await callback.answer(_("This button is not for you."), show_alert=True)
        return
    opened = await measurement_reports.begin(
        turn.session, turn.catalog, person, button.indicator_id, period_end
    )
    await turn.reply(callback, introduction(opened, person.language))
    await turn.ask(callback, opened.response)
