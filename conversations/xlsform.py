"""Import of XLSForm workbooks (the format of KoBoToolbox and ODK) as definitions.

The ``survey`` sheet lists the questions, ``choices`` the options of each list and
``settings`` (optional) ``form_id``, ``form_title``, ``version`` (a whole number) and
``default_language``. Supported question types: ``select_one``/``select_multiple``/``rank``
LIST (``or_other`` adds "other, specify"), ``integer``, ``decimal``, ``range`` (a rating
scale, from ``parameters`` start/end), ``text``, ``date``, ``note``, ``image``, ``audio``,
``video``, ``file``, ``geopoint``, ``calculate``, and groups (their label becomes the section
of the questions inside, their ``relevant`` applies to each). Columns: ``name``, ``label``,
``hint``, ``required``, ``relevant``, ``constraint``, ``constraint_message``, ``calculation``,
each text column also per language as ``label::Español (es)``. Metadata (``start``, ``end``,
``today``, ``deviceid``, ...) is not asked and is ignored. Anything else (repeats, choice
filters, media, defaults, ...) is refused, naming the sheet, row and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from conversations.definition import Definition, DefinitionError, parse_definition
from i18n import DEFAULT_LANGUAGE

TEXT_COLUMNS = {"label": "text", "hint": "hint", "constraint_message": "constraint_message"}
PLAIN_COLUMNS = {"type", "name", "required", "relevant", "constraint", "calculation", "parameters"}
# Presentation hints that change nothing in a chat.
IGNORED_COLUMNS = {"appearance", "read_only", "autoplay", "note", "required_message"}
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "start-geopoint",
}
SIMPLE_TYPES: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer"},
    "decimal": {"type": "decimal"},
    "text": {"type": "text"},
    "date": {"type": "date"},
    "note": {"type": "note"},
    "calculate": {"type": "calculate"},
    "geopoint": {"type": "location"},
    "image": {"type": "file", "kinds": ["photo"]},
    "audio": {"type": "file", "kinds": ["voice", "audio"]},
    "video": {"type": "file", "kinds": ["video"]},
    "file": {"type": "file", "kinds": ["document"]},
}
LIST_TYPES = {
    "select_one": "single_choice",
    "select_multiple": "multiple_choice",
    "rank": "ranking",
}
LANGUAGE_NAMES = {"español": "es", "espanol": "es", "spanish": "es", "english": "en"}
SURVEY_COLUMNS = PLAIN_COLUMNS | set(TEXT_COLUMNS) | IGNORED_COLUMNS
TRUE = {"yes", "true", "true()", "1"}
FALSE = {"", "no", "false", "false()", "0"}


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = [f"sheet '{sheet}'"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        self.items.append(f"{self.source}: {', '.join(where)}: {message}")


def _language(suffix: str) -> str | None:
    """The code of ``Español (es)``, ``English (en)``, ``es``, ``es-MX`` or ``Spanish``."""
    if match := re.search(r"\(([A-Za-z]{2})(?:[-_][A-Za-z]+)?\)", suffix):
        return match[1].lower()
    if match := re.fullmatch(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z]+)?\s*", suffix):
        return match[1].lower()
    return LANGUAGE_NAMES.get(suffix.strip().lower())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(workbook: Any, name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Headers and the non-empty rows (with their 1-based row number) of a sheet."""
    rows = workbook[name].iter_rows(values_only=True)
    headers = [_cell(value) for value in next(rows, ())]
    records = []
    for number, values in enumerate(rows, start=2):
        record = {
            header: _cell(value) for header, value in zip(headers, values, strict=False) if header
        }
        if any(record.values()):
            records.append((number, record))
    return headers, records


def _texts(
    record: dict[str, str],
    column: str,
    default_language: str,
    problems: _Problems,
    sheet: str,
    row: int,
) -> dict[str, str] | None:
    texts: dict[str, str] = {}
    for header, value in record.items():
        base, _, suffix = header.partition("::")
        if base.strip().lower() != column or not value:
            continue
        language = _language(suffix) if suffix else default_language
        if language not in ("es", "en"):
            problems.add(sheet, row, header, "only Spanish (es) and English (en) are supported")
            continue
        texts[language] = value
    return texts or None


def _check_columns(
    rows: list[tuple[int, dict[str, str]]], known: set[str], sheet: str, problems: _Problems
) -> None:
    """Refuse every filled cell of a column this importer does not understand."""
    for row, record in rows:
        for header, value in record.items():
            if value and header.partition("::")[0].strip().lower() not in known:
                problems.add(sheet, row, header, "this column is not supported")


def _settings(workbook: Any) -> dict[str, str]:
    if "settings" not in workbook.sheetnames:
        return {}
    _, rows = _read_sheet(workbook, "settings")
    return {key.strip().lower(): value for key, value in rows[0][1].items()} if rows else {}


def _choice_lists(
    workbook: Any, default_language: str, problems: _Problems
) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    if "choices" not in workbook.sheetnames:
        return lists
    _, rows = _read_sheet(workbook, "choices")
    _check_columns(rows, {"list_name", "list name", "name", "label"}, "choices", problems)
    for row, record in rows:
        list_name = record.get("list_name") or record.get("list name") or ""
        name = record.get("name", "")
        label = _texts(record, "label", default_language, problems, "choices", row)
        if not list_name or not name:
            problems.add("choices", row, "list_name" if not list_name else "name", "is empty")
            continue
        lists.setdefault(list_name, []).append({"id": name, "label": label or name})
    return lists


def _flag(value: str, sheet: str, row: int, column: str, problems: _Problems) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered not in FALSE:
        problems.add(sheet, row, column, f"'{value}' must be yes or no")
    return False


