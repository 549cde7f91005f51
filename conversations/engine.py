"""The conversation engine: runs a definition one input at a time.

The caller (the Telegram bot, the terminal, tests) persists a plain ``SessionState`` after
every answer and turns what people send into inputs::

    engine = Engine(definition)
    state = engine.start("es", respondent={"sector": "academia"})
    step = engine.current(state)             # what to ask now
    outcome = engine.feed(state, TextInput("sí"))
    outcome.state                            # the new state: persist it
    outcome.error                            # translated refusal, or None
    outcome.step                             # what to ask next (or the closing step)
    outcome.finished, outcome.answers        # completion and the collected answers

API:

- ``Engine(definition, *, today=date.today)``; ``engine.start(language, respondent=None)
  -> SessionState``; ``engine.current(state) -> Step``; ``engine.feed(state, input) -> Outcome``;
  ``engine.collected(state) -> dict`` (answers of the questions that apply, computed values
  included, skipped ones as ``None``).
- ``SessionState``: pydantic model; ``state.to_json() -> dict`` (JSON-ready) and
  ``SessionState.from_json(dict | str | bytes)``. It holds the definition id and version,
  language, status (active, completed, cancelled, declined), the consent version given, the
  answers by question id, the "other, specify" texts, the current position and the draft of
  the answer being built (multiple-choice toggles, ranking picks, parts of a long answer,
  files). A state from an older version of the definition is brought up to date on use:
  answers to questions that still exist (with still-existing choices) are kept and the
  position is recomputed; if the consent text changed version, consent is asked again.
- Inputs: ``TextInput(text)``, ``ChoiceInput(choice_id)``, ``FileInput(kind, file_id,
  mime_type, size, name=None)`` with kind photo|document|voice|video|audio,
  ``LocationInput(latitude, longitude)``, ``CommandInput(command)`` with back|skip|cancel|done.
- ``Step``: ``kind`` (the question type, ``consent``, or ``end``), ``question_id``, ``text``,
  ``hint``, ``section``, ``notes``, ``choices`` (``ChoiceView``: id, number, label, selected),
  ``ranked`` (what a ranking ordered so far), ``minimum``/``maximum``, ``expects``
  (text|choice|choices|file|location|none), ``file_kinds``, ``can_skip``/``can_back``/
  ``can_done``, ``progress``/``total``, ``answer`` (the current answer when a question is
  revisited), ``collected`` (parts or files received so far), ``status`` and ``prompt()``
  (notes, section, text and hint as one message). ``cancel`` is always possible.
- ``Outcome``: ``state``, ``step``, ``error`` (None when accepted; also ``accepted``),
  ``finished`` (the session is no longer active) and ``answers`` (set on completion).
- A state of another definition is a programming error: ``ValueError``.

Behaviour:

- Notes only inform: they never wait. The texts of the notes that apply right before a
  question travel in that question's ``Step.notes`` (and the definition's description in the
  first step's), closing notes in the end step's; render them before the question.
- A refused input leaves the state untouched: ``Outcome.error`` says why, in the person's
  language, and ``Outcome.step`` is the same question again. Nothing here raises on input.
- Single choice, yes/no, rating and consent accept a button (``ChoiceInput``) or text: the
  choice's id, number or label, "sí"/"no". Choosing "other" asks for the text next.
- Multiple choice: each choice toggles (a text like "1, 3" toggles several; turning "other"
  on asks for its text at once); ``done`` ends it, checking min/max.
- Ranking: successive picks (or "2, 1, 3" at once) until the top N are ordered; when ranking
  all, the last one left is placed by itself. ``back`` undoes the last pick.
- Long answer: any number of text messages and voice notes or files until ``done``. In the
  questions built from several inputs, a message like "listo" or "done" counts as ``done``.
- File: files of the accepted kinds until ``done`` or the maximum number is reached.
- ``done`` on a question revisited with ``back`` keeps its answer and moves on; ``skip``
  records ``None`` when the question is optional; ``cancel`` ends the session. After an answer
  the engine moves to the first question that applies and has no answer yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_decimal
from pydantic import BaseModel, ConfigDict, Field

from conversations import answers as read
from conversations.answers import Refused
from conversations.definition import (
    DEFAULT_MAX_SIZE,
    OTHER_CHOICE,
    Definition,
    Question,
    localize,
)
from i18n import N_, gettext, locale_of, ngettext, pick_language

CONSENT = "@consent"
Status = Literal["active", "completed", "cancelled", "declined"]
Expects = Literal["text", "choice", "choices", "file", "location", "none"]
COMMANDS = ("back", "skip", "cancel", "done")
DEFAULT_MAX_LENGTH = 4096
MAX_PARTS = 50
OTHER_MAX_LENGTH = 500
FILE_KIND_NAMES = {
    "photo": N_("photo"),
    "document": N_("document"),
    "voice": N_("voice note"),
    "video": N_("video"),
    "audio": N_("audio"),
}
DEFAULT_FILE_KINDS = ["photo", "document"]
LONG_ANSWER_KINDS = ["voice", "audio", "document", "photo", "video"]


# Inputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextInput:
    text: str


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    choice_id: str


@dataclass(frozen=True, slots=True)
class FileInput:
    kind: str
    file_id: str
    mime_type: str | None
    size: int | None
    name: str | None = None

    def as_answer(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_id": self.file_id,
            "mime_type": self.mime_type,
            "size": self.size,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True)
class LocationInput:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CommandInput:
    command: str


Input = TextInput | ChoiceInput | FileInput | LocationInput | CommandInput


# State, steps, outcomes --------------------------------------------------------------------


class SessionState(BaseModel):
    """One person's progress through one definition; plain JSON when dumped."""

    model_config = ConfigDict(extra="ignore")

    definition_id: str
    definition_version: int
    language: str
    status: Status = "active"
    consent: str | None = None
    position: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    others: dict[str, str] = Field(default_factory=dict)
    draft: dict[str, Any] = Field(default_factory=dict)
    respondent: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | bytes) -> SessionState:
        if isinstance(data, str | bytes):
            return cls.model_validate_json(data)
        return cls.model_validate(data)


