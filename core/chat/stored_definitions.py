"""Definitions a secretariat uploads: checked, stored as a new version, published as templates.

A file is read from its bytes (a .xlsx within the spreadsheet bounds, off the event loop) and
checked as ``survey check`` checks it; a refusal lists every problem that command prints and
writes nothing. Each upload of an id is the next version of the secretariat's id, never an
overwrite. The national team publishes the latest version of an id as a template that every
secretariat may launch, and may withdraw it; sessions under way finish on their version.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import (
    NAME_PATTERN,
    Definition,
    DefinitionError,
    import_definition,
    parse_definition,
)
from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, InvalidInput, NotFound
from core.infra.db import changed_rows
from core.models import DefinitionFormat, StoredDefinition
from core.plans.spreadsheets.problems import CellError, FileTooLarge
from core.plans.spreadsheets.xlsx import check_bounds
from i18n import N_

if TYPE_CHECKING:
    from core.chat.definitions import DefinitionCatalog

# A definition of a few hundred questions takes well under a megabyte, even as an XLSForm.
MAX_BYTES = 2 * 1024 * 1024
FORMATS = {
    ".xlsx": DefinitionFormat.XLSFORM,
    ".yaml": DefinitionFormat.YAML,
    ".yml": DefinitionFormat.YAML,
    ".json": DefinitionFormat.JSON,
}
NO_DEFINITION = N_("There is no conversation called {id}.")


class DefinitionRejected(InvalidInput):
    """The file holds no valid definition; ``problems`` are those ``survey check`` prints."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            N_("Nothing was saved: the definition has problems ({count})."), count=len(problems)
        )
        # Authors' messages, in the words of ``survey check`` (each names its sheet, row and
        # column in an XLSForm): the same in every language.
        self.problems = [CellError(None, None, InvalidInput(problem)) for problem in problems]


def require_name(definition_id: str) -> None:
    """NotFound for what cannot be a definition's id (a NUL, a space...), without a query."""
    if len(definition_id) > 64 or not re.match(NAME_PATTERN, definition_id):
        raise NotFound(NO_DEFINITION, id=definition_id)


def definition_of(row: StoredDefinition) -> Definition:
    """The definition a stored version holds."""
    return parse_definition(row.content, f"{row.definition_id} v{row.version}")


def file_format(filename: str) -> DefinitionFormat:
    """The format a file name tells, or the refusal naming the ones taken."""
    found = FORMATS.get(PurePath(filename).suffix.lower())
    if found is None:
        raise InvalidInput(
            N_("A definition is an XLSForm (.xlsx), YAML (.yaml, .yml) or JSON (.json) file."),
            field="file",
        )
    return found


def read(data: bytes, filename: str) -> tuple[Definition, list[str]]:
    """The definition in an uploaded file, within the bounds, with the warnings of what it holds
    that a chat does not use; or the refusal saying why."""
    kind = file_format(filename)
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            N_("The file is larger than {limit} MB."), field="file", limit=MAX_BYTES // 2**20
        )
    if kind == DefinitionFormat.XLSFORM:
        check_bounds(data)
    try:
        return import_definition(data, PurePath(filename).name)
    except DefinitionError as error:
        raise DefinitionRejected(error.problems) from None


async def upload(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    catalog: DefinitionCatalog,
    *,
    data: bytes,
    filename: str,
) -> Uploaded:
    """Store the file's definition as the next version of the secretariat's id."""
    # Reading a workbook takes a while: off the event loop, so the API and the bot go on.
    definition, warnings = await asyncio.to_thread(read, data, filename)
    if definition.id in catalog.definitions:
        raise Conflict(
            N_("{id} is the id of a built-in conversation; give the definition another id."),
            field="id",
            id=definition.id,
        )
    newest = await session.scalar(
        select(func.max(StoredDefinition.version)).where(
            StoredDefinition.secretariat_id == secretariat_id,
            StoredDefinition.definition_id == definition.id,
        )
    )
    version = (newest or 0) + 1
    row = StoredDefinition(
        secretariat_id=secretariat_id,
        definition_id=definition.id,
        version=version,
        content=definition.model_copy(update={"version": version}).model_dump(mode="json"),
        file_name=PurePath(filename).name,
        file_format=file_format(filename),
        uploaded_by=str(actor),
    )
    session.add(row)
    await session.flush()
    await _record(session, actor, "definition.upload", row, file=row.file_name)
    return Uploaded(row, warnings)


@dataclass(frozen=True)
class Uploaded:
    """A stored definition, with the warnings of what its file holds that a chat does not use."""

    row: StoredDefinition
    warnings: list[str]


