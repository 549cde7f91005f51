"""Every setting of the product, read from ``INCORRUPTIBLE_*`` environment variables or ``.env``.

Defaults describe the embedded shape: one process, a SQLite file under ``data/``, no bot token.
"""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from i18n import Language

ENV_PREFIX = "INCORRUPTIBLE_"
# The characters Telegram allows in a webhook's secret token, and a length that cannot be guessed.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")


# The licences the open data may be published under; their titles and addresses are in
# core.public.open_data.
OpenDataLicence = Literal["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "LIBRE-USO-MX"]


class SettingsError(Exception):
    """A setting has a bad value; the message names the environment variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Field(
        default=Path("data"), description="Folder for the SQLite file and stored evidence."
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file in the data folder. "
        "Use postgresql+asyncpg://user:password@host/db in production.",
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")

    bot_token: SecretStr | None = Field(
        default=None, description="Telegram bot token; without it the local emulator is used."
    )
    telegram_api_url: AnyHttpUrl = Field(
        default=AnyHttpUrl("https://api.telegram.org"),
        description="Base URL of the Bot API server (Telegram's, the emulator, or self-hosted).",
    )
    bot_username: str | None = Field(
        default=None, description="Bot username for invitation links; asked from getMe if unset."
    )
    webhook_url: AnyHttpUrl | None = Field(
        default=None, description="Public HTTPS URL for updates; polling is used when unset."
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        validate_default=True,
        description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token: 32 to 256 of "
        "A-Z, a-z, 0-9, _ and -; required with a webhook URL.",
    )
    webhook_host: str = Field(
        default="127.0.0.1",
        description="Address the webhook listens on; 0.0.0.0 only behind a proxy that "
        "terminates HTTPS.",
    )
    webhook_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8443, description="Port the webhook listens on."
    )

    admin_host: str = Field(default="127.0.0.1", description="Address the admin API listens on.")
    admin_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8000, description="Port of the admin API and public pages."
    )
    admin_database_timeout: Annotated[float, Field(gt=0, le=300)] = Field(
        default=5.0,
        description="Seconds an admin API request waits for the database (a connection, or "
        "the write lock) before it answers 503.",
    )
    admin_read_connections: Annotated[int, Field(ge=1, le=32)] = Field(
        default=4,
        description="Connections the admin API reads a SQLite database with, besides the one "
        "that writes.",
    )
    behind_proxy: bool = Field(
        default=False,
        description="The admin API and the webhook are reached through a reverse proxy that "
        "terminates HTTPS (the compose file's): its forwarded headers are trusted, and listening "
        "on every address is allowed in the production shape.",
    )
    worker_host: str = Field(
        default="127.0.0.1",
        description="Address of the worker's /health, /ready and /metrics.",
    )
    worker_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=9100, description="Port of the worker's /health, /ready and /metrics."
    )
    public_base_url: AnyHttpUrl | None = Field(
        default=None, description="URL where the public pages are reachable, for links."
    )
    open_data_licence: OpenDataLicence = Field(
        default="CC-BY-4.0", description="Licence of the open data at /datos."
    )

    emulator_host: str = Field(default="127.0.0.1", description="Address of the local emulator.")
    emulator_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8081, description="Port of the local emulator and its web chat."
    )
    bot_api_spec: Path | None = Field(
        default=None,
        description="Bot API specification the emulator checks requests against; "
        "unset means the copy shipped with the emulator.",
    )

    default_language: Language = Field(default="es", description="Language of new people.")
    default_time_zone: str = Field(
        default="America/Mexico_City", description="Time zone of new people and plans."
    )
    results_min_group: Annotated[int, Field(ge=1, le=1000)] = Field(
        default=5,
        description="Fewest respondents a breakdown group of results or exports may show.",
    )
    privacy_notice_version: str = Field(
        default="2026-01", description="Version of the privacy notice people consent to."
    )
    invitation_ttl_days: Annotated[int, Field(ge=1, le=365)] = Field(
        default=14, description="Days an invitation code stays valid."
    )

    quiet_hours_start: time = Field(default=time(21, 0), description="No reminders from ...")
    quiet_hours_end: time = Field(default=time(8, 0), description="... until this local time.")
    send_rate_global: Annotated[float, Field(gt=0)] = Field(
        default=30.0, description="Messages per second the sender allows overall."
    )
    send_rate_per_chat: Annotated[float, Field(gt=0)] = Field(
        default=1.0, description="Messages per second the sender allows to one chat."
    )
    max_evidence_bytes: Annotated[int, Field(gt=0)] = Field(
        default=20 * 1024 * 1024, description="Largest evidence file accepted."
    )
    max_evidence_files: Annotated[int, Field(ge=1, le=50)] = Field(
        default=20, description="Most pieces of evidence one report holds."
    )
    reminder_interval_seconds: Annotated[int, Field(ge=10, le=86_400)] = Field(
        default=300, description="How often the worker writes the reminders that are due."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (redis://host:6379/0) where workers share the outbox's pace "
        "(Telegram's limits are the bot's); without it each worker keeps the whole pace alone.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Logging level."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Plain lines, or one JSON object per line for a log collector.",
    )

    @field_validator("default_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("bot_api_spec")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is not None and not os.access(value, os.R_OK):
            problem = "is not a readable file" if value.exists() else "does not exist"
            raise ValueError(f"{value} {problem}")
        if value is not None and not value.is_file():
            raise ValueError(f"{value} is not a file")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # Without a secret anyone who finds the address could post forged updates: aiogram
        # checks nothing when the secret is empty.
        if value is None:
            if info.data.get("webhook_url") is not None:
                raise ValueError("required when INCORRUPTIBLE_WEBHOOK_URL is set")
            return value
        if not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "must be 32 to 256 characters of A-Z, a-z, 0-9, _ and - (for example the "
                "output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value and not re.match(r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://", value):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// (async drivers)"
            )
        return value

    @field_validator("bot_username")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        return value.lstrip("@") if value else value

    @model_validator(mode="after")
    def _fill_database_url(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{(self.data_dir / 'incorruptible.db')}"
        return self

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = ENV_PREFIX + "_".join(str(part) for part in error["loc"]).upper()
            lines.append(f"{name}: {error['msg']}")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