class ChoiceView(BaseModel):
    id: str
    number: int
    label: str
    selected: bool = False


class Step(BaseModel):
    """Everything a renderer needs to ask the current question (or close the session)."""

    kind: str
    language: str
    question_id: str | None = None
    text: str = ""
    hint: str | None = None
    section: str | None = None
    notes: list[str] = Field(default_factory=list)
    choices: list[ChoiceView] = Field(default_factory=list)
    ranked: list[ChoiceView] = Field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    expects: Expects = "none"
    file_kinds: list[str] = Field(default_factory=list)
    can_skip: bool = False
    can_back: bool = False
    can_done: bool = False
    progress: int = 0
    total: int = 0
    answer: Any = None
    collected: int = 0
    status: Status = "active"

    def prompt(self) -> str:
        """Notes, section, question and hint, with what was collected so far."""
        lines = [*self.notes]
        if self.section:
            lines.append(self.section)
        if self.text:
            lines.append(self.text)
        if self.hint:
            lines.append(self.hint)
        if self.ranked:
            ranked = ", ".join(f"{n}. {choice.label}" for n, choice in enumerate(self.ranked, 1))
            lines.append(gettext(self.language, "Your order so far: {ranked}", ranked=ranked))
        if self.collected:
            lines.append(
                ngettext(
                    self.language,
                    "Received so far: {n} message or file.",
                    "Received so far: {n} messages or files.",
                    self.collected,
                )
            )
        return "\n\n".join(lines)


class Outcome(BaseModel):
    state: SessionState
    step: Step
    error: str | None = None
    answers: dict[str, Any] | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None

    @property
    def finished(self) -> bool:
        return self.state.status != "active"


@dataclass(frozen=True, slots=True)
class _Answer:
    value: Any
    other: str | None = None


@dataclass(frozen=True, slots=True)
class _Draft:
    draft: dict[str, Any]


