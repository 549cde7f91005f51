"""A campaign's completed responses as a spreadsheet: one row per response, KoBoToolbox-like.

One column per question (labels or values, in the language asked); a multiple choice also
gets one 0/1 column per option, and "other, specify" a column of its texts. Each row tells the
definition version, the respondent's sector and roles, and when the response was started and
finished: to the day only for anonymous answers. A sector and roles combination held by fewer
than ``k`` respondents is left blank, as ``conversations.suppression`` says, so a row cannot be
told apart by it. The XLSX has a second sheet describing every column; the CSV is UTF-8 with a
byte order mark, so Excel opens it right.

A repeat is a column of the number of its instances; the XLSX also has one sheet per repeat,
as KoBoToolbox exports them: a row per instance, with its questions, its ``_index`` (its row in
that sheet, from 1) and the ``_parent_index`` of the row it belongs to (in the responses' sheet,
whose rows then carry an ``_index`` too, or in the sheet of the repeat it is in). The CSV is the
responses' table only.

Rows are read page by page and written as they come (openpyxl's write-only mode): memory stays
bounded whatever the number of responses.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import enum
import io
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import OTHER_CHOICE, Definition, Question, localize
from conversations.engine.state import place
from conversations.questions.choice import Listed
from conversations.questions.registry import type_of
from conversations.questions.scales import Scale
from conversations.results import group_value
from conversations.suppression import suppressed
from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog
from core.infra.workbooks import csv_text, text_cell
from core.models import ResponseSession, ResponseStatus
from i18n import N_, gettext

PAGE = 1000
# The records of each sheet, by the repeat it lists (None: the responses).
Tables = defaultdict[str | None, list["Record"]]
RESPONSES_SHEET = N_("Responses")
COLUMNS_SHEET = N_("Columns")


class Values(enum.StrEnum):
    """What a choice's cell holds: the option's label in the language asked, or its id."""

    LABELS = "labels"
    VALUES = "values"


@dataclass(frozen=True)
class Record:
    """A row of a sheet: a response, or one instance of a repeat in it (its answers, and the
    texts written under "other" by question id)."""

    response: Row[Any]
    answers: dict[str, Any]
    others: dict[str, str]
    index: int
    parent_index: int | None = None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    description: str
    cell: Callable[[Record], Any]


@dataclass(frozen=True)
class Sheet:
    """The responses (``repeat`` None), or the instances of a repeat in those of ``parent``."""

    title: str
    columns: list[Column]
    repeat: str | None = None
    parent: str | None = None
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Export:
    """What a campaign's export is made of: its sheets and the rows to read."""

    sheets: list[Sheet]
    campaign_id: int
    language: str

    @property
    def columns(self) -> list[Column]:
        """The columns of the responses."""
        return self.sheets[0].columns


async def prepare(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    campaign_id: int,
    *,
    language: str,
    values: Values = Values.LABELS,
    min_group: int = 1,
) -> Export:
    """What a campaign's export is made of: its columns, which leave blank the sector and roles
    of respondent groups too small to show."""
    campaign = await campaigns.get_campaign(session, secretariat_id, campaign_id)
    definition = await catalog.of_campaign(session, campaign)
    sizes: Counter[tuple[Any, Any]] = Counter()
    respondents = await session.stream(
        select(ResponseSession.respondent)
        .where(_completed(campaign.id))
        .execution_options(yield_per=PAGE)
    )
    async for page in respondents.partitions():
        sizes.update(_group(respondent) for (respondent,) in page)
    hidden = frozenset(suppressed(sizes, min_group))
    return Export(_sheets(definition, language, values, hidden), campaign.id, language)


def _completed(campaign_id: int) -> Any:
    return (ResponseSession.campaign_id == campaign_id) & (
        ResponseSession.status == ResponseStatus.COMPLETED
    )


def _group(respondent: Any) -> tuple[Any, Any]:
    respondent = respondent if isinstance(respondent, dict) else {}
    return group_value(respondent, "sector"), group_value(respondent, "roles")


async def _rows(session: AsyncSession, export: Export) -> AsyncIterator[Sequence[Row[Any]]]:
    result = await session.stream(
        select(
            ResponseSession.answers,
            ResponseSession.state["others"].label("others"),
            ResponseSession.respondent,
            ResponseSession.anonymous,
            ResponseSession.created_at,
            ResponseSession.completed_at,
            ResponseSession.definition_version,
        )
        .where(_completed(export.campaign_id))
        .order_by(ResponseSession.id)
        .execution_options(yield_per=PAGE)
    )
    async for page in result.partitions():
        yield page


def _when(row: Row[Any], moment: datetime | None) -> date | datetime | None:
    if moment is None:
        return None
    if row.anonymous:
        return moment.date()
    return moment.replace(tzinfo=None, microsecond=0)


