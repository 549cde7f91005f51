"""A backup is of one moment of the database; a restore changes nothing unless the backup is
whole, fits the configured database and may overwrite it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from core.infra import migrate
from core.infra.backup import BackupError, back_up, read_manifest, restore
from core.infra.db import create_engine, create_session_factory
from core.infra.settings import Settings
from core.models import Base, ProgressReport, Secretariat
from tests.support import backups, factories
from tests.support.databases import POSTGRES_URL

TABLES = Base.metadata.tables


@pytest.fixture(scope="module")
async def deployment(tmp_path_factory) -> Settings:
    """A SQLite deployment with reports and evidence, made once for the module."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("source"))
    await backups.reports_with_evidence(settings.database_url, settings.evidence_dir)
    return settings


@pytest.fixture(scope="module")
async def pristine(deployment, tmp_path_factory) -> Path:
    """The deployment's backup."""
    folder = tmp_path_factory.mktemp("pristine") / "backup"
    await back_up(deployment, folder)
    return folder


@pytest.fixture
def backup_copy(pristine, tmp_path) -> Path:
    """A copy of the backup, for a test to spoil."""
    return Path(shutil.copytree(pristine, tmp_path / "backup"))


def _edit_manifest(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def remove_an_evidence_file(folder: Path) -> str:
    name = read_manifest(folder).evidence_files[0].path
    (folder / name).unlink()
    return f"{name} is missing from the backup"


def remove_the_manifest(folder: Path) -> str:
    (folder / "manifest.json").unlink()
    return f"{folder} is not a backup"


def point_a_file_outside(folder: Path) -> str:
    _edit_manifest(folder, lambda manifest: manifest["files"][1].update(path="../../escaped"))
    return "is not a backup manifest: files.1.path"


def date_it_to_a_newer_version(folder: Path) -> str:
    _edit_manifest(folder, lambda manifest: manifest.update(schema_revision="ffffffffffff"))
    return "schema revision ffffffffffff is newer than this version of the product knows"


def claim_another_kind(folder: Path) -> str:
    # A PostgreSQL deployment is configured below: the refusal comes before any connection.
    return "the backup is of a sqlite database, the configured one is postgresql"


@pytest.mark.parametrize(
    "spoil",
    [
        remove_an_evidence_file,
        remove_the_manifest,
        point_a_file_outside,
        date_it_to_a_newer_version,
        claim_another_kind,
    ],
)
async def test_a_backup_that_is_not_whole_or_does_not_fit_is_refused_before_any_change(
    backup_copy, tmp_path, spoil
):
    folder = backup_copy
    refusal = spoil(folder)
    target = Settings(data_dir=tmp_path / "target")
    if spoil is claim_another_kind:
        target = Settings(data_dir=tmp_path / "target", database_url=POSTGRES_URL)

    with pytest.raises(BackupError, match=refusal):
        await restore(target, folder, replace=False, tables=TABLES)

    assert not (tmp_path / "target").exists()
    assert not (tmp_path / "escaped").exists()


async def test_a_database_that_holds_data_is_overwritten_only_when_asked(empty_db_url, tmp_path):
    settings = Settings(database_url=empty_db_url, data_dir=tmp_path / "data")
    await backups.reports_with_evidence(empty_db_url, settings.evidence_dir)
    counts = await backups.table_counts(empty_db_url)
    folder = tmp_path / "backup"
    await back_up(settings, folder)
    engine = create_engine(empty_db_url)
    async with create_session_factory(engine)() as session, session.begin():
        await factories.secretariat(session, "sesea-zac")
    await engine.dispose()

    with pytest.raises(BackupError, match="already holds data: give --replace"):
        await restore(settings, folder, replace=False, tables=TABLES)
    assert (await backups.table_counts(empty_db_url))["secretariat"] == 2

    await restore(settings, folder, replace=True, tables=TABLES)
    assert await backups.table_counts(empty_db_url) == counts


async def test_a_sqlite_backup_holds_what_was_committed_while_a_writer_holds_its_transaction(
    deployment, tmp_path
):
    writer = sqlite3.connect(deployment.data_dir / "incorruptible.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(f"UPDATE {Secretariat.__tablename__} SET name = 'uncommitted'")
        manifest = await back_up(deployment, tmp_path / "backup")
    finally:
        writer.close()  # without a commit: the change is rolled back

    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    try:
        names = copy.execute(f"SELECT name FROM {Secretariat.__tablename__}").fetchall()
        reports = copy.execute(f"SELECT count(*) FROM {ProgressReport.__tablename__}").fetchone()
    finally:
        copy.close()
    assert names == [("Secretaría sesea-ags",)]
    assert reports == (1,)
    assert manifest.files[0].path == "database.sqlite3"


@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
async def test_without_pg_dump_the_backup_says_what_to_install_and_leaves_nothing(
    empty_db_url, tmp_path, monkeypatch
):
    settings = Settings(database_url=empty_db_url, data_dir=tmp_path / "data")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))

    with pytest.raises(BackupError, match="pg_dump was not found: install the PostgreSQL client"):
        await back_up(settings, tmp_path / "backup")

    assert not (tmp_path / "backup").exists()


async def test_a_backup_of_an_older_schema_goes_into_a_database_migrated_by_this_version(
    empty_db_url, other_empty_db_url, tmp_path
):
    oldest = ScriptDirectory.from_config(migrate.alembic_config()).get_base()
    older = Settings(database_url=empty_db_url, data_dir=tmp_path / "older")
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine, oldest)
    await engine.dispose()
    folder = tmp_path / "backup"
    assert (await back_up(older, folder)).schema_revision == oldest
    target = Settings(database_url=other_empty_db_url, data_dir=tmp_path / "new")
    engine = create_engine(other_empty_db_url)
    await migrate.upgrade(engine)  # as a new deployment's migrate service does

    await restore(target, folder, replace=False, tables=TABLES)

    try:
        assert await migrate.current_revision(engine) == oldest
        await migrate.upgrade(engine)
        assert await migrate.is_current(engine)
    finally:
        await engine.dispose()
    assert set(TABLES) <= await backups.table_names(other_empty_db_url)
