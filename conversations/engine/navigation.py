"""The engine: which question comes next (skip logic, calculations, going back), consent,
and the step to show. What each question type reads and shows is its own
(``conversations.questions``); navigation never branches on the type."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations.answers import Refused
from conversations.definition import OTHER_CHOICE, REFERENCE, Definition, Question, localize
from conversations.engine.filters import ChoiceFilter
from conversations.engine.inputs import COMMANDS, CommandInput, Input, TextInput, is_command
from conversations.engine.state import CONSENT, SessionState
from conversations.engine.steps import ChoiceView, Outcome, Step
from conversations.questions.base import Answer, Draft
from conversations.questions.reading import yes_no
from conversations.questions.registry import type_of
from i18n import gettext, pick_language


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Engine:
    """Runs one definition: starts sessions, feeds them inputs, says what to ask."""

    def __init__(self, definition: Definition, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.definition = definition
        self.clock = clock
        # Parsed once per engine: (question id, field) -> expression.
        self._expressions = {
            (question.id, field): question.expression(field)
            for question in definition.questions
            for field in ("relevant", "constraint", "calculation", "choice_filter")
        }
        self._filters = {
            question.id: ChoiceFilter(expression, question.choices)
            for question in definition.questions
            if question.choices
            and (expression := self._expressions[question.id, "choice_filter"]) is not None
        }

    # Public API ----------------------------------------------------------------------------

    def start(
        self,
        language: str,
        respondent: dict[str, Any] | None = None,
        *,
        time_zone: str | None = None,
        known: Mapping[str, Any] | None = None,
    ) -> SessionState:
        """A new session in the language, at its first question (or consent); "today" is the
        date in ``time_zone`` (the respondent's), or in UTC. A question ``known_as`` one of the
        ``known`` values (name, sector, organisation) starts answered with it, when it fits."""
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
            time_zone=time_zone,
        )
        known = known or {}
        for question in definition.questions:
            value = known.get(question.known_as) if question.known_as else None
            if value is not None and _still_fits(question, value):
                state.answers[question.id] = value
        return self._advance(state)

    def current(self, state: SessionState) -> Step:
        """What to ask now."""
        return self._step(self._sync(state))

    def feed(self, state: SessionState, given: Input) -> Outcome:
        """The outcome of one input; the state given is left untouched."""
        state = self._sync(state)
        language = state.language
        if state.status != "active":
            return self._refuse(state, gettext(language, "This conversation has already ended."))
        try:
            if isinstance(given, CommandInput) and given.command not in COMMANDS:
                raise Refused(gettext(language, "Unknown command."))
            if is_command(given, "cancel"):
                return self._cancel(state)
            if state.position == CONSENT:
                return self._feed_consent(state, given)
            question = self._current(state)
            if is_command(given, "back"):
                return self._back(state, question)
            if is_command(given, "skip"):
                if question.required:
                    raise Refused(
                        localize(question.required_message, language)
                        or gettext(language, "This question needs an answer; it cannot be skipped.")
                    )
                return self._record(state, question, Answer(None))
            if is_command(given, "done") and not state.draft and question.id in state.answers:
                # Back on a question answered before: done keeps the answer and moves on.
                kept = Answer(state.answers[question.id], state.others.get(question.id))
                return self._record(state, question, kept)
            kind = type_of(question)
            if is_command(given, "done") and not state.draft and question.default is not None:
                # The default is what the person would have typed; a type built from several
                # inputs (multiple choice) takes it as its draft, then done.
                given_default = kind.accept(
                    question, TextInput(question.default), {}, language, self._today(state)
                )
                if isinstance(given_default, Draft):
                    state.draft = given_default.draft
                else:
                    self._check_constraint(state, question, given_default.value)
                    return self._record(state, question, given_default)
            result = kind.accept(question, given, state.draft, language, self._today(state))
            if isinstance(result, Draft):
                following = state.model_copy(update={"draft": result.draft})
                return Outcome(state=following, step=self._step(following), noted=result.noted)
            self._check_constraint(state, question, result.value)
            outcome = self._record(state, question, result)
            outcome.noted = result.noted
            return outcome
        except Refused as refusal:
            return self._refuse(state, refusal.message)

    def collected(self, state: SessionState) -> dict[str, Any]:
        """The answers of the questions that apply (skipped ones as None, computed included)."""
        answers = state.answers
        return {
            question.id: answers[question.id]
            for question in self.definition.questions
            if question.id in answers and self._relevant(question, state)
        }

    # Navigation ----------------------------------------------------------------------------

    def _today(self, state: SessionState) -> Callable[[], date]:
        """Today where the respondent is: at 23:30 in Mexico City "hoy" is not UTC's tomorrow.
        A clock, so that the date is only worked out when a question needs it."""
        zone = ZoneInfo(state.time_zone) if state.time_zone else UTC
        return lambda: self.clock().astimezone(zone).date()

    def _relevant(self, question: Question, state: SessionState) -> bool:
        expression = self._expressions[question.id, "relevant"]
        return expression is None or expression.holds(state.answers, today=self._today(state))

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
        today = self._today(state)
        for question in self.definition.questions:
            expression = self._expressions[question.id, "relevant"]
            if expression is not None and not expression.holds(state.answers, today=today):
                continue
            calculation = self._expressions[question.id, "calculation"]
            if calculation is not None:
                state.answers[question.id] = calculation.evaluate(state.answers, today=today)
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
        undone = type_of(question).back(state.draft)
        if undone is not None:
            return self._with_draft(state, undone)
        previous = self._asked_before(state, self.definition.index(question))
        if previous is None:
            raise Refused(gettext(state.language, "There is no earlier question to go back to."))
        state.position = previous.id
        answer, other = state.answers.get(previous.id), state.others.get(previous.id)
        state.draft = type_of(previous).initial_draft(previous, answer, other)
        return Outcome(state=state, step=self._step(state))

    def _current(self, state: SessionState) -> Question:
        """The question the session stands at, with only the choices its filter leaves."""
        # An active session past its consent always stands at a question.
        assert state.position is not None
        question = self.definition.question(state.position)
        choice_filter = self._filters.get(question.id)
        if choice_filter is None:
            return question
        return question.model_copy(
            update={"choices": choice_filter.left(state.answers, self._today(state))}
        )

    def _with_draft(self, state: SessionState, draft: dict[str, Any]) -> Outcome:
        state.draft = draft
        return Outcome(state=state, step=self._step(state))

    def _cancel(self, state: SessionState) -> Outcome:
        state.status, state.position, state.draft = "cancelled", None, {}
        return Outcome(state=state, step=self._step(state))

    def _refuse(self, state: SessionState, message: str) -> Outcome:
        return Outcome(state=state, step=self._step(state), error=message)

    def _record(self, state: SessionState, question: Question, answer: Answer) -> Outcome:
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
        if not expression.holds(state.answers, value, today=self._today(state)):
            message = localize(question.constraint_message, state.language)
            raise Refused(message or gettext(state.language, "This answer is not valid."))

    # Consent -------------------------------------------------------------------------------

    def _feed_consent(self, state: SessionState, given: Input) -> Outcome:
        accepted = yes_no(given, self._step(state).choices, state.language) == "accept"
        if not accepted:
            state.status, state.position, state.draft = "declined", None, {}
            state.answers, state.others = {}, {}
            return Outcome(state=state, step=self._step(state))
        assert self.definition.consent is not None  # only asked when the definition has one
        state.consent = self.definition.consent.version
        return self._moved_on(state)

    # Steps ---------------------------------------------------------------------------------

    def _text(self, text: Any, state: SessionState) -> str:
        """A text in the person's language, each ``${name}`` replaced by that answer."""
        shown = localize(text, state.language)
        if "${" not in shown:
            return shown
        return REFERENCE.sub(lambda match: self._shown(match[1], state), shown)

    def _shown(self, question_id: str, state: SessionState) -> str:
        value = state.answers.get(question_id)
        index = self.definition.position(question_id)
        if value is None or index is None:
            return ""
        question = self.definition.questions[index]
        labels = {choice.id: choice.label for choice in question.choices or ()}
        values = value if isinstance(value, list) else [value]
        if labels:
            other = state.others.get(question_id)
            return ", ".join(
                other
                if item == OTHER_CHOICE and other
                else localize(labels.get(item), state.language) or str(item)
                for item in values
            )
        return ", ".join(str(item) for item in values)

    def _notes_before(self, index: int, state: SessionState) -> list[str]:
        notes: list[str] = []
        position = index - 1
        while position >= 0 and not self.definition.questions[position].asks:
            question = self.definition.questions[position]
            if type_of(question).informs and self._relevant(question, state):
                notes.insert(0, self._text(question.text, state))
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
        if state.status != "active":
            return self._end_step(state)
        if state.position == CONSENT:
            return self._consent_step(state)
        question = self._current(state)
        kind = type_of(question)
        index = self.definition.index(question)
        progress, total = self._progress(state, index)
        draft = state.draft
        revisited = question.id in state.answers
        answer, other = state.answers.get(question.id), state.others.get(question.id)
        fields: dict[str, Any] = {
            "text": self._text(question.text, state),
            "can_back": self._asked_before(state, index) is not None
            or kind.back(draft) is not None,
            **kind.present(question, draft, language),
        }
        return Step(
            kind=question.type,
            language=language,
            question_id=question.id,
            hint=self._hint(question, state),
            section=localize(question.section, language) or None,
            notes=self._notes_before(index, state),
            can_skip=not question.required,
            can_done=kind.can_done or revisited or question.default is not None,
            progress=progress,
            total=total,
            answer=answer,
            previous=self._previous(question, state) if revisited else None,
            keeps=revisited and draft == kind.initial_draft(question, answer, other),
            **fields,
        )

    def _previous(self, question: Question, state: SessionState) -> str:
        """The answer a revisited question was given, as the person reads it back."""
        answer, language = state.answers[question.id], state.language
        if answer is None:
            return gettext(language, "(skipped)")
        return type_of(question).shown(question, answer, state.others.get(question.id), language)

    def _hint(self, question: Question, state: SessionState) -> str | None:
        lines = [self._text(question.hint, state)]
        if question.default is not None and question.id not in state.answers:
            lines.append(
                gettext(state.language, "“Done” keeps {default}.", default=question.default)
            )
        return "\n".join(line for line in lines if line) or None

    def _consent_step(self, state: SessionState) -> Step:
        language = state.language
        definition = self.definition
        assert definition.consent is not None  # only asked when the definition has one
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

    def _end_step(self, state: SessionState) -> Step:
        language = state.language
        definition = self.definition
        if state.status == "completed":
            closing = [
                self._text(question.text, state)
                for question in definition.questions[self._last_asked_index() + 1 :]
                if type_of(question).informs and self._relevant(question, state)
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


def _still_fits(question: Question, value: Any) -> bool:
    """Whether an answer given under another version still fits the question."""
    if value is None or not question.asks:
        return question.asks
    return type_of(question).still_fits(question, value)
