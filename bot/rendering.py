"""Engine steps as Telegram messages: text split to fit, and keyboards of short opaque ids.

Buttons never carry what they mean, only where they were shown: a ``ChoiceButton``, the n-th
choice of the session's step, or a ``NavigationButton`` for back, skip and done. The handler
checks the owner, the session and the step before acting on one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from conversations.answers import normalize
from conversations.engine.steps import Step
from core.buttons import ChoiceButton, Move, NavigationButton
from i18n import LANGUAGES, N_, gettext, texts

TEXT_LIMIT = 4096
BUTTON_LABEL_LIMIT = 48
ROW_LIMIT = 8  # Telegram shows at most eight buttons side by side
# The characters a phone 360 px wide shows across one row of buttons, with each button's margin.
ROW_WIDTH = 34
BUTTON_MARGIN = 4
CHECK = "✓"
# What a NavigationButton's move means.
NAVIGATION: dict[Move, str] = {"b": "back", "s": "skip", "d": "done"}
MOVES: dict[str, Move] = {command: move for move, command in NAVIGATION.items()}
NAVIGATION_LABELS = {"back": N_("Back"), "skip": N_("Skip"), "done": N_("Done")}
# "Done" on a question come back to, before anything changed: it keeps the answer given.
KEEP = N_("Keep")
# "repeat": "Add another?" after an instance, answered yes or no.
ONE_ROW_KINDS = {"yes_no", "consent", "rating", "acknowledge", "repeat"}

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


@dataclass(frozen=True)
class Rendered:
    """The messages of one step; the keyboard goes with the last one."""

    texts: list[str]
    markup: Markup = None

    @property
    def chunks(self) -> list[tuple[str, Markup]]:
        last = len(self.texts) - 1
        return [(text, self.markup if n == last else None) for n, text in enumerate(self.texts)]


@dataclass
class _Keyboard:
    rows: list[list[InlineKeyboardButton]] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(inline_keyboard=self.rows) if self.rows else None


def split_text(text: str) -> list[str]:
    """Pieces of at most a message's length, cut at paragraph, line or word boundaries."""
    return texts.split_text(text, TEXT_LIMIT)


def shorten(label: str, limit: int = BUTTON_LABEL_LIMIT) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def navigation_word(text: str) -> str | None:
    """ "Atrás", "Omitir" or "Listo" typed (or sent by a reply keyboard) as a command."""
    return _navigation_words().get(normalize(text))


@cache
def _navigation_words() -> dict[str, str]:
    # Every typed answer is looked up here: the labels are normalized once, in every language.
    return {
        normalize(gettext(language, label)): command
        for command, label in [*NAVIGATION_LABELS.items(), ("done", KEEP)]
        for language in LANGUAGES
    }


def navigation_label(step: Step, command: str) -> str:
    """The label of a navigation button on the step: "Done" keeps an answer unchanged."""
    label = KEEP if command == "done" and step.keeps else NAVIGATION_LABELS[command]
    return gettext(step.language, label)


def _navigation(step: Step) -> list[str]:
    """The navigation commands the step offers, in the order of their buttons."""
    offered = (("back", step.can_back), ("skip", step.can_skip), ("done", step.can_done))
    return [command for command, allowed in offered if allowed]


def _choice_label(step: Step, index: int) -> str:
    choice = step.choices[index]
    if step.kind == "rating":
        return choice.id
    if step.kind == "multiple_choice":
        mark = f"{CHECK} " if choice.selected else ""
        return shorten(f"{mark}{choice.label}")
    if step.kind in ONE_ROW_KINDS:
        return shorten(choice.label)
    return shorten(f"{choice.number}. {choice.label}")


def _text(step: Step) -> str:
    lines = [step.prompt()]
    language = step.language
    if step.kind == "rating":
        ends = [choice.label for choice in step.choices if choice.label != choice.id]
        if ends:
            lines.append(" · ".join(ends))
    elif step.kind in ("single_choice", "multiple_choice", "ranking") and step.choices:
        lines.append("\n".join(f"{choice.number}. {choice.label}" for choice in step.choices))
    if step.kind == "multiple_choice":
        lines.append(gettext(language, "Tap the options you choose, then “Done”."))
    elif step.kind == "ranking":
        lines.append(gettext(language, "Tap the options in order of importance."))
    elif step.expects == "location":
        lines.append(gettext(language, "Share your location with the button below."))
    elif (step.expects == "file" or step.kind == "long_answer") and step.can_done:
        lines.append(gettext(language, "When you have sent everything, tap “Done”."))
    if step.keeps:
        lines.append(gettext(language, "Tap “Keep” to leave your answer as it is."))
    if step.total > 1 and step.kind != "end":
        lines[0] = f"({step.progress}/{step.total})\n{lines[0]}"
    return "\n\n".join(line for line in lines if line)


def _location_keyboard(step: Step) -> ReplyKeyboardMarkup:
    language = step.language
    share = KeyboardButton(text=gettext(language, "📍 Share my location"), request_location=True)
    navigation = [
        KeyboardButton(text=navigation_label(step, command))
        for command in _navigation(step)
        if command != "done" or step.keeps
    ]
    rows = [[share], navigation] if navigation else [[share]]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)


def render_step(step: Step, session_id: int, step_number: int) -> Rendered:
    """The question (or closing) of ``step`` and its keyboard."""
    if step.kind == "end":
        return Rendered(split_text("\n\n".join([*step.notes, step.text])))
    texts = split_text(_text(step))
    if step.expects == "location":
        return Rendered(texts, _location_keyboard(step))
    keyboard = _Keyboard()
    buttons = [
        InlineKeyboardButton(
            text=_choice_label(step, index),
            callback_data=ChoiceButton(session_id, step_number, index).pack(),
        )
        for index in range(len(step.choices))
    ]
    if step.kind == "rating":
        # A scale of up to eight points fits one row; 0-10 goes on two.
        width = ROW_LIMIT if len(buttons) <= ROW_LIMIT else 6
        keyboard.rows.extend(buttons[i : i + width] for i in range(0, len(buttons), width))
    elif step.kind in ONE_ROW_KINDS and _fit_side_by_side(buttons):
        keyboard.rows.append(buttons)
    else:
        keyboard.rows.extend([button] for button in buttons)
    navigation = [
        InlineKeyboardButton(
            text=navigation_label(step, command),
            callback_data=NavigationButton(session_id, step_number, MOVES[command]).pack(),
        )
        for command in _navigation(step)
    ]
    if navigation:
        keyboard.rows.append(navigation)
    return Rendered(texts, keyboard.markup())


def _fit_side_by_side(buttons: list[InlineKeyboardButton]) -> bool:
    """Whether the labels are read whole on one row; else each takes the width of its own."""
    return sum(len(button.text) + BUTTON_MARGIN for button in buttons) <= ROW_WIDTH


def answered_text(shown: str, value: str) -> str:
    """A question message as it stays once answered by a button: the choice shown under it."""
    marker = f"\n\n{CHECK} {value}"
    return shown[: TEXT_LIMIT - len(marker)] + marker
