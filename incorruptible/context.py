"""What every command needs: settings read once, the database opened for the command, and the
life of the long-running services (started on uvloop, stopped by SIGINT or SIGTERM).

Commands import what they use when they run: the whole product takes seconds to import, and
``--help`` or ``survey check`` need almost none of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.infra.db import SessionFactory
    from core.infra.settings import Settings

Result = TypeVar("Result")
log = logging.getLogger(__name__)
# A stop lets in-flight work finish; past this many seconds what is left is cancelled again.
STOP_GRACE = 8.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one red line on standard error; the exit to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def settings_or_exit(**overrides: object) -> Settings:
    """The settings, or one line per bad variable and exit code 2."""
    from core.infra.settings import SettingsError, load_settings

    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise fail(str(exc), 2) from None


async def upgrade_database(engine: AsyncEngine, settings: Settings) -> None:
    """Bring the schema up to the code's, then add to the survey tallies any response completed
    before they were kept, and clean the public copies of documents published before documents
    were cleaned (each a no-op once done)."""
    from core.chat import tallies
    from core.chat.definitions import DefinitionCatalog
    from core.infra import migrate as migrations
    from core.infra.db import create_session_factory
    from core.reporting import publication

    await migrations.upgrade(engine)
    async with create_session_factory(engine)() as session, session.begin():
        await tallies.recount(session, DefinitionCatalog(settings.privacy_notice_version))
        await publication.clean_earlier_copies(session, settings.evidence_dir)


def configure_logging(settings: Settings) -> None:
    """Log lines of ``INCORRUPTIBLE_LOG_LEVEL`` and above to standard error, for every service
    and the libraries it uses, in ``INCORRUPTIBLE_LOG_FORMAT`` (see ``incorruptible.logs``)."""
    from incorruptible import logs

    logging.basicConfig(level=settings.log_level, handlers=[logs.handler(settings.log_format)])
    for name, level in logs.library_levels(settings.log_level).items():
        logging.getLogger(name).setLevel(level)
    if settings.log_format == "json":
        # What Python itself would print on standard error becomes lines of the log too.
        logging.captureWarnings(True)
        sys.excepthook = logs.log_uncaught


def writable_data_dir(settings: Settings) -> None:
    """Exit with one line naming the data folder when it cannot be created or written."""
    folder = settings.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".write-check", "w") as probe:
            probe.write("ok")
        os.remove(folder / ".write-check")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise fail(
            f"INCORRUPTIBLE_DATA_DIR: cannot write to the data folder {folder.resolve()} "
            f"({reason}); choose another folder or fix its permissions.",
            2,
        ) from None


def configure_for_database(settings: Settings) -> None:
    """Configure logging and, on SQLite, exit unless the data folder the database lives in
    can be written."""
    configure_logging(settings)
    if settings.is_sqlite:
        writable_data_dir(settings)


def listen(host: str, port: int, setting: str) -> socket.socket:
    """A socket bound to ``host:port``, or one line naming the port and the setting to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind((host, port))
    except OSError as exc:
        server.close()
        raise fail(port_problem(host, port, setting, exc), 2) from None
    server.setblocking(False)
    return server


def port_problem(host: str, port: int, setting: str, error: OSError) -> str:
    """What to tell someone whose port could not be opened."""
    in_use = error.errno == errno.EADDRINUSE
    reason = "is in use" if in_use else f"cannot be opened ({error.strerror})"
    return (
        f"Port {port} on {host} {reason}: is the product already running? "
        f"Stop it, or choose another port with {setting}."
    )


@contextlib.asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[SessionFactory]:
    """A session factory over the configured database, closed at the end; one line and exit
    code 2 when the command fails on a database that has no schema yet, or an older one."""
    from core.infra.db import create_session_factory, engine_from_settings

    engine = engine_from_settings(settings)
    try:
        async with schema_needed(engine):
            yield create_session_factory(engine)
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def schema_needed(engine: AsyncEngine) -> AsyncIterator[None]:
    """One line and exit code 2 when what runs inside fails on a database that has no schema
    yet, or an older one."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError:
        # Asked only on a failure: reading the migrations costs more than most commands.
        from core.infra import migrate

        if not await migrate.is_current(engine):
            raise fail(
                "The database has no schema yet, or an older one: run `incorruptible migrate` "
                "(`incorruptible run` does it too).",
                2,
            ) from None
        raise


async def refuse_unsafe_production(
    settings: Settings, session_factory: SessionFactory, *, listens: tuple[str, ...] = ()
) -> None:
    """In the production shape, exit with one line per unsafe setting and exit code 2.

    ``listens`` names the settings of the addresses the service opens (``admin_host``,
    ``webhook_host``). Every service asks this once its database is open.
    """
    from core.infra.production import in_production, unsafe_settings

    if not in_production(settings):
        return
    from core.demo import demo_secretariat

    async with session_factory() as session:
        demo_seeded = await demo_secretariat(session) is not None
    problems = unsafe_settings(settings, listens=listens, demo_seeded=demo_seeded)
    if problems:
        raise fail("refusing to start in production:\n  " + "\n  ".join(problems), 2)


def run_service(main: Coroutine[Any, Any, Result]) -> Result | None:
    """Run a long-lived service until it ends or a signal stops it (then None, exit code 0).

    SIGINT (Ctrl+C) and SIGTERM cancel the service, whose parts finish what they have under way
    and let go of what they hold; what is still running after ``STOP_GRACE`` seconds, or at a
    second signal, is cancelled again, and a third signal ends the process at once.
    It runs on uvloop where the platform has it (not on Windows): the bot spends a good part of
    each update in the event loop, and uvloop's is several times leaner.
    """
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_until_stopped(main))
    return uvloop.run(_until_stopped(main))


async def _until_stopped(main: Coroutine[Any, Any, Result]) -> Result | None:
    service = asyncio.ensure_future(main)
    loop = asyncio.get_running_loop()
    signals_seen = 0

    def stop() -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            log.info("stopping")
            service.cancel()
            loop.call_later(STOP_GRACE, service.cancel)
        elif signals_seen == 2:
            service.cancel()
        else:
            _exit_now()

    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, stop)
    try:
        return await service
    except asyncio.CancelledError:
        if not signals_seen:
            raise
        return None
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)


def _exit_now() -> NoReturn:
    os._exit(130)
