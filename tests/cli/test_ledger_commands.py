"""`audit export` and `audit verify FILE`, run as a separate process like a person runs them."""

import json

import pytest
from typer.testing import CliRunner

from incorruptible.cli import app
from tests.cli.test_commands import incorruptible


@pytest.mark.parametrize("command", [["audit", "export"], ["audit", "verify"]])
def test_the_ledger_commands_have_help(command):
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="incorruptible")
    assert result.exit_code == 0, result.output


async def test_an_export_verifies_offline_until_a_line_is_altered(empty_db_url, tmp_path):
    seeded = incorruptible("seed-demo", database_url=empty_db_url)
    assert seeded.returncode == 0, seeded.stderr
    whole, of_plan = tmp_path / "ledger.jsonl", tmp_path / "plan.jsonl"
    exported = incorruptible("audit", "export", str(whole), database_url=empty_db_url)
    assert exported.returncode == 0, exported.stderr
    lines = whole.read_text(encoding="utf-8").splitlines()
    assert f"{len(lines)} events written" in exported.stdout
    plan_export = incorruptible(
        "audit", "export", str(of_plan), "--plan", "1", database_url=empty_db_url
    )
    assert plan_export.returncode == 0, plan_export.stderr

    # Offline: no database is needed (a bad URL proves it is not opened).
    offline = {"database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}
    for path in (whole, of_plan):
        verified = incorruptible("audit", "verify", str(path), **offline)
        assert verified.returncode == 0, verified.stderr
        assert f"audit chain intact: {len(lines)} events" in verified.stdout

    record = json.loads(lines[6])
    record["actor"] = "person:999"
    lines[6] = json.dumps(record)
    whole.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tampered = incorruptible("audit", "verify", str(whole), **offline)
    assert tampered.returncode == 1
    assert "broken at event 7: its content does not match its hash" in tampered.stdout

    del lines[3]
    whole.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = incorruptible("audit", "verify", str(whole), **offline)
    assert "broken at event 4: event 4 is missing" in missing.stdout

    absent = incorruptible("audit", "verify", str(tmp_path / "none.jsonl"), **offline)
    assert absent.returncode == 2 and "cannot read" in absent.stderr
