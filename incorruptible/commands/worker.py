"""``incorruptible worker``: reminders and the outbox, without the bot answering updates."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import typer

from bot.dispatcher import create_bot
from bot.worker import run_worker
from incorruptible.context import (
    configure_logging,
    open_database,
    run_service,
    settings_or_exit,
)


def worker() -> None:
    """Write due reminders and send the outbox until stopped (Ctrl-C or SIGTERM).

    Needs INCORRUPTIBLE_BOT_TOKEN (and INCORRUPTIBLE_TELEGRAM_API_URL for another Bot API
    server). Any number of workers may run against one PostgreSQL database; a stop lets the
    messages being sent finish and record their result.
    """
    settings = settings_or_exit()
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        typer.secho(
            "INCORRUPTIBLE_BOT_TOKEN: a worker needs the bot's token to send messages",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(2)
    configure_logging(settings)

    async def main() -> None:
        work = asyncio.current_task()
        assert work is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, work.cancel)
        bot = create_bot(settings)
        try:
            async with open_database(settings) as session_factory:
                typer.echo("worker: sending reminders and the outbox")
                await run_worker(bot, session_factory, settings)
        finally:
            await bot.session.close()

    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        run_service(main())
