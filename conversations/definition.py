"""Conversation definitions: what a survey, interview or form asks, declared as data.

A definition is written in YAML (or the same structure in JSON, or imported from XLSForm by
``conversations.xlsform``) and validated here, the rules spanning fields and questions in
``conversations.checks``. Every problem is reported at once, each naming the file, the question
and the field::

    id: workshop_feedback          # letters, digits, _ . -
    version: 1
    kind: survey                   # survey | interview | form
    title: {es: Evaluación del taller, en: Workshop feedback}
    description: {es: ..., en: ...}          # optional, shown before the first question
    consent: {version: "2026-01", text: {es: ..., en: ...}}   # optional
    anonymous: true                # answers are not linked to the person
    respondent_attributes: [sector]    # kept even when anonymous, for breakdowns
    completion: {es: ..., en: ...}           # optional closing message
    questions:
      - id: usefulness
        type: rating               # see QUESTION_TYPES
        text: {es: ..., en: ...}
        hint: {es: ..., en: ...}
        required: true             # default true; optional questions can be skipped
        relevant: "${attended} = 'yes'"       # skip logic
        constraint: ". >= 3"       # checked against the parsed answer
        constraint_message: {es: ..., en: ...}
        min: 1
        max: 5
        min_label: {es: Nada útil, en: Not useful}
        max_label: {es: Muy útil, en: Very useful}

Texts are ``{es: ..., en: ...}`` (any language by its code; a person reads their language,
else Spanish, else the first one given) or one plain string used for every language.
Per type: ``choices`` (list of ``{id, label}``) and ``other: true`` for the choice types;
``min``/``max`` bound numbers, rating values, dates
(ISO), how many options (multiple choice) or how many files (file); ``top`` ranks only the
first N; ``max_length`` bounds text; ``kinds`` lists accepted file kinds and ``max_size``
their size in bytes; ``calculation`` is the expression of a ``calculate``. A choice may carry
``data`` (columns of its own) that a ``choice_filter`` reads by bare name
(``state = ${estado}``). ``default`` is the answer "done" keeps, ``required_message`` what a
skip of a required question is told. ``${name}`` in a text shows that answer.
``choices_from`` asks from a list the product ships (``conversations.catalogues``) instead of
``choices``: Mexico's states and municipalities by their INEGI keys, a cascade of the two being
``choices_from: inegi_municipios`` with ``choice_filter: "estado = ${estado}"``.

A ``repeat`` holds ``questions`` asked once per instance (a household's members, each child
of each member): ``repeat_count`` (a number, or an expression such as ``${members_count}``)
says how many, else "Add another?" is asked after each. Repeats nest up to three deep, a
repeat holds at most ``MAX_INSTANCES`` and a session ``MAX_INSTANCES_IN_ALL`` (the counts of
those past it are cut); question ids are unique across every level. The answer of
a repeat is its list of instances, each a dict of its questions' answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from functools import cache, cached_property
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)
from pydantic_core import ErrorDetails

from conversations.catalogues import CATALOGUES, CatalogueName, catalogue
from conversations.expressions import Expression, parse
from i18n import DEFAULT_LANGUAGE

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"
OTHER_CHOICE = "other"
DEFAULT_MAX_SIZE = 20 * 1024 * 1024  # what a bot may download from Telegram

QuestionTypeName = Literal[
    "single_choice",
    "multiple_choice",
    "ranking",
    "rating",
    "yes_no",
    "integer",
    "decimal",
    "text",
    "long_answer",
    "date",
    "time",
    "datetime",
    "email",
    "url",
    "phone",
    "file",
    "location",
    "note",
    "acknowledge",
    "calculate",
    "repeat",
]
CHOICE_TYPES = {"single_choice", "multiple_choice", "ranking"}
NUMBER_TYPES = {"integer", "decimal", "rating"}
# Types that never wait for the person: notes are shown with the next question,
# calculations are computed on the way, a repeat asks through its questions.
SILENT_TYPES = {"note", "calculate", "repeat"}
# The instances of one repeat, of every repeat of a session, and how deep repeats nest: an
# engine's work stays bounded.
MAX_INSTANCES = 50
MAX_INSTANCES_IN_ALL = 1000
MAX_NESTING = 3


def _text_from(value: Any) -> Any:
    if isinstance(value, str):
        return {DEFAULT_LANGUAGE: value}
    return value


# A language by its ISO 639 code: a form may be written in any.
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
Text = Annotated[
    dict[LanguageCode, Annotated[str, Field(min_length=1)]], BeforeValidator(_text_from)
]
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


def localize(text: Mapping[Any, str] | None, language: str) -> str:
    """The text in the language, else in Spanish, else in the first language it has."""
    if not text:
        return ""
    return text.get(language) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()))


def _bound_from(value: Any) -> Any:
    # YAML reads an unquoted 2026-03-15 as a date.
    return value.isoformat() if isinstance(value, date) else value


Bound = Annotated[int | float | str | None, BeforeValidator(_bound_from)]
ExpressionField = Literal["relevant", "constraint", "calculation", "choice_filter", "repeat_count"]
EXPRESSION_FIELDS: tuple[ExpressionField, ...] = (
    "relevant",
    "constraint",
    "calculation",
    "choice_filter",
    "repeat_count",
)
# A date's bound that moves with the calendar: the day it is answered.
TODAY = "today"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    # XLSForm lists often name their choices 1, 2, 3.
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=64)]
    label: Text
    data: dict[str, str] | None = None


@cache
def _catalogue(name: CatalogueName) -> list[Choice]:
    return [Choice.model_validate(choice) for choice in catalogue(name)]


class Consent(_Strict):
    version: str = "1"
    text: Text


class Question(_Strict):
    id: Annotated[str, Field(pattern=NAME_PATTERN, max_length=64)]
    type: QuestionTypeName
    text: Text | None = None
    hint: Text | None = None
    section: Text | None = None
    required: bool = True
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Text | None = None
    calculation: str | None = None
    default: str | None = None
    required_message: Text | None = None
    choices: list[Choice] | None = None
    choices_from: CatalogueName | None = None
    choice_filter: str | None = None
    other: bool = False
    min: Bound = None
    max: Bound = None
    min_label: Text | None = None
    max_label: Text | None = None
    top: Annotated[int, Field(ge=1)] | None = None
    max_length: Annotated[int, Field(ge=1, le=100_000)] | None = None
    kinds: list[Literal["photo", "document", "voice", "video", "audio"]] | None = None
    max_size: Annotated[int, Field(ge=1)] | None = None
    # What the respondent's record, or the session a survey follows, may already say: then the
    # question is answered from it and not asked (a registration does not ask again the sector
    # an invitation gave, nor a workshop's feedback the date of the workshop).
    known_as: Literal["name", "sector", "organisation", "meeting_date"] | None = None
    # A repeat's questions, and how many instances it has (else "Add another?" decides).
    questions: list[Question] | None = None
    repeat_count: int | str | None = None

    @model_validator(mode="before")
    @classmethod
    def _catalogue_choices(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or data.get("choices_from") is None:
            return data
        if data.get("choices") is not None:
            raise ValueError("choices_from gives the choices: write choices or choices_from")
        name = data["choices_from"]
        return {**data, "choices": _catalogue(name)} if name in CATALOGUES else data

    @model_serializer(mode="wrap")
    def _without_catalogue(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A catalogue's choices are the product's, never copied into a stored definition.
        dumped = handler(self)
        if self.choices_from is not None and isinstance(dumped, dict):
            dumped.pop("choices", None)
        return dumped

    def expression(self, field: ExpressionField) -> Expression | None:
        """The parsed expression of a field (``check`` has reported any error in it)."""
        source = getattr(self, field)
        return None if source is None else parse(str(source))

    @property
    def is_repeat(self) -> bool:
        return self.type == "repeat"

    @property
    def asks(self) -> bool:
        """Whether the question waits for the person's input."""
        return self.type not in SILENT_TYPES

    def choice_ids(self) -> list[str]:
        ids = [choice.id for choice in self.choices or ()]
        return [*ids, OTHER_CHOICE] if self.other else ids

    # Bounds, with the defaults of each type.
    def bounds(self) -> tuple[Any, Any]:
        if self.type == "rating":
            return (
                self.min if self.min is not None else 1,
                self.max if self.max is not None else 5,
            )
        if self.type == "ranking":
            count = len(self.choice_ids())
            return (self.top or count, self.top or count)
        if self.type == "multiple_choice":
            return (self.min if self.min is not None else (1 if self.required else 0), self.max)
        if self.type == "file":
            return (
                self.min if self.min is not None else (1 if self.required else 0),
                self.max or 1,
            )
        return (self.min, self.max)


