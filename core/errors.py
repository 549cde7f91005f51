"""Errors the services raise when a rule refuses an operation.

Each carries an untranslated message (a gettext msgid) and its parameters, so the bot and the
admin API can render it in the reader's language.
"""

from __future__ import annotations

from typing import Any

from i18n import gettext


class DomainError(Exception):
    """A refused operation; ``message`` is a msgid formatted with ``params``."""

    def __init__(self, message: str, /, field: str | None = None, **params: Any) -> None:
        if field is not None:
            params = {"field": field, **params}
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.field = field
        self.params = params

    def render(self, language: str) -> str:
        """The message in ``language``."""
        return gettext(language, self.message, **self.params)


class NotFound(DomainError):
    """The object does not exist, or belongs to another secretariat."""


class InvalidInput(DomainError):
    """A value breaks a rule (a negative number, a date out of order, a cycle)."""


class Conflict(DomainError):
    """The operation clashes with the current state (a stale version, a duplicate)."""


class PermissionDenied(DomainError):
    """The actor may not do this."""
