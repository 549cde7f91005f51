"""The security suite drives the product as its users do: through the emulator's chat, and
through the admin API served over real HTTP."""

from tests.admin.conftest import http, settings, world
from tests.e2e.conftest import catalog, chat

__all__ = ["catalog", "chat", "http", "settings", "world"]
