"""Answers any step with a valid input, to walk whole definitions in tests."""

from conversations.engine.inputs import (
    ChoiceInput,
    CommandInput,
    FileInput,
    LocationInput,
    TextInput,
)
from conversations.engine.steps import Outcome, Step

SAMPLE_TEXT = {
    "email": "ana@example.mx",
    "url": "https://www.example.mx",
    "phone": "55 1234 5678",
    "date": "2026-03-15",
    "time": "5 pm",
    "datetime": "mañana a las 10",
}


def valid_input(step: Step, turn: int = 0):
    """A valid input for the step; ``turn`` counts inputs already given to this question."""
    if step.kind == "consent":
        return ChoiceInput("accept")
    if step.kind == "repeat":  # "Add another?": two instances of each repeat
        return ChoiceInput("yes" if step.instance[-1] < 1 else "no")
    if step.expects == "text" and step.kind in ("single_choice", "multiple_choice"):
        return TextInput("Otra respuesta")
    if step.kind == "multiple_choice":
        chosen = sum(choice.selected for choice in step.choices)
        if chosen >= max(step.minimum or 1, 1):
            return CommandInput("done")
        free = [c for c in step.choices if not c.selected and c.id != "other"]
        return ChoiceInput(free[0].id)
    if step.expects == "choice":
        return ChoiceInput(step.choices[turn % len(step.choices)].id)
    if step.kind == "long_answer":
        return TextInput(f"Parte {turn + 1}") if turn < 2 else CommandInput("done")
    if step.kind == "file":
        if turn >= 1:
            return CommandInput("done")
        return FileInput(step.file_kinds[0], f"file-{turn}", "application/pdf", 1000)
    if step.kind == "location":
        return LocationInput(19.43, -99.13)
    if step.kind in ("integer", "decimal"):
        return TextInput(str(step.minimum if step.minimum is not None else 1))
    return TextInput(SAMPLE_TEXT.get(step.kind, "Una respuesta"))


def unanswered(questions, answers) -> list[str]:
    """The questions asked (in every instance of a repeat) that the answers leave empty; a
    repeat without instances is itself unanswered."""
    missing = []
    for question in questions:
        if question.is_repeat:
            instances = answers.get(question.id) or []
            missing += [] if instances else [question.id]
            for instance in instances:
                missing += unanswered(question.questions, instance)
        elif question.asks and answers.get(question.id) is None:
            missing.append(question.id)
    return missing


class Autopilot:
    """Chooses each input of a walk through a definition, counting the inputs of a question."""

    def __init__(self) -> None:
        self.turn = 0
        self.question = None

    def input_for(self, step: Step):
        self.turn = self.turn + 1 if step.place == self.question else 0
        self.question = step.place
        return valid_input(step, self.turn)


def answer_all(engine, language="es", respondent=None, limit=500):
    """Walk a definition to its end with valid inputs; return the final outcome."""
    state = engine.start(language, respondent)
    pilot = Autopilot()
    for _ in range(limit):
        step = engine.current(state)
        if step.kind == "end":
            # Only a form that asks nothing (notes, calculations) is completed as it starts.
            assert state.status == "completed", "ended before an outcome"
            return Outcome(state=state, step=step, answers=state.answers)
        outcome = engine.feed(state, pilot.input_for(step))
        assert outcome.error is None, (step.question_id, outcome.error)
        state = outcome.state
        if outcome.finished:
            return outcome
    raise AssertionError("the definition never finished")
