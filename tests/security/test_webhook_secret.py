"""A webhook never runs without a secret that cannot be guessed, and listens on the local
address unless told otherwise: with an empty secret aiogram checks nothing, and forged updates
were accepted as if Telegram had sent them."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher

from bot.runner import create_webhook_app
from core.infra.settings import SettingsError, load_settings
from tests.support import processes

STRONG = "A" * 31 + "_-9z"
URL = "https://bot.example.org/telegram/webhook"


@pytest.mark.parametrize("secret", ["", "short", "x" * 31, "with space " * 4, "ñ" * 40])
def test_a_weak_or_empty_secret_is_refused_naming_the_setting(secret):
    with pytest.raises(SettingsError, match=r"INCORRUPTIBLE_WEBHOOK_SECRET: .*32 to 256"):
        load_settings(webhook_url=URL, webhook_secret=secret)


def test_a_webhook_url_without_a_secret_is_refused():
    with pytest.raises(SettingsError, match=r"INCORRUPTIBLE_WEBHOOK_SECRET: .*required"):
        load_settings(webhook_url=URL)


def test_a_strong_secret_is_taken_and_the_webhook_listens_locally_by_default():
    settings = load_settings(webhook_url=URL, webhook_secret=STRONG)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == STRONG
    assert settings.webhook_host == "127.0.0.1"


@pytest.mark.parametrize("secret", ["", "short"])
async def test_the_webhook_app_itself_refuses_a_weak_secret(secret):
    bot = Bot("1:x")
    try:
        with pytest.raises(ValueError, match="32 to 256"):
            create_webhook_app(bot, Dispatcher(), secret)
    finally:
        await bot.session.close()


async def test_the_bot_command_with_an_empty_secret_exits_with_one_line(tmp_path):
    env = processes.environment(
        data_dir=str(tmp_path), bot_token="1:x", webhook_url=URL, webhook_secret=""
    )
    command = await processes.start("bot", "--webhook", env=env)
    output = await command.end()
    assert command.process.returncode == 2, output
    assert "Traceback" not in output
    assert any("INCORRUPTIBLE_WEBHOOK_SECRET" in line for line in output.splitlines()), output
