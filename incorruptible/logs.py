"""Log lines, the product's and every library's: plain text, or one JSON object per line for a
log collector (``INCORRUPTIBLE_LOG_FORMAT``).

Every record of the standard ``logging`` module goes through structlog's ``ProcessorFormatter``,
which adds what structlog's context variables hold when the line is written: the update, request
or notification being handled, bound where it is known (``bot.log_context``,
``admin.request_ids``, ``bot.outbox``). People are named there by our own ids, never by their
Telegram id, name or username.
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any, Literal

from structlog.contextvars import merge_contextvars
from structlog.processors import EventRenamer, JSONRenderer, TimeStamper, format_exc_info
from structlog.stdlib import ProcessorFormatter, add_log_level, add_logger_name
from structlog.typing import EventDict, Processor

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(message)s"
# Written on lines of their own below the text format's line, as the logging module does.
BELOW = ("exception", "stack_info")


def handler(log_format: LogFormat, stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing lines of ``log_format`` to ``stream`` (standard error by default)."""
    written = logging.StreamHandler(stream or sys.stderr)
    written.setFormatter(formatter(log_format))
    return written


def formatter(log_format: LogFormat) -> logging.Formatter:
    """JSON: timestamp (ISO 8601, UTC), level, logger, message, the context, and the exception's
    traceback as text (structlog's richer tracebacks would show local variables: secrets).
    Text: the lines as they always were, the context after the message as ``key=value``."""
    # format_exc_info writes a traceback as the logging module does.
    last: list[Processor] = [
        ProcessorFormatter.remove_processors_meta,
        format_exc_info,
        _without_quoted_values,
    ]
    if log_format == "json":
        # In this order, a line reads: timestamp, level, logger, message, context, exception.
        before: list[Processor] = [
            TimeStamper(fmt="iso", utc=True),
            add_log_level,
            add_logger_name,
            EventRenamer("message"),
            merge_contextvars,
        ]
        return ProcessorFormatter(foreign_pre_chain=before, processors=[*last, JSONRenderer()])
    return ProcessorFormatter(
        fmt=TEXT_FORMAT, foreign_pre_chain=[merge_contextvars], processors=[*last, _plain]
    )


def _without_quoted_values(_logger: Any, _method: str, event: EventDict) -> EventDict:
    # PostgreSQL's errors quote the values a statement clashed on (a Telegram id, an invitation
    # code) on a DETAIL line, in a message or a traceback: such lines are left out.
    for key, value in event.items():
        if isinstance(value, str) and "DETAIL:" in value:
            lines = value.split("\n")
            event[key] = "\n".join(line for line in lines if not line.startswith("DETAIL:"))
    return event


def _plain(_logger: Any, _method: str, event: EventDict) -> str:
    below = [str(event.pop(key)) for key in BELOW if key in event]
    message = str(event.pop("event"))
    context = " ".join(f"{key}={value}" for key, value in event.items())
    return "\n".join([f"{message} {context}" if context else message, *below])


def library_levels(level: str) -> dict[str, int]:
    """The levels of libraries' loggers that would say too much at ``level``.

    aiogram writes a line for every update it handles at INFO, and aiohttp one for every request
    the webhook answers: a busy bot's log would be made of little else (and writing it costs
    about 2% of the bot's CPU); those lines show at DEBUG.
    aiosqlite's DEBUG lines quote every statement with its values (Telegram ids, names): never.
    """
    levels = {"aiosqlite": logging.INFO}
    if level != "DEBUG":
        levels["aiogram.event"] = logging.WARNING
        levels["aiohttp.access"] = logging.WARNING
        # Alembic names each of its plugins at start; only the migrations it runs matter.
        levels["alembic.runtime.plugins"] = logging.WARNING
    return levels


def log_uncaught(kind: type[BaseException], error: BaseException, traceback: Any) -> None:
    """``sys.excepthook`` for JSON: the traceback of an error that ends the process is one
    line too."""
    logging.getLogger("incorruptible").critical("uncaught error", exc_info=(kind, error, traceback))
