"""The security suite drives the product as its users do: through the emulator's chat."""

from tests.e2e.conftest import catalog, chat

__all__ = ["catalog", "chat"]
