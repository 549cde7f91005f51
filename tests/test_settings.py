import re
from pathlib import Path

import pytest

from core.infra.settings import ENV_PREFIX, Settings, SettingsError, load_settings


def test_embedded_defaults_use_a_sqlite_file_in_the_data_folder(monkeypatch):
    monkeypatch.delenv("INCORRUPTIBLE_DATABASE_URL", raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///data/incorruptible.db"
    assert settings.bot_token is None
    assert settings.admin_host == "127.0.0.1"


def test_a_bad_value_is_reported_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("INCORRUPTIBLE_ADMIN_PORT", "99999")
    monkeypatch.setenv("INCORRUPTIBLE_DEFAULT_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    assert "INCORRUPTIBLE_ADMIN_PORT" in str(caught.value)
    assert "INCORRUPTIBLE_DEFAULT_TIME_ZONE" in str(caught.value)


def test_a_synchronous_database_driver_is_refused(monkeypatch):
    monkeypatch.setenv("INCORRUPTIBLE_DATABASE_URL", "postgresql://localhost/x")
    with pytest.raises(SettingsError, match="INCORRUPTIBLE_DATABASE_URL"):
        load_settings(_env_file=None)


def readme_rows() -> list[list[str]]:
    """The cells of each row of the README's configuration table."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (`.*) \|$", section, re.MULTILINE)
    return [[cell.strip() for cell in row.split(" | ")] for row in rows]


def readme_variables() -> set[str]:
    """The variables the table has a row for (``_END`` after ``INCORRUPTIBLE_QUIET_HOURS_START``
    names ``INCORRUPTIBLE_QUIET_HOURS_END``)."""
    named = set()
    for row in readme_rows():
        full = ""
        for name in re.findall(r"`([A-Z_]+)`", row[0]):
            full = full.rsplit("_", 1)[0] + name if name.startswith("_") else name
            named.add(full)
    return named


def test_every_setting_has_a_row_in_the_readme():
    settings = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    assert readme_variables() == settings


def test_every_row_of_the_readme_says_what_to_choose_in_production():
    for row in readme_rows():
        assert len(row) == 4 and row[3], row
