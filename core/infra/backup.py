"""Backups: a copy of the database and of the evidence files, taken while the product runs, with
a manifest of every file's size and SHA-256; and the way back into the configured database and
data folder, which only goes ahead once every file matches its manifest.

SQLite is copied through its online backup API, PostgreSQL by ``pg_dump`` (and put back by
``pg_restore``, which must be of the server's major version or newer).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, closing
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Literal

import sqlalchemy
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from sqlalchemy import exists, inspect, select, table, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.infra import migrate
from core.infra.db import engine_from_settings
from core.infra.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
EVIDENCE = "evidence"
DatabaseKind = Literal["sqlite", "postgresql"]
# The copy of the database, by its kind.
DATABASE_FILES: dict[DatabaseKind, str] = {
    "sqlite": "database.sqlite3",
    "postgresql": "database.pgdump",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


class BackupFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # inside the backup's folder, with forward slashes
    size: int
    sha256: str

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str) -> str:
        # A restore writes where the manifest says: never outside the folders it restores.
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"{value!r} is not a path inside the backup")
        return value


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int
    created: str
    product_version: str
    database: DatabaseKind
    schema_revision: str | None
    files: list[BackupFile]

    @property
    def evidence_files(self) -> list[BackupFile]:
        return [item for item in self.files if PurePosixPath(item.path).parts[0] == EVIDENCE]


async def back_up(settings: Settings, folder: Path) -> Manifest:
    """Write into ``folder`` (made, or empty) a copy of the configured database, then of the
    evidence files, then the manifest listing them; nothing is left of a backup that fails."""
    made = _prepare(folder)
    try:
        return await _back_up(settings, folder)
    except BaseException:
        _discard(folder, made)
        raise


async def _back_up(settings: Settings, folder: Path) -> Manifest:
    kind = database_kind(settings)
    database = folder / DATABASE_FILES[kind]
    if kind == "sqlite":
        revision = await asyncio.to_thread(_copy_sqlite, _sqlite_path(settings), database)
    else:
        revision = await _dump_postgres(settings, database)
    # The database before the files: evidence is stored (core.reporting.evidence.store, and the
    # cleaned public copies in core.reporting.publication) before the transaction that names it
    # commits, and a stored file never changes, so every file a copied row names is already on
    # disk when the files are copied. Files stored since are copied too, named by no row. Only a
    # file erased since can be missing: an erasure deletes its files after it commits.
    evidence = _copy_tree(settings.evidence_dir, folder / EVIDENCE)
    manifest = Manifest(
        format=FORMAT,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        product_version=metadata.version("incorruptible"),
        database=kind,
        schema_revision=revision,
        files=[_entry(folder, path) for path in [database, *evidence]],
    )
    # Written last: a folder without a manifest is not a backup, and is refused by a restore.
    (folder / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest


async def restore(
    settings: Settings, folder: Path, *, replace: bool, tables: Iterable[str]
) -> Manifest:
    """Put the backup in ``folder`` back into the configured database and data folder, at the
    backup's schema revision. Nothing changes unless every file matches the manifest, the
    backup is of the configured kind of database at a revision the code knows, and the
    database holds no rows in ``tables`` (or ``replace`` is given)."""
    manifest = read_manifest(folder)
    for item in manifest.files:
        _check(folder, item)
    kind = database_kind(settings)
    if manifest.database != kind:
        raise BackupError(
            f"the backup is of a {manifest.database} database, the configured one is {kind}"
        )
    revision = manifest.schema_revision
    if revision is not None and not migrate.knows(revision):
        raise BackupError(
            f"the backup's schema revision {revision} is newer than this version of the "
            "product knows: restore it with the version that made it, or a later one"
        )
    current = await _revision(settings)
    if current is not None and not migrate.knows(current):
        raise BackupError(
            f"the configured database is at schema revision {current}, newer than this version "
            "of the product knows: restore with the version that wrote it"
        )
    if not replace and await holds_data(settings, tables):
        raise BackupError(
            "the configured database already holds data: give --replace to overwrite it"
        )
    # The files before the database, as they were written: an interrupted restore leaves files
    # no row names, never rows naming a file that is missing.
    for item in manifest.evidence_files:
        _put_back(folder / item.path, settings.evidence_dir.joinpath(*_parts(item)[1:]))
    database = folder / DATABASE_FILES[kind]
    if kind == "sqlite":
        await asyncio.to_thread(_restore_sqlite, database, _sqlite_path(settings))
    else:
        if current is not None and revision is not None and migrate.precedes(revision, current):
            # pg_restore --clean drops only what the dump holds: the tables of a later schema
            # would stay (and hold on to the dump's by their foreign keys).
            await _downgrade(settings, revision)
        # In one transaction: a pg_restore that fails changes nothing of the database.
        await _postgres_client(
            settings, "pg_restore", "--clean", "--if-exists", "--no-owner",
            "--single-transaction", str(database),
        )  # fmt: skip
    return manifest


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup in ``folder``, or why it is not one this version reads."""
    path = folder / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: {folder} is not a backup") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from None
    found = raw.get("format") if isinstance(raw, dict) else None
    if found != FORMAT:
        raise BackupError(f"{path} is of format {found}; this version reads format {FORMAT}")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BackupError(f"{path} is not a backup manifest: {where}: {first['msg']}") from None
    named = {item.path for item in manifest.files}
    if DATABASE_FILES[manifest.database] not in named:
        raise BackupError(f"{path} lists no copy of the database")
    return manifest


async def _revision(settings: Settings) -> str | None:
    """The schema revision of the configured database; None without a schema."""
    if database_kind(settings) == "sqlite" and not _sqlite_path(settings).exists():
        return None  # opening it would make the file
    async with _connection(settings) as connection:
        return await connection.run_sync(migrate.revision_of)