class Definition(_Strict):
    id: Annotated[str, Field(pattern=NAME_PATTERN, max_length=64)]
    version: Annotated[int, Field(ge=1)]
    kind: Literal["survey", "interview", "form"] = "survey"
    title: Text
    description: Text | None = None
    consent: Consent | None = None
    anonymous: bool = False
    respondent_attributes: list[str] = Field(default_factory=list)
    completion: Text | None = None
    # The roles it is meant for: a campaign that names no audience reaches only these.
    intended_for: list[Literal["admin", "coordinator", "staff", "civil_society"]] = Field(
        default_factory=list
    )
    questions: Annotated[list[Question], Field(min_length=1)]

    # Plain attributes once computed, unlike pydantic private ones: looked up several times
    # for every answer.
    @cached_property
    def every_question(self) -> list[Question]:
        """Every question, those of a repeat right after it, in the order they are asked."""
        return [question for question, _ in self._enclosing]

    @cached_property
    def _enclosing(self) -> list[tuple[Question, tuple[str, ...]]]:
        """Every question with the ids of the repeats it is in."""
        enclosing: list[tuple[Question, tuple[str, ...]]] = []
        pending: list[tuple[Question, tuple[str, ...]]] = [
            (q, ()) for q in reversed(self.questions)
        ]
        while pending:
            question, repeats = pending.pop()
            enclosing.append((question, repeats))
            inner = (*repeats, question.id)
            pending.extend((child, inner) for child in reversed(question.questions or ()))
        return enclosing

    @cached_property
    def _repeats(self) -> dict[str, tuple[str, ...]]:
        return {question.id: repeats for question, repeats in self._enclosing}

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {question.id: position for position, question in enumerate(self.every_question)}

    def repeats_of(self, question_id: str) -> tuple[str, ...]:
        """The ids of the repeats a question is in, outermost first."""
        return self._repeats.get(question_id, ())

    def question(self, question_id: str) -> Question:
        return self.every_question[self._positions[question_id]]

    def position(self, question_id: str) -> int | None:
        return self._positions.get(question_id)

    def index(self, question: Question) -> int:
        """Where a question of this definition stands in it."""
        return self._positions[question.id]


