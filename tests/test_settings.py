import pytest

from core.infra.settings import SettingsError, load_settings


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