def _range(parameters: str, row: int, problems: _Problems) -> dict[str, Any]:
    values = dict(re.findall(r"(\w+)\s*=\s*(-?\d+)", parameters))
    if values.get("step", "1") != "1":
        problems.add("survey", row, "parameters", "only ranges with step=1 are supported")
    return {
        "type": "rating",
        "min": int(values.get("start", 1)),
        "max": int(values.get("end", 5)),
    }


def read_xlsform(data: bytes, name: str) -> Definition:
    """The definition an XLSForm workbook holds; ``name`` (its file name) starts each problem."""
    problems = _Problems(name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise DefinitionError([f"{name}: not an XLSForm workbook: {error}"]) from None
    try:
        if "survey" not in workbook.sheetnames:
            raise DefinitionError([f"{name}: the workbook has no 'survey' sheet"])
        settings = _settings(workbook)
        default_language = _language(settings.get("default_language", "")) or DEFAULT_LANGUAGE
        lists = _choice_lists(workbook, default_language, problems)
        _, rows = _read_sheet(workbook, "survey")
        _check_columns(rows, SURVEY_COLUMNS, "survey", problems)
        questions, rows_of = _questions(rows, lists, default_language, problems)
    finally:
        workbook.close()
    version = settings.get("version", "1")
    if not version.isdigit():
        problems.add("settings", 2, "version", f"'{version}' must be a whole number")
    if problems.items:
        raise DefinitionError(problems.items)
    form_id = settings.get("form_id") or re.sub(r"[^A-Za-z0-9_]+", "_", PurePath(name).stem)
    fields = {
        "id": form_id,
        "version": int(version),
        "kind": "survey",
        "title": {default_language: settings.get("form_title") or form_id},
        "questions": questions,
    }
    try:
        return parse_definition(fields, name)
    except DefinitionError as error:
        raise DefinitionError([_with_row(problem, rows_of) for problem in error.problems]) from None


def _with_row(problem: str, rows_of: dict[str, int]) -> str:
    """Point a definition problem at the survey row of its question."""
    match = re.search(r"question '([^']+)'", problem)
    if match and match[1] in rows_of:
        return problem.replace(match[0], f"sheet 'survey', row {rows_of[match[1]]}, {match[0]}")
    return problem


def _questions(
    rows: list[tuple[int, dict[str, str]]],
    lists: dict[str, list[dict[str, Any]]],
    default_language: str,
    problems: _Problems,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    questions: list[dict[str, Any]] = []
    rows_of: dict[str, int] = {}
    groups: list[tuple[dict[str, str] | None, str]] = []  # (label, relevant) of open groups
    for row, record in rows:
        kind = re.sub(r"\s+", " ", record.get("type", "")).strip()
        words = kind.split(" ")
        base = words[0].lower()
        if kind.lower() in ("begin_group", "begin group"):
            label = _texts(record, "label", default_language, problems, "survey", row)
            groups.append((label, record.get("relevant", "")))
            continue
        if kind.lower() in ("end_group", "end group"):
            if not groups:
                problems.add("survey", row, "type", "end_group without begin_group")
            else:
                groups.pop()
            continue
        if kind.lower() in ("begin_repeat", "begin repeat", "end_repeat", "end repeat"):
            problems.add("survey", row, "type", "repeats are not supported")
            continue
        if base in METADATA_TYPES:
            continue
        if not kind:
            problems.add("survey", row, "type", "is empty")
            continue
        question = _question(row, record, kind, base, words, lists, default_language, problems)
        if question is None:
            continue
        conditions = [relevant for _, relevant in groups if relevant]
        if record.get("relevant"):
            conditions.append(record["relevant"])
        if len(conditions) == 1:
            question["relevant"] = conditions[0]
        elif conditions:
            question["relevant"] = " and ".join(f"({condition})" for condition in conditions)
        labels = [label for label, _ in groups if label]
        if labels:
            question["section"] = labels[-1]
        rows_of[question["id"]] = row
        questions.append(question)
    if groups:
        problems.add("survey", None, "type", "a group is never closed with end_group")
    return questions, rows_of


def _question(
    row: int,
    record: dict[str, str],
    kind: str,
    base: str,
    words: list[str],
    lists: dict[str, list[dict[str, Any]]],
    default_language: str,
    problems: _Problems,
) -> dict[str, Any] | None:
    name = record.get("name", "")
    if not name:
        problems.add("survey", row, "name", "every question needs a name")
        return None
    question: dict[str, Any] = {"id": name}
    if base in LIST_TYPES:
        other = len(words) == 3 and words[2].lower() == "or_other"
        if len(words) != 2 and not other:
            problems.add("survey", row, "type", f"'{kind}' must be '{base} LIST_NAME'")
            return None
        if words[1] not in lists:
            problems.add("survey", row, "type", f"choice list '{words[1]}' is not in 'choices'")
            return None
        question.update(type=LIST_TYPES[base], choices=lists[words[1]], other=other)
    elif base == "range" and len(words) == 1:
        question.update(_range(record.get("parameters", ""), row, problems))
    elif kind.lower() in SIMPLE_TYPES:
        question.update(SIMPLE_TYPES[kind.lower()])
    else:
        problems.add("survey", row, "type", f"question type '{kind}' is not supported")
        return None
    for column, field in TEXT_COLUMNS.items():
        texts = _texts(record, column, default_language, problems, "survey", row)
        if texts:
            question[field] = texts
    question["required"] = _flag(record.get("required", ""), "survey", row, "required", problems)
    for column in ("constraint", "calculation"):
        if record.get(column):
            question[column] = record[column]
    if question["type"] == "note":
        question["required"] = False
    return question
