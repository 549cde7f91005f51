"""A local stand-in for the Telegram Bot API server, speaking its real HTTP protocol.

- :mod:`emulator.server`: :class:`~emulator.server.Emulator`, the aiohttp application and
  its lifecycle (``async with Emulator(spec_path=..., tokens=[...]) as emulator``).
- :mod:`emulator.spec`: the Bot API specification, indexed once; checks every call.
- :mod:`emulator.bot_api`: the methods a bot calls.
- :mod:`emulator.people`, :mod:`emulator.control`: simulated people and the control API.
- :mod:`emulator.client`: the async Python client of the control API for tests and benchmarks.
- :mod:`emulator.state`, :mod:`emulator.snapshot`: the world kept in a folder across restarts.
- :mod:`emulator.limits`, :mod:`emulator.webhook`, :mod:`emulator.recorder`: flood limits and
  faults, webhook delivery, the JSON-lines record of calls.
- ``static/``: the web chat.
"""
