"""Import of XLSForm workbooks (the format of KoBoToolbox and ODK) as definitions.

The workbook is read by pyxform, the reference converter of both, into its normalised form:
every spelling of a type (``select one from``, ``add integer prompt``, ``q date``...), of a
column (``relevance``, ``caption``...) and the ``settings`` sheet. What pyxform leaves as it
was written is normalised first (``conversations.xlsform_workbook``): the older ``select one
from list L`` and ``select all that apply from list L or specify other`` spellings, and language
columns written with one colon (``label:english``). Languages are named in any spelling
(``label::Español (es)``, ``hint::English``, ``constraint_message::chinese``): the code in
parentheses, else a known name, gives the language; columns without one are in the form's
``default_language`` (Spanish when unset).

Columns a chat has no use for (media, appearance, ``bind::``/``body::``/``instance::``...) are
warnings, not refusals; so are metadata questions (``start``, ``deviceid``...), which are not
asked. A repeat (``begin repeat`` ... ``end repeat``) becomes a repeat of the definition, its
``repeat_count`` a number or an expression. Refused, each by sheet, row and column with the
reason: types a chat cannot answer (``barcode``, ``geotrace``...), a ``loop``, a repeat left
without its end or counting more than ``MAX_INSTANCES``, expressions the engine cannot
evaluate, a list file that is not beside the form (``inegi_estados.csv`` and
``inegi_municipios.csv`` need none: they are the product's catalogues). ``settings``:
``form_id``, ``form_title``, ``version`` (any text; a whole number becomes the definition's
version), ``default_language``, ``instance_name``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json

from conversations.catalogues import CATALOGUES
from conversations.definition import (
    MAX_INSTANCES,
    OTHER_CHOICE,
    Definition,
    DefinitionError,
    parse_definition,
)
from conversations.expressions import ExpressionError, parse
from conversations.languages import language_code
from conversations.xlsform_workbook import (
    Report,
    normalised,
    pyxform_message,
    read_workbook,
    warn_unused,
)
from i18n import DEFAULT_LANGUAGE

# The bytes of a file beside the form (a list of choices), by name; None when missing.
ListFiles = Callable[[str], bytes | None]

MAX_LIST_FILE = 8 * 2**20
MAX_LIST_ROWS = 20_000
# Each type a chat asks, by the name pyxform knows it under; every other spelling of it is
# found through pyxform's own dictionary of types.
ASKED: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer"},
    "decimal": {"type": "decimal"},
    "text": {"type": "text"},
    "date": {"type": "date"},
    "time": {"type": "time"},
    "datetime": {"type": "datetime"},
    "note": {"type": "note"},
    "acknowledge": {"type": "acknowledge"},
    "trigger": {"type": "acknowledge"},
    "geopoint": {"type": "location"},
    "phone number": {"type": "phone"},
    "image": {"type": "file", "kinds": ["photo"]},
    "audio": {"type": "file", "kinds": ["voice", "audio"]},
    "video": {"type": "file", "kinds": ["video"]},
    "file": {"type": "file", "kinds": ["document"]},
}
NEVER_IN_CHAT = {
    "barcode": "a barcode cannot be scanned in a chat; ask for it as text",
    "geotrace": "a line cannot be drawn in a chat; ask for a geopoint",
    "geoshape": "a shape cannot be drawn in a chat; ask for a geopoint",
    "osm": "an OpenStreetMap feature cannot be drawn in a chat",
    "select one external": "external choices need the form's own data; use choice_filter",
    "xml-external": "external data files are not read",
    "csv-external": "external data files are not read",
}
CHOICE_TYPES = {
    "select one": "single_choice",
    "select all that apply": "multiple_choice",
    "rank": "ranking",
}
# The product's catalogues, asked as if their file were beside the form (whatever is there).
BUILT_IN_FILES = {f"{name}.csv": name for name in CATALOGUES}
TRUE = {"yes", "true", "true()", "1"}
FALSE = {"", "no", "false", "false()", "0"}


@dataclass(frozen=True)
class Imported:
    """A form's definition, with what was read but has no use in a chat."""

    definition: Definition
    warnings: list[str] = field(default_factory=list)


def beside(path: Path) -> ListFiles:
    """The list files in the folder of a form, by plain name (no path leads elsewhere)."""

    def read(name: str) -> bytes | None:
        found = path.parent / name
        if PurePath(name).name != name or not found.is_file():
            return None
        try:
            return found.read_bytes()
        except OSError:
            return None

    return read