class Engine:
    def __init__(self, definition: Definition, *, today: Callable[[], date] = date.today) -> None:
        self.definition = definition
        self.today = today
        # Parsed once per engine: (question id, field) -> expression.
        self._expressions = {
            (question.id, field): question.expression(field)
            for question in definition.questions
            for field in ("relevant", "constraint", "calculation")
        }

    # Public API ----------------------------------------------------------------------------

    def start(self, language: str, respondent: dict[str, Any] | None = None) -> SessionState:
        definition = self.definition
        respondent = dict(respondent or {})
        if definition.anonymous:
            kept = set(definition.respondent_attributes)
            respondent = {key: value for key, value in respondent.items() if key in kept}
        json.dumps(respondent)  # the state must stay plain JSON
        state = SessionState(
            definition_id=definition.id,
            definition_version=definition.version,
            language=pick_language(language),
            respondent=respondent,
        )
        return self._advance(state)

    def current(self, state: SessionState) -> Step:
        return self._step(self._sync(state))

    def feed(self, state: SessionState, given: Input) -> Outcome:
        state = self._sync(state)
        language = state.language
        if state.status != "active":
            return self._refuse(state, gettext(language, "This conversation has already ended."))
        try:
            if isinstance(given, CommandInput) and given.command not in COMMANDS:
                raise Refused(gettext(language, "Unknown command."))
            if _is_command(given, "cancel"):
                return self._cancel(state)
            if state.position == CONSENT:
                return self._feed_consent(state, given)
            question = self.definition.question(state.position)
            if _is_command(given, "back"):
                return self._back(state, question)
            if _is_command(given, "skip"):
                if question.required:
                    raise Refused(
                        gettext(language, "This question needs an answer; it cannot be skipped.")
                    )
                return self._record(state, question, _Answer(None))
            if _is_command(given, "done") and not state.draft and question.id in state.answers:
                # Back on a question answered before: done keeps the answer and moves on.
                kept = _Answer(state.answers[question.id], state.others.get(question.id))
                return self._record(state, question, kept)
            result = self._accept(state, question, given)
            if isinstance(result, _Draft):
                following = state.model_copy(update={"draft": result.draft})
                return Outcome(state=following, step=self._step(following))
            self._check_constraint(state, question, result.value)
            return self._record(state, question, result)
        except Refused as refusal:
            return self._refuse(state, refusal.message)

    def collected(self, state: SessionState) -> dict[str, Any]:
        """The answers of the questions that apply (skipped ones as None, computed included)."""
        answers: dict[str, Any] = {}
        for question in self.definition.questions:
            if question.type == "note" or not self._relevant(question, state):
                continue
            if question.id in state.answers:
                answers[question.id] = state.answers[question.id]
        return answers

    # Navigation ----------------------------------------------------------------------------

    def _relevant(self, question: Question, state: SessionState) -> bool:
        expression = self._expressions[question.id, "relevant"]
        return expression is None or expression.holds(state.answers, today=self.today)

    def _sync(self, state: SessionState) -> SessionState:
        """A private copy of the state, brought up to this version of the definition."""
        definition = self.definition
        if state.definition_id != definition.id:
            raise ValueError(
                f"state of '{state.definition_id}' fed to the engine of '{definition.id}'"
            )
        # The engine replaces nested values instead of changing them in place, so copying
        # the top-level containers is enough to leave the caller's state untouched.
        state = state.model_copy(
            update={
                "answers": dict(state.answers),
                "others": dict(state.others),
                "draft": dict(state.draft),
            }
        )
        if state.definition_version != definition.version:
            state.answers = {
                qid: value
                for qid, value in state.answers.items()
                if definition.position(qid) is not None
                and _still_fits(definition.question(qid), value)
            }
            state.others = {qid: text for qid, text in state.others.items() if qid in state.answers}
            state.definition_version = definition.version
            state.draft = {}
            state.position = None
            if state.status == "active":
                return self._advance(state)
        if state.status == "active" and not self._valid_position(state.position):
            return self._advance(state)
        return state

    def _valid_position(self, position: str | None) -> bool:
        if position == CONSENT:
            return self.definition.consent is not None
        index = None if position is None else self.definition.position(position)
        return index is not None and self.definition.questions[index].asks

    def _advance(self, state: SessionState) -> SessionState:
        """Move to the first question that applies and has no answer; complete when none."""
        state.draft = {}
        consent = self.definition.consent
        if consent and state.consent != consent.version:
            state.position = CONSENT
            return state
        today = self.today
        for question in self.definition.questions:
            expression = self._expressions[question.id, "relevant"]
            if expression is not None and not expression.holds(state.answers, today=today):
                continue
            if question.type == "calculate":
                computed = self._expressions[question.id, "calculation"].evaluate(
                    state.answers, today=today
                )
                state.answers[question.id] = computed
            elif question.asks and question.id not in state.answers:
                state.position = question.id
                return state
        state.position = None
        state.status = "completed"
        # What was answered before a change made it not apply is not part of the result.
        state.answers = self.collected(state)
        state.others = {qid: text for qid, text in state.others.items() if qid in state.answers}
        return state

    def _asked_before(self, state: SessionState, index: int) -> Question | None:
        for question in reversed(self.definition.questions[:index]):
            if question.asks and self._relevant(question, state):
                return question
        return None

    def _back(self, state: SessionState, question: Question) -> Outcome:
        draft = state.draft
        if question.type == "ranking" and draft.get("ranked"):
            return self._with_draft(state, {"ranked": draft["ranked"][:-1]})
        if draft.get("other_pending"):
            selected = [choice for choice in draft.get("selected", []) if choice != OTHER_CHOICE]
            return self._with_draft(state, {**draft, "selected": selected, "other_pending": False})
        previous = self._asked_before(state, self.definition.position(question.id))
        if previous is None:
            raise Refused(gettext(state.language, "There is no earlier question to go back to."))
        state.position = previous.id
        state.draft = self._initial_draft(previous, state)
        return Outcome(state=state, step=self._step(state))

    def _initial_draft(self, question: Question, state: SessionState) -> dict[str, Any]:
        answer = state.answers.get(question.id)
        if question.type == "multiple_choice" and isinstance(answer, list):
            draft: dict[str, Any] = {"selected": list(answer)}
            if question.id in state.others:
                draft["other"] = state.others[question.id]
            return draft
        return {}

    def _with_draft(self, state: SessionState, draft: dict[str, Any]) -> Outcome:
        state.draft = draft
        return Outcome(state=state, step=self._step(state))

    def _cancel(self, state: SessionState) -> Outcome:
        state.status, state.position, state.draft = "cancelled", None, {}
        return Outcome(state=state, step=self._step(state))

    def _refuse(self, state: SessionState, message: str) -> Outcome:
        return Outcome(state=state, step=self._step(state), error=message)

    def _record(self, state: SessionState, question: Question, answer: _Answer) -> Outcome:
        state.answers[question.id] = answer.value
        if answer.other is not None:
            state.others[question.id] = answer.other
        else:
            state.others.pop(question.id, None)
        return self._moved_on(state)

    def _moved_on(self, state: SessionState) -> Outcome:
        self._advance(state)
        finished = state.status == "completed"
        answers = dict(state.answers) if finished else None
        return Outcome(state=state, step=self._step(state), answers=answers)

    def _check_constraint(self, state: SessionState, question: Question, value: Any) -> None:
        expression = self._expressions[question.id, "constraint"]
        if expression is None or value is None:
            return
        if not expression.holds(state.answers, value, today=self.today):
            message = localize(question.constraint_message, state.language)
            raise Refused(message or gettext(state.language, "This answer is not valid."))

    # Consent -------------------------------------------------------------------------------

    def _feed_consent(self, state: SessionState, given: Input) -> Outcome:
        language = state.language
        accepted = self._yes_no(given, self._step(state).choices, language) == "accept"
        if not accepted:
            state.status, state.position, state.draft = "declined", None, {}
            state.answers, state.others = {}, {}
            return Outcome(state=state, step=self._step(state))
        state.consent = self.definition.consent.version
        return self._moved_on(state)

    # Reading inputs per question type ------------------------------------------------------

    def _accept(self, state: SessionState, question: Question, given: Input) -> _Answer | _Draft:
        language = state.language
        kind = question.type
        if kind == "multiple_choice":
            return self._multiple_choice(state, question, given)
        if kind == "ranking":
            return self._ranking(state, question, given)
        if kind == "long_answer":
            return self._long_answer(state, question, given)
        if kind == "file":
            return self._files(state, question, given)
        if isinstance(given, CommandInput):  # only "done" reaches here
            raise Refused(
                gettext(language, "There is nothing to finish here: please answer the question.")
            )
        if kind == "single_choice":
            return self._single_choice(state, question, given)
        if kind == "yes_no":
            return _Answer(self._yes_no(given, self._choices(question, language), language))
        if kind == "rating":
            choices = self._choices(question, language)
            return _Answer(int(self._choice_of(given, choices, language)))
        if kind == "location":
            return self._location(given, language)
        text = given.text if isinstance(given, TextInput) else ""
        return _Answer(self._read_text(question, text, language))

    def _read_text(self, question: Question, text: str, language: str) -> Any:
        kind = question.type
        if kind in ("integer", "decimal"):
            number = read.read_number(text, language, integer=kind == "integer")
            self._check_range(number, question.min, question.max, language)
            return number
        if kind == "date":
            day = read.read_date(text, language, self.today()).isoformat()
            low, high = question.min, question.max
            if low is not None and day < str(low):
                shown = format_date(date.fromisoformat(str(low)), "long", locale_of(language))
                raise Refused(gettext(language, "The date must be {date} or later.", date=shown))
            if high is not None and day > str(high):
                shown = format_date(date.fromisoformat(str(high)), "long", locale_of(language))
                raise Refused(gettext(language, "The date must be {date} or earlier.", date=shown))
            return day
        if kind == "email":
            return read.read_email(text, language)
        if kind == "url":
            return read.read_url(text, language)
        if kind == "phone":
            return read.read_phone(text, language)
        return self._plain_text(text, question.max_length or DEFAULT_MAX_LENGTH, language)

    def _plain_text(self, text: str, limit: int, language: str) -> str:
        cleaned = text.strip()
        if not cleaned:
            raise Refused(gettext(language, "Please write your answer."))
        if len(cleaned) > limit:
            raise Refused(
                ngettext(
                    language,
                    "Your answer is too long: at most {max} character, and it has {length}.",
                    "Your answer is too long: at most {max} characters, and it has {length}.",
                    limit,
                    max=limit,
                    length=len(cleaned),
                )
            )
        return cleaned

    def _check_range(self, number: float, low: Any, high: Any, language: str) -> None:
        too_low = low is not None and number < low
        too_high = high is not None and number > high
        if not (too_low or too_high):
            return
        # Formatted only for the refusal: most numbers given are in range.
        locale = locale_of(language)
        shown_low = format_decimal(low, locale=locale) if low is not None else None
        shown_high = format_decimal(high, locale=locale) if high is not None else None
        if low is not None and high is not None:
            raise Refused(
                gettext(
                    language,
                    "Please answer with a number between {min} and {max}.",
                    min=shown_low,
                    max=shown_high,
                )
            )
        if too_low:
            raise Refused(gettext(language, "The number must be at least {min}.", min=shown_low))
        raise Refused(gettext(language, "The number must be at most {max}.", max=shown_high))

    def _location(self, given: Input, language: str) -> _Answer:
        if isinstance(given, LocationInput):
            latitude, longitude = given.latitude, given.longitude
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise Refused(gettext(language, "That location is not on Earth's map."))
        else:
            text = given.text if isinstance(given, TextInput) else ""
            latitude, longitude = read.read_location(text, language)
        return _Answer({"latitude": latitude, "longitude": longitude})

    def _choice_of(self, given: Input, choices: list[ChoiceView], language: str) -> str:
        ids = [choice.id for choice in choices]
        if isinstance(given, ChoiceInput) and given.choice_id in ids:
            return given.choice_id
        if isinstance(given, TextInput):
            found = read.match_choice(given.text, [(c.id, c.label) for c in choices])
            if found is not None:
                return found
        raise Refused(gettext(language, "Please choose one of the options."))

    def _yes_no(self, given: Input, choices: list[ChoiceView], language: str) -> str:
        """'yes' or 'no' (or the consent's 'accept'/'decline'), from a button or words."""
        if isinstance(given, TextInput):
            try:
                word = read.read_yes_no(given.text, language)
            except Refused:
                word = None
            if word is not None:
                return choices[0].id if word == "yes" else choices[1].id
        try:
            return self._choice_of(given, choices, language)
        except Refused:
            raise Refused(gettext(language, "Please answer yes or no.")) from None

    def _other_text(self, given: Input, language: str) -> str | None:
        if isinstance(given, TextInput):
            return self._plain_text(given.text, OTHER_MAX_LENGTH, language)
        return None

    def _single_choice(self, state: SessionState, question: Question, given: Input) -> Any:
        language = state.language
        if state.draft.get("other_pending") and not isinstance(given, ChoiceInput):
            other = self._other_text(given, language)
            if other is None:
                raise Refused(gettext(language, "Please write what the other option is."))
            return _Answer(OTHER_CHOICE, other)
        choice_id = self._choice_of(given, self._choices(question, language), language)
        if choice_id == OTHER_CHOICE:
            return _Draft({"other_pending": True})
        return _Answer(choice_id)

    def _multiple_choice(self, state: SessionState, question: Question, given: Input) -> Any:
        language = state.language
        draft = dict(state.draft)
        selected: list[str] = list(draft.get("selected", []))
        if draft.get("other_pending") and isinstance(given, TextInput):
            if read.is_done_word(given.text):
                raise Refused(gettext(language, "Please write what the other option is."))
            draft.update(other=self._other_text(given, language), other_pending=False)
            return _Draft(draft)
        if _is_done(given):
            return self._finish_selection(question, draft, selected, language)
        choices = self._choices(question, language)
        if isinstance(given, ChoiceInput):
            picked = [self._choice_of(given, choices, language)]
        elif isinstance(given, TextInput):
            pairs = [(choice.id, choice.label) for choice in choices]
            picked = _typed_choices(given.text, pairs)
            if not picked or None in picked:
                raise Refused(gettext(language, "Please choose one of the options."))
        else:
            raise Refused(gettext(language, "Please choose one of the options."))
        for choice_id in dict.fromkeys(picked):
            if choice_id in selected:
                selected.remove(choice_id)
                if choice_id == OTHER_CHOICE:
                    draft.pop("other", None)
                    draft["other_pending"] = False
            else:
                selected.append(choice_id)
                if choice_id == OTHER_CHOICE:
                    draft["other_pending"] = True
        _, high = question.bounds()
        if high is not None and len(selected) > high:
            raise Refused(
                ngettext(
                    language,
                    "You can choose at most {n} option.",
                    "You can choose at most {n} options.",
                    int(high),
                )
            )
        order = question.choice_ids()
        draft["selected"] = sorted(selected, key=order.index)
        return _Draft(draft)

    def _finish_selection(
        self, question: Question, draft: dict[str, Any], selected: list[str], language: str
    ) -> _Answer:
        low, high = question.bounds()
        if not selected and not question.required:
            return _Answer(None)
        if len(selected) < low or (high is not None and len(selected) > high):
            if high is not None and low != high:
                message = gettext(
                    language,
                    "Please choose between {min} and {max} options.",
                    min=int(low),
                    max=int(high),
                )
            else:
                message = ngettext(
                    language,
                    "Please choose at least {n} option.",
                    "Please choose at least {n} options.",
                    int(max(low, 1)),
                )
            raise Refused(message)
        if OTHER_CHOICE in selected and not draft.get("other"):
            raise Refused(gettext(language, "Please write what the other option is."))
        return _Answer(selected, draft.get("other") if OTHER_CHOICE in selected else None)

    def _ranking(self, state: SessionState, question: Question, given: Input) -> Any:
        language = state.language
        ranked: list[str] = list(state.draft.get("ranked", []))
        needed = question.bounds()[0]
        remaining = [c for c in self._choices(question, language) if c.id not in ranked]
        if _is_done(given):
            if not ranked and not question.required:
                return _Answer(None)
            raise Refused(
                ngettext(
                    language,
                    "Please choose {n} more option, in order of importance.",
                    "Please choose {n} more options, in order of importance.",
                    needed - len(ranked),
                )
            )
        if isinstance(given, ChoiceInput):
            picked = [self._choice_of(given, remaining, language)]
        elif isinstance(given, TextInput):
            pairs = [(choice.id, choice.label) for choice in remaining]
            picked = _typed_choices(given.text, pairs)
            if not picked or None in picked or len(set(picked)) != len(picked):
                raise Refused(gettext(language, "Please choose one of the remaining options."))
        else:
            raise Refused(gettext(language, "Please choose one of the remaining options."))
        ranked.extend(picked)
        if len(ranked) > needed:
            raise Refused(
                ngettext(
                    language,
                    "Only {n} option is ranked here.",
                    "Only the first {n} options are ranked here.",
                    needed,
                )
            )
        left = [choice_id for choice_id in question.choice_ids() if choice_id not in ranked]
        if len(left) == 1 and needed == len(ranked) + 1:
            ranked.append(left[0])
        if len(ranked) == needed:
            return _Answer(ranked)
        return _Draft({"ranked": ranked})

    def _long_answer(self, state: SessionState, question: Question, given: Input) -> Any:
        language = state.language
        parts: list[dict[str, Any]] = list(state.draft.get("parts", []))
        if _is_done(given):
            if parts:
                return _Answer(parts)
            if question.required:
                raise Refused(
                    gettext(language, "Please send your answer before saying you are done.")
                )
            return _Answer(None)
        if len(parts) >= MAX_PARTS:
            raise Refused(
                gettext(language, "That is as much as this answer holds: say you are done.")
            )
        if isinstance(given, TextInput):
            limit = question.max_length or DEFAULT_MAX_LENGTH
            parts.append({"kind": "text", "text": self._plain_text(given.text, limit, language)})
        elif isinstance(given, FileInput):
            self._check_file(given, question.kinds or LONG_ANSWER_KINDS, question, language)
            parts.append(given.as_answer())
        else:
            raise Refused(
                gettext(language, "Please answer with text or a voice note, then say you are done.")
            )
        return _Draft({"parts": parts})

    def _files(self, state: SessionState, question: Question, given: Input) -> Any:
        language = state.language
        files: list[dict[str, Any]] = list(state.draft.get("files", []))
        low, high = question.bounds()
        kinds = question.kinds or DEFAULT_FILE_KINDS
        if _is_done(given):
            if not files and not question.required:
                return _Answer(None)
            if len(files) < low:
                raise Refused(
                    ngettext(
                        language,
                        "Please send at least {n} file.",
                        "Please send at least {n} files.",
                        int(low),
                    )
                )
            return _Answer(files)
        if not isinstance(given, FileInput):
            raise Refused(self._kinds_message(kinds, language))
        self._check_file(given, kinds, question, language)
        files.append(given.as_answer())
        if len(files) >= high:
            return _Answer(files)
        return _Draft({"files": files})

    def _check_file(
        self, given: FileInput, kinds: list[str], question: Question, language: str
    ) -> None:
        if given.kind not in kinds or not given.file_id:
            raise Refused(self._kinds_message(kinds, language))
        limit = question.max_size or DEFAULT_MAX_SIZE
        if given.size is not None and given.size > limit:
            megabytes = format_decimal(round(limit / 1024 / 1024, 1), locale=locale_of(language))
            raise Refused(
                gettext(language, "This file is too large: the limit is {size} MB.", size=megabytes)
            )

    def _kinds_message(self, kinds: list[str], language: str) -> str:
        names = ", ".join(gettext(language, FILE_KIND_NAMES[kind]) for kind in kinds)
        return gettext(language, "Please send a file of one of these kinds: {kinds}.", kinds=names)

    # Steps ---------------------------------------------------------------------------------

    def _choices(self, question: Question, language: str) -> list[ChoiceView]:
        kind = question.type
        if kind == "yes_no":
            labels = [("yes", gettext(language, "Yes")), ("no", gettext(language, "No"))]
        elif kind == "rating":
            low, high = question.bounds()
            labels = []
            for value in range(int(low), int(high) + 1):
                label = str(value)
                if value == low and question.min_label:
                    label = f"{value} — {localize(question.min_label, language)}"
                elif value == high and question.max_label:
                    label = f"{value} — {localize(question.max_label, language)}"
                labels.append((str(value), label))
        else:
            labels = [(c.id, localize(c.label, language)) for c in question.choices or ()]
            if question.other:
                labels.append((OTHER_CHOICE, gettext(language, "Other (please specify)")))
        return [
            ChoiceView(id=choice_id, number=number, label=label)
            for number, (choice_id, label) in enumerate(labels, 1)
        ]

    def _notes_before(self, index: int, state: SessionState) -> list[str]:
        notes: list[str] = []
        position = index - 1
        while position >= 0 and not self.definition.questions[position].asks:
            question = self.definition.questions[position]
            if question.type == "note" and self._relevant(question, state):
                notes.insert(0, localize(question.text, state.language))
            position -= 1
        if position < 0 and not self.definition.consent and self.definition.description:
            notes.insert(0, localize(self.definition.description, state.language))
        return notes

    def _progress(self, state: SessionState, index: int) -> tuple[int, int]:
        asked = [
            position
            for position, question in enumerate(self.definition.questions)
            if question.asks and self._relevant(question, state)
        ]
        return sum(1 for position in asked if position < index) + 1, len(asked)

    def _step(self, state: SessionState) -> Step:
        language = state.language
        definition = self.definition
        if state.status != "active":
            return self._end_step(state)
        if state.position == CONSENT:
            notes = [localize(definition.description, language)] if definition.description else []
            return Step(
                kind="consent",
                language=language,
                text=localize(definition.consent.text, language),
                notes=notes,
                choices=[
                    ChoiceView(id="accept", number=1, label=gettext(language, "I agree")),
                    ChoiceView(id="decline", number=2, label=gettext(language, "I do not agree")),
                ],
                expects="choice",
            )
        question = definition.question(state.position)
        index = definition.position(question.id)
        progress, total = self._progress(state, index)
        draft = state.draft
        choices = self._choices(question, language) if question.type in _CHOICE_STEPS else []
        ranked: list[ChoiceView] = []
        expects: Expects = _EXPECTS[question.type]
        low, high = question.bounds()
        if question.type == "multiple_choice":
            selected = set(draft.get("selected", []))
            choices = [c.model_copy(update={"selected": c.id in selected}) for c in choices]
        if question.type == "ranking":
            picked = draft.get("ranked", [])
            by_id = {choice.id: choice for choice in choices}
            ranked = [by_id[choice_id] for choice_id in picked if choice_id in by_id]
            remaining = [choice for choice in choices if choice.id not in picked]
            choices = [c.model_copy(update={"number": n}) for n, c in enumerate(remaining, 1)]
        text = localize(question.text, language)
        if draft.get("other_pending"):
            expects = "text"
            text = gettext(language, "Please write what the other option is.")
        if question.type in ("text", "long_answer"):
            high = question.max_length or DEFAULT_MAX_LENGTH
        file_kinds: list[str] = []
        if question.type == "file":
            file_kinds = question.kinds or DEFAULT_FILE_KINDS
        elif question.type == "long_answer":
            file_kinds = question.kinds or LONG_ANSWER_KINDS
        revisited = question.id in state.answers
        multi_part = question.type in ("multiple_choice", "ranking", "long_answer", "file")
        previous = self._asked_before(state, index)
        return Step(
            kind=question.type,
            language=language,
            question_id=question.id,
            text=text,
            hint=localize(question.hint, language) or None,
            section=localize(question.section, language) or None,
            notes=self._notes_before(index, state),
            choices=choices,
            ranked=ranked,
            minimum=low,
            maximum=high,
            expects=expects,
            file_kinds=file_kinds,
            can_skip=not question.required,
            can_back=previous is not None
            or bool(draft.get("ranked") or draft.get("other_pending")),
            can_done=(multi_part and question.type != "ranking") or revisited,
            progress=progress,
            total=total,
            answer=state.answers.get(question.id),
            collected=len(draft.get("parts", draft.get("files", []))),
        )

    def _end_step(self, state: SessionState) -> Step:
        language = state.language
        definition = self.definition
        if state.status == "completed":
            closing = [
                localize(question.text, language)
                for question in definition.questions[self._last_asked_index() + 1 :]
                if question.type == "note" and self._relevant(question, state)
            ]
            text = localize(definition.completion, language) or gettext(
                language, "Thank you! Your answers have been recorded."
            )
            return Step(kind="end", language=language, text=text, notes=closing, status="completed")
        if state.status == "declined":
            text = gettext(language, "Understood. Without your consent no answers are recorded.")
        else:
            text = gettext(language, "This conversation was cancelled. Nothing more will be asked.")
        return Step(kind="end", language=language, text=text, status=state.status)

    def _last_asked_index(self) -> int:
        positions = [n for n, question in enumerate(self.definition.questions) if question.asks]
        return positions[-1] if positions else -1


