"""The engine: which question comes next (skip logic, calculations, going back), consent,
and the step to show. What each question type reads and shows is its own
(``conversations.questions``); navigation never branches on the type. Repeats are structure,
not a type: ``slots`` walks their instances, and navigation moves from slot to slot."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from copy import deepcopy
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations.answers import Refused
from conversations.definition import (
    EXPRESSION_FIELDS,
    MAX_INSTANCES,
    OTHER_CHOICE,
    REFERENCE,
    Definition,
    Question,
    localize,
)
from conversations.engine.filters import ChoiceFilter
from conversations.engine.inputs import COMMANDS, CommandInput, Input, TextInput, is_command
from conversations.engine.slots import MORE, Scope, Slot, Walk, answered_at, slot_at
from conversations.engine.state import CONSENT, SessionState
from conversations.engine.steps import ChoiceView, Outcome, Step
from conversations.expressions import as_number
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
            for question in definition.every_question
            for field in EXPRESSION_FIELDS
        }
        self._filters = {
            question.id: ChoiceFilter(expression, question.choices)
            for question in definition.every_question
            if question.choices
            and (expression := self._expressions[question.id, "choice_filter"]) is not None
        }
        self._repeats = {question.id for question in definition.questions if question.is_repeat}
        # The repeats whose count reads each answer: an answer asking for too many is refused.
        self._counted_by: dict[str, list[str]] = {}
        for question in definition.every_question:
            count = self._expressions[question.id, "repeat_count"]
            for name in count.references if count else ():
                self._counted_by.setdefault(name, []).append(question.id)

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
        ``known`` values (name, sector, organisation, meeting_date) starts answered with it,
        when it fits."""
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
            slot = self._here(state)
            question = self._current(state, slot)
            if is_command(given, "back"):
                return self._back(state, question)
            if is_command(given, "skip"):
                if slot.required:
                    raise Refused(
                        localize(question.required_message, language)
                        or gettext(language, "This question needs an answer; it cannot be skipped.")
                    )
                return self._record(state, slot, Answer(None))
            if is_command(given, "done") and not state.draft and slot.answered:
                # Back on a question answered before: done keeps the answer and moves on.
                kept = Answer(slot.value, state.others.get(slot.place))
                return self._record(state, slot, kept)
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
                    self._check(state, slot, given_default.value)
                    return self._record(state, slot, given_default)
            result = kind.accept(question, given, state.draft, language, self._today(state))
            if isinstance(result, Draft):
                following = state.model_copy(update={"draft": result.draft})
                return Outcome(state=following, step=self._step(following), noted=result.noted)
            self._check(state, slot, result.value)
            outcome = self._record(state, slot, result)
            outcome.noted = result.noted
            return outcome
        except Refused as refusal:
            return self._refuse(state, refusal.message)

    def collected(self, state: SessionState) -> dict[str, Any]:
        """The answers of the questions that apply (skipped ones as None, computed included),
        a repeat's as its list of instances."""
        return self._collected(state)[0]

    # Navigation ----------------------------------------------------------------------------

    def _today(self, state: SessionState) -> Callable[[], date]:
        """Today where the respondent is: at 23:30 in Mexico City "hoy" is not UTC's tomorrow.
        A clock, so that the date is only worked out when a question needs it."""
        zone = ZoneInfo(state.time_zone) if state.time_zone else UTC
        return lambda: self.clock().astimezone(zone).date()

    def _slots(self, state: SessionState, *, compute: bool = False) -> Iterator[Slot]:
        walk = Walk(self.definition, self._expressions, self._today(state), compute)
        return walk.slots(state.answers)

    def _collected(self, state: SessionState) -> tuple[dict[str, Any], set[str]]:
        """The answers of the slots that apply, each where it stands, and their places."""
        collected: dict[str, Any] = {}
        places: set[str] = set()
        for slot in self._slots(state):
            if slot.key == MORE:
                continue
            answers = collected
            for repeat, index in slot.path:
                instances = answers.setdefault(repeat, [])
                instances.extend({} for _ in range(index + 1 - len(instances)))
                answers = instances[index]
            if slot.question.is_repeat:
                answers.setdefault(slot.key, [])
            elif slot.answered:
                answers[slot.key] = slot.value
                places.add(slot.place)
        return collected, places

    def _sync(self, state: SessionState) -> SessionState:
        """A private copy of the state, brought up to this version of the definition."""
        definition = self.definition
        if state.definition_id != definition.id:
            raise ValueError(
                f"state of '{state.definition_id}' fed to the engine of '{definition.id}'"
            )
        # The engine replaces nested values instead of changing them in place, so copying
        # the top-level containers is enough to leave the caller's state untouched; only the
        # instances of repeats are changed in place, and copied whole.
        answers = {
            qid: deepcopy(value) if qid in self._repeats else value
            for qid, value in state.answers.items()
        }
        state = state.model_copy(
            update={
                "answers": answers,
                "others": dict(state.others),
                "draft": dict(state.draft),
                "instance": list(state.instance),
            }
        )
        if state.definition_version != definition.version:
            state.answers = self._fitting(state.answers)
            state.others = {
                key: text
                for key, text in state.others.items()
                if answered_at(definition, state.answers, key)
            }
            state.definition_version = definition.version
            state.draft = {}
            state.position, state.instance = None, []
            if state.status == "active":
                return self._advance(state)
        if state.status == "active" and not self._valid_position(state):
            return self._advance(state)
        return state

    def _fitting(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers that still fit this version of the definition, in every instance."""
        kept: dict[str, Any] = {}
        for qid, value in answers.items():
            if qid == MORE:
                kept[qid] = value
            elif self.definition.position(qid) is None:
                continue
            elif self.definition.question(qid).is_repeat:
                instances = value if isinstance(value, list) else []
                kept[qid] = [self._fitting(i) for i in instances if isinstance(i, dict)]
            elif _still_fits(self.definition.question(qid), value):
                kept[qid] = value
        return kept

    def _valid_position(self, state: SessionState) -> bool:
        if state.position == CONSENT:
            return self.definition.consent is not None
        slot = None if state.position is None else self._at(state)
        return slot is not None and slot.asks

    def _at(self, state: SessionState) -> Slot | None:
        assert state.position is not None
        return slot_at(self.definition, state.answers, state.position, state.instance)

    def _here(self, state: SessionState) -> Slot:
        """The slot an active session past its consent stands at."""
        slot = self._at(state)
        assert slot is not None  # the position is checked when the session is synced
        return slot

    def _advance(self, state: SessionState) -> SessionState:
        """Move to the first question that applies and has no answer; complete when none."""
        state.draft = {}
        consent = self.definition.consent
        if consent and state.consent != consent.version:
            state.position, state.instance = CONSENT, []
            return state
        for slot in self._slots(state, compute=True):
            if slot.asks and not slot.answered:
                state.position, state.instance = slot.question.id, list(slot.instance)
                return state
        state.position, state.instance = None, []
        state.status = "completed"
        # What was answered before a change made it not apply is not part of the result.
        state.answers, places = self._collected(state)
        state.others = {key: text for key, text in state.others.items() if key in places}
        return state

    def _around(self, state: SessionState) -> tuple[list[Slot], int]:
        """The slots that apply, and where the session's stands among them."""
        slots = list(self._slots(state))
        position, instance = state.position, tuple(state.instance)
        at = next(
            (
                n
                for n, slot in enumerate(slots)
                if slot.question.id == position and slot.asks and slot.instance == instance
            ),
            None,
        )
        return slots, len(slots) if at is None else at

    def _back(self, state: SessionState, question: Question) -> Outcome:
        undone = type_of(question).back(state.draft)
        if undone is not None:
            return self._with_draft(state, undone)
        slots, at = self._around(state)
        previous = next((slot for slot in reversed(slots[:at]) if slot.asks), None)
        if previous is None:
            raise Refused(gettext(state.language, "There is no earlier question to go back to."))
        state.position, state.instance = previous.question.id, list(previous.instance)
        asked, other = previous.question, state.others.get(previous.place)
        state.draft = type_of(asked).initial_draft(asked, previous.value, other)
        return Outcome(state=state, step=self._step(state))

    def _current(self, state: SessionState, slot: Slot) -> Question:
        """The question of the slot, with only the choices its filter leaves."""
        question = slot.question
        choice_filter = self._filters.get(question.id)
        if choice_filter is None:
            return question
        return question.model_copy(
            update={"choices": choice_filter.left(slot.scope, self._today(state))}
        )

    def _with_draft(self, state: SessionState, draft: dict[str, Any]) -> Outcome:
        state.draft = draft
        return Outcome(state=state, step=self._step(state))

    def _cancel(self, state: SessionState) -> Outcome:
        state.status, state.position, state.draft = "cancelled", None, {}
        return Outcome(state=state, step=self._step(state))

    def _refuse(self, state: SessionState, message: str) -> Outcome:
        return Outcome(state=state, step=self._step(state), error=message)

    def _record(self, state: SessionState, slot: Slot, answer: Answer) -> Outcome:
        slot.answers[slot.key] = answer.value
        if answer.other is not None:
            state.others[slot.place] = answer.other
        else:
            state.others.pop(slot.place, None)
        return self._moved_on(state)

    def _moved_on(self, state: SessionState) -> Outcome:
        self._advance(state)
        finished = state.status == "completed"
        answers = dict(state.answers) if finished else None
        return Outcome(state=state, step=self._step(state), answers=answers)

    def _check(self, state: SessionState, slot: Slot, value: Any) -> None:
        """Refuse an answer its constraint does not allow, or asking for too many instances."""
        question, language, today = slot.question, state.language, self._today(state)
        expression = self._expressions[question.id, "constraint"]
        if (
            expression is not None
            and value is not None
            and not expression.holds(slot.scope, value, today=today)
        ):
            message = localize(question.constraint_message, language)
            raise Refused(message or gettext(language, "This answer is not valid."))
        if slot.key == MORE and value == "yes" and slot.instance[-1] + 1 >= MAX_INSTANCES:
            raise Refused(
                gettext(language, "No more can be added: {max} is the most.", max=MAX_INSTANCES)
            )
        counts = self._counted_by.get(question.id, ())
        if not counts:
            return
        # A count reading this answer, read where it stands (the usual case: a number asked
        # right before its repeat).
        trial = Scope(
            self.definition,
            [*slot.scope.containers[:-1], {**slot.answers, slot.key: value}],
            slot.path,
        )
        for repeat in counts:
            count = self._expressions[repeat, "repeat_count"]
            asked = as_number(count.evaluate(trial, today=today)) if count else None
            if asked is not None and asked > MAX_INSTANCES:
                raise Refused(
                    gettext(
                        language,
                        "At most {max} can be asked about; please give a smaller number.",
                        max=MAX_INSTANCES,
                    )
                )

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

    def _text(self, text: Any, scope: Scope, state: SessionState) -> str:
        """A text in the person's language, each ``${name}`` replaced by that answer as seen
        from the instance it is asked in."""
        shown = localize(text, state.language)
        if "${" not in shown:
            return shown
        return REFERENCE.sub(lambda match: self._shown(match[1], scope, state), shown)

    def _shown(self, question_id: str, scope: Scope, state: SessionState) -> str:
        value = scope.get(question_id)
        if value is None or self.definition.position(question_id) is None:
            return ""
        question = self.definition.question(question_id)
        labels = {choice.id: choice.label for choice in question.choices or ()}
        values = [
            item for item in (value if isinstance(value, list) else [value]) if item is not None
        ]
        if labels:
            other = state.others.get(scope.place_of(question_id) or "")
            return ", ".join(
                other
                if item == OTHER_CHOICE and other
                else localize(labels.get(item), state.language) or str(item)
                for item in values
            )
        return ", ".join(str(item) for item in values)

    def _notes_before(self, slots: list[Slot], at: int, state: SessionState) -> list[str]:
        notes: list[str] = []
        position = at - 1
        while position >= 0 and not slots[position].asks:
            slot = slots[position]
            if type_of(slot.question).informs:
                notes.insert(0, self._text(slot.question.text, slot.scope, state))
            position -= 1
        if position < 0 and not self.definition.consent and self.definition.description:
            notes.insert(0, localize(self.definition.description, state.language))
        return notes

    def _section(self, slot: Slot, question: Question, state: SessionState) -> str | None:
        """The repeats the slot is in, each with the number of its instance, and its section."""
        language = state.language
        parts = [
            " ".join(
                part
                for part in (
                    self._text(self.definition.question(repeat).text, slot.scope, state),
                    gettext(language, "(#{n})", n=index + 1),
                )
                if part
            )
            for repeat, index in slot.path
        ]
        parts.append(localize(question.section, language))
        return " · ".join(part for part in parts if part) or None

    def _step(self, state: SessionState) -> Step:
        language = state.language
        if state.status != "active":
            return self._end_step(state)
        if state.position == CONSENT:
            return self._consent_step(state)
        slot = self._here(state)
        question = self._current(state, slot)
        kind = type_of(question)
        slots, at = self._around(state)
        asked = [n for n, each in enumerate(slots) if each.asks]
        draft = state.draft
        revisited = slot.answered
        answer, other = slot.value, state.others.get(slot.place)
        fields: dict[str, Any] = {
            "text": self._text(question.text, slot.scope, state),
            "can_back": (bool(asked) and asked[0] < at) or kind.back(draft) is not None,
            **kind.present(question, draft, language),
        }
        return Step(
            kind=question.type,
            language=language,
            question_id=question.id,
            instance=list(slot.instance),
            hint=self._hint(question, slot, state),
            section=self._section(slot, question, state),
            notes=self._notes_before(slots, at, state),
            can_skip=not slot.required,
            can_done=kind.can_done or revisited or question.default is not None,
            progress=sum(1 for n in asked if n < at) + 1,
            total=len(asked),
            answer=answer,
            previous=self._previous(question, slot, state) if revisited else None,
            keeps=revisited and draft == kind.initial_draft(question, answer, other),
            **fields,
        )

    def _previous(self, question: Question, slot: Slot, state: SessionState) -> str:
        """The answer a revisited question was given, as the person reads it back."""
        answer, language = slot.value, state.language
        if answer is None:
            return gettext(language, "(skipped)")
        return type_of(question).shown(question, answer, state.others.get(slot.place), language)

    def _hint(self, question: Question, slot: Slot, state: SessionState) -> str | None:
        lines = [self._text(question.hint, slot.scope, state)]
        if question.default is not None and not slot.answered:
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
            slots = list(self._slots(state))
            last = max((n for n, slot in enumerate(slots) if slot.asks), default=-1)
            closing = [
                self._text(slot.question.text, slot.scope, state)
                for slot in slots[last + 1 :]
                if type_of(slot.question).informs
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


def _still_fits(question: Question, value: Any) -> bool:
    """Whether an answer given under another version still fits the question."""
    if value is None or not question.asks:
        return question.asks
    return type_of(question).still_fits(question, value)