def read_xlsform(data: bytes, name: str, files: ListFiles | None = None) -> Definition:
    """The definition an XLSForm workbook holds; ``name`` (its file name) starts each problem."""
    return import_xlsform(data, name, files).definition


def import_xlsform(data: bytes, name: str, files: ListFiles | None = None) -> Imported:
    """The definition an XLSForm workbook holds and the warnings of what it leaves unused;
    DefinitionError names every problem by sheet, row and column."""
    report = Report(name)
    workbook = normalised(read_workbook(data, name))
    settings = dict((workbook.settings or [{}])[0]) if workbook.settings else {}
    default_language = language_code(settings.get("default_language", "")) or DEFAULT_LANGUAGE
    warn_unused(workbook, report)
    form_name = re.sub(r"[^A-Za-z0-9_]+", "_", PurePath(name).stem).strip("_") or "form"
    if not form_name[0].isalpha():
        form_name = f"form_{form_name}"
    try:
        form = workbook_to_json(
            workbook,
            form_name=form_name,
            fallback_form_name=workbook.fallback_form_name,
            default_language=settings.get("default_language") or "default",
            warnings=[],
        )
    except PyXFormError as error:
        raise DefinitionError([pyxform_message(error, report)]) from None
    rows = _rows_by_name(workbook.survey or [])
    reader = _Reader(report, default_language, rows, files)
    questions = reader.questions(form.get("children", []), sections=[], conditions=[])
    instance_name = settings.get("instance_name")
    if instance_name:
        try:
            parse(instance_name)
        except ExpressionError as error:
            report.warn("settings", 2, "instance_name", f"not read: {error}")
    if report.problems:
        raise DefinitionError(report.problems)
    version = str(form.get("version") or "1")
    fields = {
        "id": settings.get("form_id") or form_name,
        "version": int(version) if version.isdigit() and int(version) > 0 else 1,
        "kind": "survey",
        "title": {default_language: settings.get("form_title") or form_name},
        "questions": questions,
    }
    try:
        definition = parse_definition(fields, name)
    except DefinitionError as error:
        raise DefinitionError([_with_row(problem, rows) for problem in error.problems]) from None
    return Imported(definition, report.warnings)


def _rows_by_name(survey: Any) -> dict[str, int]:
    return {
        str(row["name"]): number
        for number, row in enumerate(survey, start=2)
        if isinstance(row, Mapping) and row.get("name")
    }


def _with_row(problem: str, rows: dict[str, int]) -> str:
    """Point a definition problem at the survey row of its question."""
    match = re.search(r"question '([^']+)'", problem)
    if match and match[1] in rows:
        return problem.replace(match[0], f"sheet 'survey', row {rows[match[1]]}, {match[0]}")
    return problem


def _flag(value: Any) -> bool | None:
    lowered = str(value or "").strip().lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


def _asked_type(kind: str) -> str | None:
    """Our name for a pyxform type, whatever its spelling (``add integer prompt``, ``int``)."""
    if kind in ASKED:
        return kind
    entry = QUESTION_TYPE_DICT.get(kind)
    return next((name for name in ASKED if QUESTION_TYPE_DICT.get(name) == entry), None)


def _added_for_other(choice: Mapping[str, Any]) -> bool:
    """The choice pyxform adds to a list that any question asks with ``or_other``."""
    label = choice.get("label")
    labels = set(label.values()) if isinstance(label, Mapping) else {label}
    return choice.get("name") == OTHER_CHOICE and labels == {"Other"} and len(choice) == 2


def _count_of(repeat: Mapping[str, Any]) -> str:
    return str((repeat.get("control") or {}).get("jr:count") or "")


def _computed_count(element: Mapping[str, Any], elements: list[Any]) -> Mapping[str, Any] | None:
    """The calculate pyxform adds before a repeat to hold a ``repeat_count`` that is no plain
    ``${name}`` (a number, or an expression)."""
    name = f"{element.get('name')}_count"
    if element.get("type") != "repeat" or _count_of(element) != f"${{{name}}}":
        return None
    return next(
        (
            e
            for e in elements
            if e.get("name") == name and (e.get("bind") or {}).get("readonly") == "true()"
        ),
        None,
    )


def _is_metadata(kind: str) -> bool:
    entry = QUESTION_TYPE_DICT.get(kind) or {}
    return "jr:preload" in entry.get("bind", {}) or entry.get("control", {}).get("tag") == "action"