_CHOICE_STEPS = {"single_choice", "multiple_choice", "ranking", "yes_no", "rating"}
_EXPECTS: dict[str, Expects] = {
    "single_choice": "choice",
    "multiple_choice": "choices",
    "ranking": "choice",
    "rating": "choice",
    "yes_no": "choice",
    "file": "file",
    "location": "location",
}
for _kind in ("integer", "decimal", "text", "long_answer", "date", "email", "url", "phone"):
    _EXPECTS[_kind] = "text"


def _is_command(given: Input, command: str) -> bool:
    return isinstance(given, CommandInput) and given.command == command


def _is_done(given: Input) -> bool:
    """The done command, or a word like "listo" where a multi-part answer is being built."""
    return _is_command(given, "done") or (
        isinstance(given, TextInput) and read.is_done_word(given.text)
    )


def _typed_choices(text: str, pairs: list[tuple[str, str]]) -> list[str | None]:
    """Choices named in a typed text: one whole label, or a list like "1, 3" (None if unknown)."""
    whole = read.match_choice(text, pairs)
    if whole is not None:
        return [whole]
    return [read.match_choice(item, pairs) for item in read.split_list(text)]


def _still_fits(question: Question, value: Any) -> bool:
    """Whether an answer given under another version still fits the question."""
    if value is None or not question.asks:
        return question.asks
    if question.type in ("single_choice", "multiple_choice", "ranking"):
        ids = set(question.choice_ids())
        values = value if isinstance(value, list) else [value]
        return all(item in ids for item in values)
    return True
