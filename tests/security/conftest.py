"""The security suite drives the product as its users do: through the emulator's chat, and
the admin API over real HTTP with a token of every role."""

from tests.admin.conftest import client, http, settings, world
from tests.e2e.conftest import catalog, chat

__all__ = ["catalog", "chat", "client", "http", "settings", "world"]
