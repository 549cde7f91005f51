"""Where the product finds a conversation definition by its id.

The catalog holds the built-in definitions shipped in ``conversations/definitions/`` (the
methodology's surveys and the forms of the product's features), the
joining conversation (made here, since its consent carries the privacy notice version of the
settings), and any further definitions a caller adds (tests, a secretariat's own files).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from conversations.definition import Definition
from conversations.definitions import load_builtins, load_forms
from conversations.engine.navigation import Engine
from core.errors import NotFound
from core.people import joining
from i18n import N_


class DefinitionCatalog:
    def __init__(self, privacy_notice_version: str, extra: Iterable[Definition] = ()) -> None:
        self.privacy_notice_version = privacy_notice_version
        self._extra = list(extra)
        self._engines: dict[str, Engine] = {}

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
        try:
            return self.definitions[definition_id]
        except KeyError:
            raise NotFound(N_("There is no conversation called {id}."), id=definition_id) from None

    def engine(self, definition_id: str) -> Engine:
        if definition_id not in self._engines:
            self._engines[definition_id] = Engine(self.get(definition_id))
        return self._engines[definition_id]

    def public(self) -> list[Definition]:
        """The definitions a coordinator may launch (everything but joining and the forms)."""
        internal = {*joining.DEFINITION_IDS, *load_forms()}
        return [d for d in self.definitions.values() if d.id not in internal]
