"""What an inline button carries: each payload declared once, for whoever writes the button and
for the handler that reads it back.

A payload is a frozen dataclass with a unique ``prefix``; ``pack()`` writes the prefix and its
fields separated by colons (``task:12:report``), ``unpack()`` reads them back. Telegram returns
whatever a client sends, so ``unpack`` trusts nothing: it gives None unless the text is exactly
what ``pack`` writes for valid fields, and a forged or stale button then matches no handler.
Buttons carry only where to look (ids) and what was pressed; the services check that the
presser may press it.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, ClassVar, Literal, Self, get_args, get_origin, get_type_hints

CALLBACK_DATA_LIMIT = 64  # bytes: Telegram refuses a button whose callback data is longer
SEPARATOR = ":"
LARGEST_ID = 2**31 - 1  # the database's integer columns hold no more


class Button:
    """A button payload; subclasses are frozen dataclasses of ``int`` and ``Literal`` fields."""

    prefix: ClassVar[str]
    # Per field, in order: None for a number, else the words it may be.
    _fields: ClassVar[tuple[tuple[str, frozenset[str] | None], ...]]
    registry: ClassVar[dict[str, type[Button]]] = {}

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is None:
            return  # fields that kinds of button share, not a kind of its own
        if SEPARATOR in prefix or prefix in Button.registry:
            raise TypeError(f"button prefix {prefix!r} is taken or has a {SEPARATOR!r}")
        cls.prefix = prefix
        Button.registry[prefix] = cls

    @classmethod
    def _layout(cls) -> tuple[tuple[str, frozenset[str] | None], ...]:
        # Read once from the annotations, which exist only once the dataclass is made.
        if "_fields" not in cls.__dict__:
            hints = get_type_hints(cls)
            layout: list[tuple[str, frozenset[str] | None]] = []
            for field in dataclasses.fields(cls):  # type: ignore[arg-type]
                kind = hints[field.name]
                if kind is int:
                    layout.append((field.name, None))
                elif get_origin(kind) is Literal:
                    layout.append((field.name, frozenset(map(str, get_args(kind)))))
                else:
                    raise TypeError(f"{cls.__name__}.{field.name}: a button holds int or Literal")
            cls._fields = tuple(layout)
        return cls._fields

    def pack(self) -> str:
        """The callback data of this button; ValueError if Telegram would refuse it."""
        parts = [self.prefix]
        for name, words in self._layout():
            value = getattr(self, name)
            if not (_is_number(value) if words is None else value in words):
                raise ValueError(f"{type(self).__name__}.{name} cannot be {value!r}")
            parts.append(str(value))
        data = SEPARATOR.join(parts)
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
        return data

    def keyboard(self, text: str) -> dict[str, Any]:
        """An inline keyboard of this one button labelled ``text``, as the Bot API takes it (and
        the outbox keeps it)."""
        return {"inline_keyboard": [[{"text": text, "callback_data": self.pack()}]]}

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The payload written in ``data``, or None when it is not exactly one of this kind."""
        if not data or len(data) > CALLBACK_DATA_LIMIT:
            return None
        prefix, *parts = data.split(SEPARATOR)
        layout = cls._layout()
        if prefix != cls.prefix or len(parts) != len(layout):
            return None
        values: dict[str, int | str] = {}
        for text, (name, words) in zip(parts, layout, strict=True):
            if words is None:
                number = _number(text)
                if number is None:
                    return None
                values[name] = number
            elif text in words:
                values[name] = text
            else:
                return None
        return cls(**values)


def _is_number(value: object) -> bool:
    return type(value) is int and 0 <= value <= LARGEST_ID


def _number(text: str) -> int | None:
    # ASCII digits as pack writes them: no sign, no spaces, no leading zero, no other numerals.
    if not (text.isascii() and text.isdigit()) or (text[0] == "0" and len(text) > 1):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


TaskAction = Literal["report", "done", "help"]


@dataclasses.dataclass(frozen=True)
class TaskButton(Button, prefix="task"):
    """A reminder's or /tareas' button: report progress on a task, finish it, or ask for help."""

    task_id: int
    action: TaskAction


