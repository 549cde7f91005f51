"""A campaign's completed responses as a spreadsheet: one row per response, KoBoToolbox-like.

One column per question (labels or values, in the language asked); a multiple choice also
gets one 0/1 column per option, and "other, specify" a column of its texts. Each row tells the
definition version, the respondent's sector and roles, and when the response was started and
finished: to the day only for anonymous answers. A sector and roles combination held by fewer
than ``k`` respondents is left blank, as ``conversations.suppression`` says, so a row cannot be
told apart by it. The XLSX has a second sheet describing every column; the CSV is UTF-8 with a
byte order mark, so Excel opens it right.

Rows are read page by page and written as they come (openpyxl's write-only mode): memory stays
bounded whatever the number of responses.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import enum
import io
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import OTHER_CHOICE, Definition, Question, localize
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
RESPONSES_SHEET = N_("Responses")
COLUMNS_SHEET = N_("Columns")


class Values(enum.StrEnum):
    """What a choice's cell holds: the option's label in the language asked, or its id."""

    LABELS = "labels"
    VALUES = "values"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    description: str
    cell: Callable[[Row[Any]], Any]


@dataclass(frozen=True)
class Export:
    """What a campaign's export is made of: its columns and the rows to read."""

    columns: list[Column]
    campaign_id: int
    language: str


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
    columns = _columns(definition, language, values, hidden)
    return Export(columns, campaign.id, language)


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


def _columns(
    definition: Definition, language: str, values: Values, hidden: frozenset[tuple[Any, Any]]
) -> list[Column]:
    def _(message: str) -> str:
        return gettext(language, message)

    def named(key: str, label: str) -> str:
        return key if values is Values.VALUES else label

    def attribute(position: int) -> Callable[[Row[Any]], Any]:
        def cell(row: Row[Any]) -> Any:
            group = _group(row.respondent)
            return None if group in hidden else group[position]

        return cell

    columns = [
        Column(
            "start",
            named("start", _("Started")),
            _("When the response was started (UTC; the day only for anonymous answers)."),
            lambda row: _when(row, row.created_at),
        ),
        Column(
            "end",
            named("end", _("Finished")),
            _("When the response was finished (UTC; the day only for anonymous answers)."),
            lambda row: _when(row, row.completed_at),
        ),
        Column(
            "version",
            named("version", _("Version")),
            _("Version of the survey answered."),
            lambda row: row.definition_version,
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
    columns = [Column(qid, header, title, lambda row: _cell(row.answers, qid, shown))]
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
                lambda row: (row.others or {}).get(qid),
            )
        )  # fmt: skip
    return columns


def _cell(answers: Any, question_id: str, labels: dict[str, str]) -> Any:
    value = (answers or {}).get(question_id)
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


def _chosen(question_id: str, option: str) -> Callable[[Row[Any]], int | None]:
    def cell(row: Row[Any]) -> int | None:
        value = (row.answers or {}).get(question_id)
        return int(option in value) if isinstance(value, list) else None

    return cell


async def write_csv(session: AsyncSession, export: Export, target: IO[bytes]) -> None:
    """The rows as UTF-8 CSV with a byte order mark, a header row first."""
    target.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = export.columns
    writer.writerow([csv_text(column.header) for column in columns])
    async for page in _rows(session, export):
        for row in page:
            writer.writerow([_csv_value(column.cell(row)) for column in columns])
        target.write(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()
    target.write(buffer.getvalue().encode())


def _csv_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return csv_text(value)


async def write_xlsx(session: AsyncSession, export: Export, target: IO[bytes]) -> None:
    """The rows in a sheet, the columns described in a second one, as an .xlsx workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext(export.language, RESPONSES_SHEET))
    columns = export.columns
    sheet.append([text_cell(sheet, column.header) for column in columns])
    async for page in _rows(session, export):
        # Off the event loop: other requests are answered while a large export is written.
        await asyncio.to_thread(_append, sheet, columns, page)
    described = workbook.create_sheet(gettext(export.language, COLUMNS_SHEET))
    for row in [
        [gettext(export.language, "Column"), gettext(export.language, "Name"),
         gettext(export.language, "Description")],
        *([column.header, column.key, column.description] for column in columns),
    ]:  # fmt: skip
        described.append([text_cell(described, value) for value in row])
    await asyncio.to_thread(workbook.save, target)


def _append(sheet: Any, columns: list[Column], page: Sequence[Row[Any]]) -> None:
    for row in page:
        sheet.append([text_cell(sheet, column.cell(row)) for column in columns])