class _Reader:
    """pyxform's survey elements as questions of a definition."""

    def __init__(
        self,
        report: Report,
        default_language: str,
        rows: dict[str, int],
        files: ListFiles | None,
    ) -> None:
        self.report = report
        self.default_language = default_language
        self.rows = rows
        self.files = files

    def row(self, element: Mapping[str, Any]) -> int | None:
        return self.rows.get(str(element.get("name", "")))

    def texts(self, value: Any, sheet: str, row: int | None, column: str) -> dict[str, str]:
        """A text by language code; a language no code can be found for is a problem."""
        if value is None or value == "":
            return {}
        if not isinstance(value, Mapping):
            return {self.default_language: str(value)}
        texts: dict[str, str] = {}
        for language, text in value.items():
            code = self.default_language if language == "default" else language_code(str(language))
            if code is None:
                self.report.refuse(
                    sheet,
                    row,
                    f"{column}::{language}",
                    f"no language code in '{language}': write it as '{language} (xx)'",
                )
            elif text:
                texts.setdefault(code, str(text))
        # The form's default language first: it is the last fallback of a reader.
        ordered = {code: texts[code] for code in (self.default_language,) if code in texts}
        return {**ordered, **texts}

    def questions(
        self, elements: list[Any], sections: list[dict[str, str]], conditions: list[str]
    ) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        skip = {
            str(computed.get("name"))
            for element in elements
            if (computed := _computed_count(element, elements)) is not None
        }
        for element in elements:
            name = str(element.get("name", ""))
            if name in skip:
                continue
            kind = element.get("type", "")
            row = self.row(element)
            relevant = (element.get("bind") or {}).get("relevant")
            if kind == "group":
                if (element.get("control") or {}).get("bodyless"):
                    continue  # the meta group pyxform adds: instance id and name
                label = self.texts(element.get("label"), "survey", row, "label")
                inner = [*conditions, relevant] if relevant else conditions
                questions += self.questions(
                    element.get("children", []), [*sections, label] if label else sections, inner
                )
                continue
            if kind == "loop":
                self.report.refuse(
                    "survey", row, "type", "a loop is not asked in a chat: use a repeat"
                )
                continue
            if kind == "repeat":
                question = self.repeat(element, row, elements)
            else:
                other = any(e.get("name") == f"{name}_other" for e in elements)
                found = self.question(element, kind, row, other)
                if found is None:
                    continue
                if other:
                    skip.add(f"{name}_other")
                question = found
            all_conditions = [*conditions, relevant] if relevant else conditions
            if len(all_conditions) == 1:
                question["relevant"] = all_conditions[0]
            elif all_conditions:
                question["relevant"] = " and ".join(f"({c})" for c in all_conditions)
            if sections and kind != "repeat":
                question["section"] = sections[-1]
            questions.append(question)
        return questions

    def repeat(
        self, element: Mapping[str, Any], row: int | None, elements: list[Any]
    ) -> dict[str, Any]:
        """A repeat and its questions (the engine shows its label with each instance's number).

        A ``repeat_count`` that is no plain ``${name}`` pyxform computes in a calculate of its
        own right before the repeat: it is read back into the repeat's count."""
        name = str(element.get("name", ""))
        repeat: dict[str, Any] = {"id": name, "type": "repeat"}
        texts = self.texts(element.get("label"), "survey", row, "label")
        if texts:
            repeat["text"] = texts
        count = _count_of(element)
        computed = _computed_count(element, elements)
        if computed is not None:
            count = str(computed["bind"].get("calculate", "")).strip()
        if count.isdigit() and int(count) > MAX_INSTANCES:
            self.report.refuse(
                "survey", row, "repeat_count", f"at most {MAX_INSTANCES} instances, not {count}"
            )
        if count:
            repeat["repeat_count"] = int(count) if count.isdigit() else count
        repeat["questions"] = self.questions(element.get("children", []), [], [])
        return repeat

    def question(
        self, element: Mapping[str, Any], kind: str, row: int | None, other: bool
    ) -> dict[str, Any] | None:
        name = str(element.get("name", ""))
        bind = element.get("bind") or {}
        question: dict[str, Any] = {"id": name}
        if kind in CHOICE_TYPES:
            question.update(type=CHOICE_TYPES[kind], other=other, **self.choices(element, row))
        elif kind == "range":
            question.update(self.range(element, row))
        elif kind == "calculate" or (kind == "hidden" and "calculate" in bind):
            question.update(type="calculate")
        elif kind == "hidden":
            default = str(element.get("default", ""))
            quote = '"' if "'" in default else "'"
            question.update(type="calculate", calculation=f"{quote}{default}{quote}")
            return question
        elif (asked := _asked_type(kind)) is not None:
            question.update(ASKED[asked])
        elif _is_metadata(kind):
            return None
        else:
            reason = NEVER_IN_CHAT.get(kind, f"question type '{kind}' is not supported")
            self.report.refuse("survey", row, "type", reason)
            return None
        for column, key in (("label", "text"), ("hint", "hint")):
            texts = self.texts(element.get(column), "survey", row, column)
            if texts:
                question[key] = texts
        for column, key in (
            ("jr:constraintMsg", "constraint_message"),
            ("jr:requiredMsg", "required_message"),
        ):
            texts = self.texts(bind.get(column), "survey", row, key)
            if texts:
                question[key] = texts
        required = _flag(bind.get("required"))
        if required is None:
            self.report.refuse("survey", row, "required", f"'{bind['required']}' must be yes or no")
        question["required"] = bool(required) and question["type"] not in ("note", "calculate")
        if not question["required"]:
            question.pop("required_message", None)
        for column, key in (("constraint", "constraint"), ("calculate", "calculation")):
            if bind.get(column):
                question[key] = str(bind[column])
        if element.get("default") not in (None, "") and question["type"] not in (
            "note",
            "calculate",
        ):
            question["default"] = str(element["default"])
        if element.get("choice_filter"):
            question["choice_filter"] = str(element["choice_filter"])
        return question

    def range(self, element: Mapping[str, Any], row: int | None) -> dict[str, Any]:
        parameters = element.get("parameters") or {}
        try:
            start, end, step = (
                float(parameters.get(key, d)) for key, d in (("start", 1), ("end", 10), ("step", 1))
            )
        except ValueError:
            start, end, step = 1, 10, 0
        if (
            step != 1
            or not start.is_integer()
            or not end.is_integer()
            or not 2 <= end - start + 1 <= 11
        ):
            self.report.refuse(
                "survey",
                row,
                "parameters",
                "a range is asked as a row of 2 to 11 whole numbers (step=1)",
            )
        return {"type": "rating", "min": int(start), "max": int(end)}

    def choices(self, element: Mapping[str, Any], row: int | None) -> dict[str, Any]:
        raw = element.get("choices")
        itemset = str(element.get("itemset") or element.get("list_name") or "")
        if raw is None and itemset in BUILT_IN_FILES:
            return {"choices_from": BUILT_IN_FILES[itemset]}
        if raw is None and PurePath(itemset).suffix:
            raw = self.list_file(itemset, element.get("parameters") or {}, row)
        raw = list(raw or ())
        if raw and _added_for_other(raw[-1]):
            raw.pop()  # "other" is the definition's own, asked by ``other: true``
        return {"choices": [self.choice(choice, row) for choice in raw]}

    def choice(self, raw: Mapping[str, Any], row: int | None) -> dict[str, Any]:
        label = self.texts(raw.get("label"), "choices", None, "label") or {
            self.default_language: str(raw.get("name", ""))
        }
        data = {
            str(key): str(value)
            for key, value in raw.items()
            if key not in ("name", "label", "media") and not str(key).startswith("label")
        }
        choice: dict[str, Any] = {"id": str(raw.get("name", "")), "label": label}
        if data:
            choice["data"] = data
        return choice

    def list_file(
        self, file_name: str, parameters: Mapping[str, Any], row: int | None
    ) -> list[dict[str, Any]]:
        """The choices of ``select_one_from_file``: a CSV beside the form."""
        if PurePath(file_name).suffix.lower() != ".csv":
            self.report.refuse("survey", row, "type", f"'{file_name}': only .csv lists are read")
            return []
        data = self.files(file_name) if self.files else None
        if data is None:
            self.report.refuse(
                "survey", row, "type", f"the list file '{file_name}' is not beside the form"
            )
            return []
        if len(data) > MAX_LIST_FILE:
            self.report.refuse("survey", row, "type", f"'{file_name}' is larger than 8 MB")
            return []
        value_column = str(parameters.get("value") or "name")
        label_column = str(parameters.get("label") or "label")
        try:
            lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as error:
            self.report.refuse("survey", row, "type", f"'{file_name}' is not a UTF-8 CSV: {error}")
            return []
        if len(lines) > MAX_LIST_ROWS:
            self.report.refuse("survey", row, "type", f"'{file_name}' has more than 20,000 rows")
            return []
        if lines and (value_column not in lines[0] or label_column not in lines[0]):
            self.report.refuse(
                "survey",
                row,
                "type",
                f"'{file_name}' needs the columns '{value_column}' and '{label_column}'",
            )
            return []
        return [
            {
                **{key: value for key, value in line.items() if key and value is not None},
                "name": line[value_column],
                "label": line[label_column],
            }
            for line in lines
        ]