def _sheets(
    definition: Definition, language: str, values: Values, hidden: frozenset[tuple[Any, Any]]
) -> list[Sheet]:
    """The responses' sheet, then a sheet per repeat (each after the one it is in)."""
    repeats = [question for question in definition.every_question if question.is_repeat]
    linked = _links(language, parent=False) if repeats else []
    main = _columns(definition, language, values, hidden) + linked
    sheets = [Sheet(gettext(language, RESPONSES_SHEET), main)]
    titles = {sheets[0].title.lower(), gettext(language, COLUMNS_SHEET).lower()}
    for repeat in repeats:
        inner = repeat.questions or []
        columns = [
            column
            for question in inner
            if not type_of(question).informs
            for column in _question_columns(question, language, values)
        ]
        enclosing = definition.repeats_of(repeat.id)
        sheets.append(
            Sheet(
                _title(repeat.id, titles),
                columns + _links(language, parent=True),
                repeat.id,
                enclosing[-1] if enclosing else None,
                tuple(question.id for question in inner),
            )
        )
    return sheets


def _title(name: str, taken: set[str]) -> str:
    """A sheet's title: at most 31 characters, unlike any other (Excel ignores case)."""
    title, number = name[:31], 1
    while title.lower() in taken:
        number += 1
        title = f"{name[: 30 - len(str(number))]}_{number}"
    taken.add(title.lower())
    return title


def _links(language: str, *, parent: bool) -> list[Column]:
    index = Column(
        "_index",
        "_index",
        gettext(language, "Number of the row in its sheet, from 1."),
        lambda record: record.index,
    )
    if not parent:
        return [index]
    return [
        index,
        Column(
            "_parent_index",
            "_parent_index",
            gettext(language, "The _index of the row this one belongs to, in the sheet it is in."),
            lambda record: record.parent_index,
        ),
    ]


def _columns(
    definition: Definition, language: str, values: Values, hidden: frozenset[tuple[Any, Any]]
) -> list[Column]:
    def _(message: str) -> str:
        return gettext(language, message)

    def named(key: str, label: str) -> str:
        return key if values is Values.VALUES else label

    def attribute(position: int) -> Callable[[Record], Any]:
        def cell(record: Record) -> Any:
            group = _group(record.response.respondent)
            return None if group in hidden else group[position]

        return cell

    columns = [
        Column(
            "start",
            named("start", _("Started")),
            _("When the response was started (UTC; the day only for anonymous answers)."),
            lambda record: _when(record.response, record.response.created_at),
        ),
        Column(
            "end",
            named("end", _("Finished")),
            _("When the response was finished (UTC; the day only for anonymous answers)."),
            lambda record: _when(record.response, record.response.completed_at),
        ),
        Column(
            "version",
            named("version", _("Version")),
            _("Version of the survey answered."),
            lambda record: record.response.definition_version,
        ),
        Column(
            "sector",
            named("sector", _("Sector")),
            _(
                "Sector of the respondent (blank where fewer "
                "people share it than results may show)."
            ),
            attribute(0),
        ),
        Column(
            "roles",
            named("roles", _("Roles")),
            _(
                "Roles of the respondent (blank where fewer "
                "people share them than results may show)."
            ),
            attribute(1),
        ),
    ]
    for question in definition.questions:
        if type_of(question).informs:
            continue
        columns.extend(_question_columns(question, language, values))
    return columns


def _question_columns(question: Question, language: str, values: Values) -> list[Column]:
    kind = type_of(question)
    title = localize(question.text, language)
    choices = kind.choices(question, language) if isinstance(kind, Listed | Scale) else []
    labels = {choice.id: choice.label for choice in choices}
    shown = labels if values is Values.LABELS else {}
    header = question.id if values is Values.VALUES else title
    qid = question.id
    if question.is_repeat:
        described = gettext(
            language, "How many were given: one row each in the sheet {sheet}.", sheet=qid
        )
        return [Column(qid, header, described, lambda record: len(record.answers.get(qid) or ()))]
    columns = [Column(qid, header, title, lambda record: _cell(record.answers, qid, shown))]
    if question.type == "multiple_choice":
        for choice in choices:
            columns.append(
                Column(
                    f"{qid}/{choice.id}",
                    f"{qid}/{choice.id}"
                    if values is Values.VALUES
                    else f"{title} / {choice.label}",
                    gettext(language, "1 if “{option}” was chosen, else 0.", option=choice.label),
                    _chosen(qid, choice.id),
                )
            )
    if question.other:
        columns.append(
            Column(
                f"{qid}_other",
                f"{qid}_other" if values is Values.VALUES else f"{title} / {labels[OTHER_CHOICE]}",
                gettext(language, "What was written under “{option}”.",
                        option=labels[OTHER_CHOICE]),
                lambda record: record.others.get(qid),
            )
        )  # fmt: skip
    return columns