async def version_of(
    session: AsyncSession, owner_id: int, definition_id: str, version: int
) -> StoredDefinition | None:
    """One stored version of a secretariat's id."""
    return await session.scalar(
        select(StoredDefinition).where(
            StoredDefinition.secretariat_id == owner_id,
            StoredDefinition.definition_id == definition_id,
            StoredDefinition.version == version,
        )
    )


async def latest(
    session: AsyncSession, owner_id: int, definition_id: str, *, templates_only: bool = False
) -> StoredDefinition | None:
    """The newest version of a secretariat's id (of those published, with ``templates_only``)."""
    query = select(StoredDefinition).where(
        StoredDefinition.secretariat_id == owner_id,
        StoredDefinition.definition_id == definition_id,
    )
    if templates_only:
        query = query.where(StoredDefinition.template)
    return await session.scalar(query.order_by(StoredDefinition.version.desc()).limit(1))


async def _own_latest(
    session: AsyncSession, secretariat_id: int, definition_id: str
) -> StoredDefinition:
    """The newest version of the secretariat's own id, or NotFound."""
    require_name(definition_id)
    row = await latest(session, secretariat_id, definition_id)
    if row is None:
        raise NotFound(NO_DEFINITION, id=definition_id)
    return row


async def reachable(
    session: AsyncSession, secretariat_id: int, definition_id: str, version: int | None = None
) -> StoredDefinition | None:
    """The secretariat's own version of an id (the newest when ``version`` is None), else the
    national template's."""
    for query in (
        select(StoredDefinition).where(StoredDefinition.secretariat_id == secretariat_id),
        select(StoredDefinition).where(StoredDefinition.template),
    ):
        query = query.where(StoredDefinition.definition_id == definition_id)
        if version is not None:
            query = query.where(StoredDefinition.version == version)
        found = await session.scalar(query.order_by(StoredDefinition.version.desc()).limit(1))
        if found is not None:
            return found
    return None


async def available(session: AsyncSession, secretariat_id: int) -> list[StoredDefinition]:
    """Every version the secretariat may read: all of its own, and every published template,
    by owner, id and version."""
    return list(
        await session.scalars(
            select(StoredDefinition)
            .where((StoredDefinition.secretariat_id == secretariat_id) | StoredDefinition.template)
            .order_by(
                StoredDefinition.secretariat_id,
                StoredDefinition.definition_id,
                StoredDefinition.version,
            )
        )
    )


async def published(session: AsyncSession, secretariat_id: int, definition_id: str) -> bool:
    """Whether a version of the secretariat's id is a template."""
    found = await session.scalar(
        select(StoredDefinition.id)
        .where(
            StoredDefinition.secretariat_id == secretariat_id,
            StoredDefinition.definition_id == definition_id,
            StoredDefinition.template,
        )
        .limit(1)
    )
    return found is not None


async def publish(
    session: AsyncSession, secretariat_id: int, actor: Actor, definition_id: str
) -> StoredDefinition:
    """Publish the latest version of the secretariat's id as a template for every secretariat."""
    row = await _own_latest(session, secretariat_id, definition_id)
    taken = await session.scalar(
        select(StoredDefinition.secretariat_id).where(
            StoredDefinition.template,
            StoredDefinition.definition_id == definition_id,
            StoredDefinition.secretariat_id != secretariat_id,
        )
    )
    if taken is not None:
        raise Conflict(
            N_("Another secretariat's template is already called {id}."),
            field="definition_id",
            id=definition_id,
        )
    row.template = True
    await session.flush()
    await _record(session, actor, "definition.publish", row)
    return row


async def withdraw(
    session: AsyncSession, secretariat_id: int, actor: Actor, definition_id: str
) -> None:
    """Withdraw the secretariat's id from the templates; sessions under way still finish."""
    row = await _own_latest(session, secretariat_id, definition_id)
    withdrawn = await changed_rows(
        session,
        update(StoredDefinition)
        .where(
            StoredDefinition.secretariat_id == secretariat_id,
            StoredDefinition.definition_id == definition_id,
            StoredDefinition.template,
        )
        .values(template=False)
        .execution_options(synchronize_session="fetch"),
    )
    if withdrawn:
        await _record(session, actor, "definition.withdraw", row)


async def _record(
    session: AsyncSession, actor: Actor, action: str, row: StoredDefinition, **more: str
) -> None:
    data = {"definition_id": row.definition_id, "version": row.version, **more}
    await chain.about(session, row, action, actor, row.secretariat_id, data=data)
