"""What is logged while the bot handles an update names the update and the person by our own
ids, never by their Telegram id or name: through the emulator, with every library logging at
DEBUG into the product's JSON lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from incorruptible import logs

PEOPLES_SIDE = ("emulator", "httpx", "httpcore")


@pytest.fixture
def logged() -> Iterator[Callable[[], list[dict]]]:
    """The JSON lines logged meanwhile at DEBUG, with the product's levels for libraries."""
    stream = io.StringIO()
    root, handler = logging.getLogger(), logs.handler("json", stream)
    levels = {name: logging.getLogger(name).level for name in logs.library_levels("DEBUG")}
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name, chosen in logs.library_levels("DEBUG").items():
        logging.getLogger(name).setLevel(chosen)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)
    for name, before in levels.items():
        logging.getLogger(name).setLevel(before)


async def test_a_person_blocking_the_bot_is_logged_by_our_ids_only(chat, logged):
    async with chat.running():
        ana, person = await chat.blocked_while_pressing()
    assert person is not None
    lines = logged()
    [blocked] = [line for line in lines if "blocked the bot" in line["message"]]
    assert blocked["person_id"] == person.id
    assert blocked["secretariat_id"] == person.secretariat_id
    assert isinstance(blocked["update_id"], int)
    # The emulator stands in for Telegram and its client (httpx) for the people: their own
    # lines may name the people they play.
    ours = [line for line in lines if not line["logger"].startswith(PEOPLES_SIDE)]
    assert any(line["logger"] == "aiogram.event" for line in ours)  # DEBUG reached them
    for line in ours:
        text = json.dumps(line, ensure_ascii=False)
        assert str(ana.id) not in text and "Ana" not in text, text
