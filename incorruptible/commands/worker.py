"""``incorruptible worker``: reminders and the outbox, without the bot answering updates."""

from __future__ import annotations

from incorruptible.context import (
    configure_logging,
    fail,
    listen,
    open_database,
    refuse_unsafe_production,
    run_service,
    settings_or_exit,
)


def worker() -> None:
    """Write due reminders and send the outbox until stopped (Ctrl+C or SIGTERM).

    Needs INCORRUPTIBLE_BOT_TOKEN (and INCORRUPTIBLE_TELEGRAM_API_URL for another Bot API
    server). Any number of workers may run against one PostgreSQL database; a stop lets the
    messages being sent finish and record their result, and gives back the others.
    It answers /health, /ready and /metrics at INCORRUPTIBLE_WORKER_HOST:_PORT.
    """
    settings = settings_or_exit()
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        raise fail("INCORRUPTIBLE_BOT_TOKEN: a worker needs the bot's token to send messages", 2)
    configure_logging(settings)
    host, port = settings.worker_host, settings.worker_port
    server = listen(host, port, "INCORRUPTIBLE_WORKER_PORT")

    async def main() -> None:
        from bot import probes
        from bot.dispatcher import create_bot
        from bot.worker import run_worker

        bot = create_bot(settings)
        try:
            async with (
                open_database(settings) as session_factory,
                probes.serving(bot, session_factory, server),
            ):
                await refuse_unsafe_production(settings, session_factory)
                print(
                    f"worker: sending reminders and the outbox; /health, /ready and /metrics "
                    f"at http://{host}:{port}",
                    flush=True,
                )
                await run_worker(bot, session_factory, settings)
        finally:
            await bot.session.close()

    with server:
        run_service(main())