class DefinitionError(ValueError):
    """Every problem of a definition, each naming the file, question and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# Loading -----------------------------------------------------------------------------------


class _WithoutAliases(yaml.SafeLoader):
    """YAML whose nodes are each written once: aliases nested in aliases repeat a node
    exponentially, so a few bytes could make a definition too large to check."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # no hints
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not taken", mark)
        return super().compose_node(parent, index)


def load_definition(path: str | Path) -> Definition:
    """Read a definition from a .yaml/.yml, .json or .xlsx (XLSForm) file."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DefinitionError([f"{path}: cannot be read: {error}"]) from None
    if Path(path).suffix.lower() == ".xlsx":
        from conversations.xlsform import beside, read_xlsform

        return read_xlsform(data, str(path), beside(Path(path)))
    return read_definition(data, str(path))


def read_definition(data: bytes, name: str) -> Definition:
    """A definition from a file's bytes, its format told by the suffix of ``name`` (which starts
    each problem, as ``load_definition`` reports them); an XLSForm has no list file beside."""
    return import_definition(data, name)[0]


def import_definition(data: bytes, name: str) -> tuple[Definition, list[str]]:
    """As ``read_definition``, with the warnings of what an XLSForm holds that a chat does not
    use (a YAML or JSON definition has none)."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        from conversations.xlsform import import_xlsform

        imported = import_xlsform(data, name)
        return imported.definition, imported.warnings
    return _parsed(data, name, suffix), []


def _parsed(data: bytes, name: str, suffix: str) -> Definition:
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DefinitionError([f"{name}: cannot be read: {error}"]) from None
    try:
        parsed = json.loads(raw) if suffix == ".json" else yaml.load(raw, _WithoutAliases)  # noqa: S506  # a safe loader
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError(
            [f"{name}: not valid {suffix.lstrip('.').upper()}: {error}"]
        ) from None
    except RecursionError:  # the parsers recurse into each nested list and mapping
        raise DefinitionError([f"{name}: nested deeper than a definition can be"]) from None
    return parse_definition(parsed, source=name)


def parse_definition(data: Any, source: str = "<definition>") -> Definition:
    """Validate a definition given as plain data; raise DefinitionError with every problem."""
    from conversations.checks import check, check_valid_questions

    if not isinstance(data, dict):
        raise DefinitionError([f"{source}: a definition must be a mapping of fields"])
    try:
        definition = Definition.model_validate(data)
    except ValidationError as error:
        problems = [_describe(source, data, issue) for issue in error.errors()]
        problems += [f"{source}: {p}" for p in check_valid_questions(data.get("questions"))]
        raise DefinitionError(problems) from None
    problems = [f"{source}: {problem}" for problem in check(definition)]
    if problems:
        raise DefinitionError(problems)
    return definition


def where(question_id: str | None, field: str) -> str:
    return f"question '{question_id}', field '{field}'" if question_id else f"field '{field}'"


def _describe(source: str, data: dict[str, Any], issue: ErrorDetails) -> str:
    location, label = list(issue["loc"]), None
    entry: Any = data
    # Down to the question named, through the questions of its repeats.
    while len(location) >= 2 and location[0] == "questions" and isinstance(location[1], int):
        raw = entry.get("questions") if isinstance(entry, dict) else None
        raw = raw if isinstance(raw, list) else []
        entry = raw[location[1]] if location[1] < len(raw) else None
        question_id = entry.get("id") if isinstance(entry, dict) else None
        label, location = question_id or f"#{location[1] + 1}", location[2:]
    field = ".".join(str(part) for part in location) or ("(question)" if label else "(definition)")
    return f"{source}: {where(label, field)}: {issue['msg']}"
