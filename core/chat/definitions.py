"""Where the product finds a conversation definition: built in, or uploaded by a secretariat.

The catalog holds the built-in definitions shipped in ``conversations/definitions/`` (the
methodology's surveys and the forms of the product's features), the
joining conversation (made here, since its consent carries the privacy notice version of the
settings), and any further definitions a caller adds (tests, benchmarks). Definitions a
secretariat uploaded (``stored_definitions``) are read from the database at the version a
session is on; a stored version never changes, so its engine is kept once built, and an answer
to a built-in or already-read definition costs no query.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import Definition
from conversations.definitions import load_builtins, load_forms
from conversations.engine.navigation import Engine
from core.chat import stored_definitions
from core.errors import NotFound
from core.models import Campaign, ResponseSession, StoredDefinition
from core.people import joining

NO_SUCH = stored_definitions.NO_DEFINITION


class Source(enum.StrEnum):
    BUILTIN = "builtin"
    OWN = "own"
    TEMPLATE = "template"


@dataclass(frozen=True)
class Uploaded:
    """One version of a definition and when it was uploaded (never, for a built-in one)."""

    version: int
    uploaded_at: datetime | None


@dataclass(frozen=True)
class Located:
    """A definition as a secretariat reaches it: built in, its own, or a national template."""

    definition: Definition
    source: Source
    # The secretariat that uploaded it; None for a built-in one.
    owner_id: int | None = None

    @classmethod
    def builtin(cls, definition: Definition) -> Located:
        return cls(definition, Source.BUILTIN)


@dataclass(frozen=True)
class Available:
    """A definition a secretariat may launch, at its latest version, and all its versions."""

    located: Located
    versions: list[Uploaded]


class DefinitionCatalog:
    def __init__(self, privacy_notice_version: str, extra: Iterable[Definition] = ()) -> None:
        self.privacy_notice_version = privacy_notice_version
        self._extra = list(extra)
        self._engines: dict[str, Engine] = {}
        self._stored: dict[tuple[int, str, int], Engine] = {}

    @cached_property
    def definitions(self) -> dict[str, Definition]:
        found = dict(load_builtins())
        found.update(load_forms())
        for definition in joining.definitions(self.privacy_notice_version):
            found[definition.id] = definition
        for definition in self._extra:
            found[definition.id] = definition
        return found

    def get(self, definition_id: str) -> Definition:
        """The built-in definition with that id."""
        try:
            return self.definitions[definition_id]
        except KeyError:
            raise NotFound(NO_SUCH, id=definition_id) from None

    def engine(self, definition_id: str) -> Engine:
        """The engine of a built-in definition."""
        if definition_id not in self._engines:
            self._engines[definition_id] = Engine(self.get(definition_id))
        return self._engines[definition_id]

    def public(self) -> list[Definition]:
        """The built-in definitions a coordinator may launch (all but joining and the forms)."""
        internal = {*joining.DEFINITION_IDS, *load_forms()}
        return [d for d in self.definitions.values() if d.id not in internal]

    async def available(self, session: AsyncSession, secretariat_id: int) -> list[Available]:
        """What the secretariat may launch: the public built-in definitions, its own and the
        national templates, each with its versions."""
        listed = [
            Available(Located.builtin(definition), [Uploaded(definition.version, None)])
            for definition in self.public()
        ]
        by_id: dict[tuple[int, str], list[StoredDefinition]] = {}
        for row in await stored_definitions.available(session, secretariat_id):
            by_id.setdefault((row.secretariat_id, row.definition_id), []).append(row)
        for (owner_id, _), rows in by_id.items():
            source = Source.OWN if owner_id == secretariat_id else Source.TEMPLATE
            newest = self.stored(rows[-1]).definition
            versions = [Uploaded(row.version, row.uploaded_at) for row in rows]
            listed.append(Available(Located(newest, source, owner_id), versions))
        return listed

    def stored(self, row: StoredDefinition) -> Engine:
        """The engine of a stored version, built once: the version never changes."""
        key = (row.secretariat_id, row.definition_id, row.version)
        if key not in self._stored:
            self._stored[key] = Engine(stored_definitions.definition_of(row))
        return self._stored[key]

    async def engine_for(
        self, session: AsyncSession, definition_id: str, version: int, owner_id: int | None
    ) -> Engine:
        """The engine of a definition at a version: built in when ``owner_id`` is None."""
        if owner_id is None:
            return self.engine(definition_id)
        cached = self._stored.get((owner_id, definition_id, version))
        if cached is not None:
            return cached
        row = await stored_definitions.version_of(session, owner_id, definition_id, version)
        if row is None:
            raise NotFound(NO_SUCH, id=definition_id)
        return self.stored(row)

    async def of_campaign(self, session: AsyncSession, campaign: Campaign) -> Definition:
        """The definition a campaign was launched with, at that version."""
        engine = await self.engine_for(
            session,
            campaign.definition_id,
            campaign.definition_version,
            campaign.definition_owner_id,
        )
        return engine.definition

    async def engine_of(self, session: AsyncSession, response: ResponseSession) -> Engine:
        """The engine of the definition at the version the session is on."""
        return await self.engine_for(
            session,
            response.definition_id,
            response.definition_version,
            response.definition_owner_id,
        )

    async def find(
        self,
        session: AsyncSession,
        secretariat_id: int,
        definition_id: str,
        version: int | None = None,
    ) -> Located:
        """A definition the secretariat may launch, at ``version`` or its latest: a built-in
        one, else its own, else a template of the national team; NotFound otherwise."""
        stored_definitions.require_name(definition_id)
        if definition_id in self.definitions:
            launchable = {definition.id for definition in self.public()}
            if definition_id not in launchable or version not in (
                None,
                self.definitions[definition_id].version,
            ):
                raise NotFound(NO_SUCH, id=definition_id)
            return Located.builtin(self.definitions[definition_id])
        row = await stored_definitions.reachable(session, secretariat_id, definition_id, version)
        if row is None:
            raise NotFound(NO_SUCH, id=definition_id)
        source = Source.OWN if row.secretariat_id == secretariat_id else Source.TEMPLATE
        return Located(self.stored(row).definition, source, row.secretariat_id)

    async def latest(
        self,
        session: AsyncSession,
        secretariat_id: int,
        definition_id: str,
        owner_id: int | None,
    ) -> Engine:
        """The engine a new session of the secretariat starts on: the definition's latest version
        (of those published, for another secretariat's template); built in when ``owner_id`` is
        None."""
        if owner_id is None:
            return self.engine(definition_id)
        row = await stored_definitions.latest(
            session, owner_id, definition_id, templates_only=owner_id != secretariat_id
        )
        if row is None:
            raise NotFound(NO_SUCH, id=definition_id)
        return self.stored(row)
