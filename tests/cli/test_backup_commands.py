"""`backup` and `restore`, run as an operator runs them: separate processes, configured by
environment variables, from one deployment into a new one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from core.infra import migrate
from core.infra.backup import back_up
from core.infra.db import create_engine
from core.infra.settings import Settings
from core.models import AuditEvent
from incorruptible.cli import app
from tests.support import backups, databases, processes


async def incorruptible(*args: str, database_url: str, data_dir: Path) -> tuple[int, str]:
    """Run the command with only these settings; its exit code and everything it printed."""
    env = processes.environment(database_url=database_url, data_dir=str(data_dir))
    command = await processes.start(*args, env=env)
    printed = await command.end()
    assert command.process.returncode is not None
    return command.process.returncode, printed


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_the_backup_commands_have_help(command):
    result = CliRunner().invoke(app, [command, "--help"], prog_name="incorruptible")
    assert result.exit_code == 0, result.output
    assert f"Usage: incorruptible {command}" in result.output


async def test_a_restore_into_a_new_deployment_brings_back_every_row_and_file(
    empty_db_url, other_empty_db_url, tmp_path
):
    source, restored, folder = tmp_path / "source", tmp_path / "restored", tmp_path / "backup"
    await backups.reports_with_evidence(empty_db_url, source / "evidence")
    counts = await backups.table_counts(empty_db_url)
    assert counts["evidence"] == 2 and counts["audit_event"] > 5

    code, printed = await incorruptible(
        "backup", str(folder), database_url=empty_db_url, data_dir=source
    )
    assert code == 0, printed
    assert "3 evidence files backed up" in printed
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["schema_revision"] == migrate.head_revision()
    assert manifest["database"] == ("sqlite" if "sqlite" in empty_db_url else "postgresql")

    code, printed = await incorruptible(
        "restore", str(folder), database_url=other_empty_db_url, data_dir=restored
    )
    assert code == 0, printed
    assert f"audit chain intact: {counts['audit_event']} events" in printed
    assert await backups.table_counts(other_empty_db_url) == counts
    original = backups.files_under(source / "evidence")
    assert len(original) == 3
    assert backups.files_under(restored / "evidence") == original


async def test_a_tampered_backup_is_refused_naming_the_file_and_nothing_changes(
    empty_db_url, other_empty_db_url, tmp_path
):
    source, restored, folder = tmp_path / "source", tmp_path / "restored", tmp_path / "backup"
    await backups.reports_with_evidence(empty_db_url, source / "evidence")
    await back_up(Settings(database_url=empty_db_url, data_dir=source), folder)
    altered = sorted((folder / "evidence").rglob("*.pdf"))[0]
    altered.write_bytes(altered.read_bytes() + b"%")

    code, printed = await incorruptible(
        "restore", str(folder), database_url=other_empty_db_url, data_dir=restored
    )

    assert code == 2
    name = altered.relative_to(folder).as_posix()
    assert f"{name} does not match the manifest" in printed
    assert "Traceback" not in printed
    assert await backups.table_names(other_empty_db_url) == set()
    assert backups.files_under(restored) == {}


def test_a_backup_goes_only_into_a_new_or_empty_folder(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "notes.txt").write_text("kept")
    result = CliRunner().invoke(
        app, ["backup", str(folder)], env={"INCORRUPTIBLE_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert f"{folder} exists and is not empty" in result.output
    assert (folder / "notes.txt").read_text() == "kept"


async def test_a_restored_chain_that_does_not_verify_ends_with_its_reason(tmp_path):
    source = Settings(data_dir=tmp_path / "source")
    await backups.reports_with_evidence(source.database_url, source.evidence_dir)
    engine = create_engine(source.database_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(AuditEvent).where(AuditEvent.seq == 2).values(actor="person:999")
        )
    await engine.dispose()
    await back_up(source, tmp_path / "backup")

    restored = tmp_path / "restored"
    code, printed = await incorruptible(
        "restore",
        str(tmp_path / "backup"),
        database_url=databases.sqlite_url(restored / "incorruptible.db"),
        data_dir=restored,
    )

    assert code == 1
    assert "audit chain broken at event 2" in printed