@dataclasses.dataclass(frozen=True)
class MeasureButton(Button, prefix="measure"):
    """A reminder's or /indicadores' button: report an indicator's value for the period that
    ends on the day ``period`` (written as the number YYYYMMDD)."""

    indicator_id: int
    period: int

    @classmethod
    def of(cls, indicator_id: int, ends_on: date) -> MeasureButton:
        return cls(indicator_id, int(ends_on.strftime("%Y%m%d")))

    @property
    def period_end(self) -> date | None:
        """The day it names, or None when the number is no day at all."""
        try:
            return datetime.strptime(str(self.period), "%Y%m%d").date()
        except ValueError:
            return None


@dataclasses.dataclass(frozen=True)
class EndAbsenceButton(Button, prefix="absence"):
    """A /ausente button: the presser's absence ends today, or is dropped."""

    verb: Literal["end"]
    absence_id: int


VoteAction = Literal["confirm", "dispute", "needs_info", "decline", "evidence"]


@dataclasses.dataclass(frozen=True)
class VoteButton(Button, prefix="val"):
    """A validator's answer to a validation request, or a look at its evidence."""

    assignment_id: int
    action: VoteAction


@dataclasses.dataclass(frozen=True)
class NoCommentButton(Button, prefix="vnc"):
    """Under a vote's acknowledgement: no comment follows, the next message is not one."""

    assignment_id: int


@dataclasses.dataclass(frozen=True)
class CommentConsentButton(Button, prefix="vpub"):
    """Under a saved comment: whether the validator lets it be published without their name."""

    assignment_id: int
    answer: Literal["yes", "no"]


@dataclasses.dataclass(frozen=True)
class InformationButton(Button, prefix="vinfo"):
    """Under a validator's question to the reporter: pressed, the next message answers it."""

    request_id: int


@dataclasses.dataclass(frozen=True)
class StartCampaignButton(Button, prefix="p"):
    """Starts (or continues) a campaign's conversation."""

    campaign_id: int


@dataclasses.dataclass(frozen=True)
class ResumeButton(Button, prefix="r"):
    """Continues a conversation left under way."""

    response_id: int


@dataclasses.dataclass(frozen=True)
class QuestionButton(Button):
    """Under a question, as shown at a session's step: only that step of that session takes it."""

    session_id: int
    step: int


@dataclasses.dataclass(frozen=True)
class ChoiceButton(QuestionButton, prefix="a"):
    """The n-th choice of the question."""

    index: int


Move = Literal["b", "s", "d"]


@dataclasses.dataclass(frozen=True)
class NavigationButton(QuestionButton, prefix="k"):
    """Back, skip or done."""

    move: Move


@dataclasses.dataclass(frozen=True)
class LanguageButton(Button, prefix="l"):
    """/idioma: the language chosen."""

    language: Literal["es", "en"]


@dataclasses.dataclass(frozen=True)
class ErasureButton(Button, prefix="e"):
    """/borrar_mis_datos: the answer to "erase my data?"."""

    answer: Literal["yes", "no"]


@dataclasses.dataclass(frozen=True)
class ToolboxButton(Button, prefix="tb"):
    """/herramientas: a section of a chapter of the manual, by their places in it (a chapter's
    id is a word, and the manual may have changed since: the handler checks both)."""

    chapter: int
    section: int


@dataclasses.dataclass(frozen=True)
class ToolboxContentsButton(Button, prefix="tbc"):
    """Under a chapter of the manual: back to its contents."""


@dataclasses.dataclass(frozen=True)
class RsvpButton(Button, prefix="rsvp"):
    """Under a meeting's invitation, change, reminder or /sesiones: the presser's answer; the
    handler checks they are invited."""

    meeting_id: int
    answer: Literal["yes", "no", "maybe"]


@dataclasses.dataclass(frozen=True)
class InterviewNotesButton(Button, prefix="inotes"):
    """Under the message sent to an interviewer at an interview's start: opens their notes;
    the service checks the presser is its interviewer."""

    interview_id: int