def _cell(answers: dict[str, Any], question_id: str, labels: dict[str, str]) -> Any:
    value = answers.get(question_id)
    if isinstance(value, list):
        parts = [_part(item, labels) for item in value]
        return ("; " if labels else " ").join(str(part) for part in parts if part is not None)
    if isinstance(value, dict):
        if "latitude" in value:
            return f"{value.get('latitude')}, {value.get('longitude')}"
        return None
    if isinstance(value, bool):
        return int(value)
    return labels.get(value, value) if isinstance(value, str) else value


def _part(item: Any, labels: dict[str, str]) -> Any:
    if isinstance(item, dict):  # a part of a long answer, or a file
        return item.get("text") or f"[{item.get('kind', 'file')}]"
    return labels.get(item, item) if isinstance(item, str) else item


def _chosen(question_id: str, option: str) -> Callable[[Record], int | None]:
    def cell(record: Record) -> int | None:
        value = record.answers.get(question_id)
        return int(option in value) if isinstance(value, list) else None

    return cell


def _records(sheets: list[Sheet], page: Sequence[Row[Any]], counts: Counter[str | None]) -> Tables:
    """The rows of a page of responses, and of their repeats' instances, by sheet."""
    tables: Tables = defaultdict(list)
    for response in page:
        counts[None] += 1
        answers = response.answers if isinstance(response.answers, dict) else {}
        others = response.others if isinstance(response.others, dict) else {}
        record = Record(response, answers, {k: v for k, v in others.items() if "@" not in k},
                        counts[None])  # fmt: skip
        tables[None].append(record)
        _instances(sheets[1:], record, None, (), others, counts, tables)
    return tables


def _instances(
    sheets: list[Sheet],
    parent: Record,
    repeat: str | None,
    instance: tuple[int, ...],
    others: dict[str, str],
    counts: Counter[str | None],
    tables: Tables,
) -> None:
    """The records of the instances of the repeats right inside ``repeat`` (the response's)."""
    for sheet in sheets:
        if sheet.parent != repeat:
            continue
        held = parent.answers.get(sheet.repeat or "")
        for number, answers in enumerate(held if isinstance(held, list) else ()):
            if not isinstance(answers, dict):
                continue
            at = (*instance, number)
            counts[sheet.repeat] += 1
            texts = {
                qid: others[place(qid, at)] for qid in sheet.questions if place(qid, at) in others
            }
            record = Record(parent.response, answers, texts, counts[sheet.repeat], parent.index)
            tables[sheet.repeat].append(record)
            _instances(sheets, record, sheet.repeat, at, others, counts, tables)


async def write_csv(session: AsyncSession, export: Export, target: IO[bytes]) -> None:
    """The responses as UTF-8 CSV with a byte order mark, a header row first."""
    target.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = export.columns
    writer.writerow([csv_text(column.header) for column in columns])
    counts: Counter[str | None] = Counter()
    async for page in _rows(session, export):
        for record in _records(export.sheets[:1], page, counts)[None]:
            writer.writerow([_csv_value(column.cell(record)) for column in columns])
        target.write(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()
    target.write(buffer.getvalue().encode())


def _csv_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return csv_text(value)


async def write_xlsx(session: AsyncSession, export: Export, target: IO[bytes]) -> None:
    """The responses in a sheet, the instances of each repeat in one of its own, and every
    column described in the last one, as an .xlsx workbook."""
    workbook = Workbook(write_only=True)
    sheets = {sheet.repeat: (workbook.create_sheet(sheet.title), sheet) for sheet in export.sheets}
    for written, sheet in sheets.values():
        written.append([text_cell(written, column.header) for column in sheet.columns])
    counts: Counter[str | None] = Counter()
    async for page in _rows(session, export):
        # Off the event loop: other requests are answered while a large export is written.
        await asyncio.to_thread(_append, sheets, _records(export.sheets, page, counts))
    language = export.language
    described = workbook.create_sheet(gettext(language, COLUMNS_SHEET))
    for row in [
        [gettext(language, "Column"), gettext(language, "Name"), gettext(language, "Description")],
        *(
            [column.header, column.key if sheet.repeat is None else f"{sheet.title}/{column.key}",
             column.description]
            for sheet in export.sheets
            for column in sheet.columns
        ),
    ]:  # fmt: skip
        described.append([text_cell(described, value) for value in row])
    await asyncio.to_thread(workbook.save, target)


def _append(sheets: dict[str | None, tuple[Any, Sheet]], tables: Tables) -> None:
    for repeat, records in tables.items():
        written, sheet = sheets[repeat]
        for record in records:
            written.append([text_cell(written, column.cell(record)) for column in sheet.columns])