async def _downgrade(settings: Settings, revision: str) -> None:
    engine = engine_from_settings(settings)
    try:
        await migrate.downgrade(engine, revision)
    finally:
        await engine.dispose()


async def holds_data(settings: Settings, tables: Iterable[str]) -> bool:
    """Whether any of ``tables`` has a row in the configured database (one just migrated, or
    without a schema, holds none)."""
    if database_kind(settings) == "sqlite" and not _sqlite_path(settings).exists():
        return False  # opening it would make the file
    wanted = set(tables)
    async with _connection(settings) as connection:
        present = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for name in sorted(wanted.intersection(present)):
            if await connection.scalar(select(exists().select_from(table(name)))):
                return True
    return False


def database_kind(settings: Settings) -> DatabaseKind:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _prepare(folder: Path) -> bool:
    """Make ``folder`` or check that it is empty; whether it was made."""
    if folder.exists() and not folder.is_dir():
        raise BackupError(f"{folder} exists and is not a folder")
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} exists and is not empty: back up into a new folder")
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    return made


def _discard(folder: Path, made: bool) -> None:
    """Remove what a failed backup wrote, and the folder too if it made it."""
    shutil.rmtree(folder, ignore_errors=True)
    if not made:
        folder.mkdir()


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BackupError("the configured SQLite database is not a file")
    return Path(database)


def _copy_sqlite(source: Path, target: Path) -> str | None:
    """Copy the database as it was at one moment, even while the product writes (the backup
    API copies in one step under a read lock, which writers in WAL mode do not wait for); the
    copy's schema revision."""
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        # One file that stands alone, without a write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    engine = sqlalchemy.create_engine(URL.create("sqlite", database=str(target)))
    try:
        with engine.connect() as connection:
            return migrate.revision_of(connection)
    finally:
        engine.dispose()


def _restore_sqlite(copy: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    # Through the backup API rather than over the file: it writes under SQLite's locks and
    # through the database's own journal, so a write-ahead log left beside an older file
    # cannot be replayed over the restored pages.
    backup = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    with closing(backup), closing(sqlite3.connect(database)) as live:
        backup.backup(live)


async def _dump_postgres(settings: Settings, target: Path) -> str | None:
    """Dump the database with pg_dump; the dump's schema revision."""
    async with _connection(settings) as connection:
        await connection.execution_options(isolation_level="REPEATABLE READ")
        async with connection.begin():
            # pg_dump reads the snapshot this transaction exports: the revision read here is
            # the dump's own, even if a migration runs meanwhile.
            snapshot = await connection.scalar(text("SELECT pg_export_snapshot()"))
            revision = await connection.run_sync(migrate.revision_of)
            await _postgres_client(
                settings, "pg_dump", "--format=custom", "--no-owner",
                f"--snapshot={snapshot}", f"--file={target}",
            )  # fmt: skip
    return revision


@asynccontextmanager
async def _connection(settings: Settings) -> AsyncIterator[AsyncConnection]:
    """A connection to the configured database, or one line saying why there is none."""
    engine = engine_from_settings(settings)
    connection = engine.connect()
    try:
        try:
            await connection.start()
        except (DBAPIError, OSError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise BackupError(f"cannot open the configured database: {reason}") from None
        yield connection
    finally:
        await connection.close()
        await engine.dispose()


async def _postgres_client(settings: Settings, program: str, *args: str) -> None:
    """Run a PostgreSQL client on the configured database; its last line of errors if it fails."""
    url = make_url(settings.database_url)
    # libpq's form of the URL, without the password (a command line is visible to every user
    # of the machine) or asyncpg's options.
    address = url.set(drivername="postgresql", password=None, query={})
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    try:
        process = await asyncio.create_subprocess_exec(
            program,
            *args,
            f"--dbname={address.render_as_string(hide_password=False)}",
            env=environment,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client of the server's major "
            "version (postgresql-client)"
        ) from None
    _, errors = await process.communicate()
    if process.returncode:
        lines = errors.decode(errors="replace").strip().splitlines() or ["(no message)"]
        # The last error, rather than the statement or hint printed after it.
        last = [line for line in lines if "error:" in line][-1:] or lines[-1:]
        raise BackupError(f"{program} failed: {last[0].strip().removeprefix(program + ': ')}")


def _copy_tree(source: Path, target: Path) -> list[Path]:
    """Copy every file under ``source`` as it is; the copies."""
    copies = []
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        copy = target / path.relative_to(source)
        try:
            if path.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)
                copies.append(copy)
        except FileNotFoundError:
            continue  # erased, or a file being stored renamed, since the listing
    return copies


def _put_back(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target and renamed, as evidence is stored: a file found under its hash is
    # never written again, so half of one must never be left there.
    with (
        source.open("rb") as original,
        tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as copy,
    ):
        shutil.copyfileobj(original, copy)
    os.replace(copy.name, target)


def _entry(folder: Path, path: Path) -> BackupFile:
    size, digest = _digest(path)
    return BackupFile(path=path.relative_to(folder).as_posix(), size=size, sha256=digest)


def _check(folder: Path, item: BackupFile) -> None:
    path = folder.joinpath(*_parts(item))
    if not path.is_file():
        raise BackupError(f"{item.path} is missing from the backup")
    if _digest(path) != (item.size, item.sha256):
        raise BackupError(f"{item.path} does not match the manifest: it was altered or damaged")


def _parts(item: BackupFile) -> tuple[str, ...]:
    return PurePosixPath(item.path).parts


def _digest(path: Path) -> tuple[int, str]:
    with path.open("rb") as content:
        digest = hashlib.file_digest(content, "sha256")
    return path.stat().st_size, digest.hexdigest()
