"""The services' logging: the chosen level, without a line for every update handled."""

from __future__ import annotations

import logging

import pytest

from core.infra.settings import load_settings
from incorruptible.context import configure_logging


@pytest.fixture
def update_lines():
    """aiogram's logger of updates handled, under a root logger that lets everything through
    (the test runner has configured logging already, so the level chosen does not reach it)."""
    root, logger = logging.getLogger(), logging.getLogger("aiogram.event")
    levels = root.level, logger.level
    root.setLevel(logging.DEBUG)
    logger.setLevel(logging.NOTSET)
    yield logger
    root.setLevel(levels[0])
    logger.setLevel(levels[1])


def test_updates_handled_are_not_logged_one_by_one_at_info(update_lines) -> None:
    configure_logging(load_settings(log_level="INFO"))
    assert not update_lines.isEnabledFor(logging.INFO)
    assert update_lines.isEnabledFor(logging.WARNING)


def test_updates_handled_are_logged_at_debug(update_lines) -> None:
    configure_logging(load_settings(log_level="DEBUG"))
    assert update_lines.isEnabledFor(logging.DEBUG)
