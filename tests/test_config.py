"""The settings object: defaults, the environment, and production safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.config import SETTINGS, Config


def test_config_defaults_put_the_database_in_the_home_folder(tmp_path: Path) -> None:
    config = Config.from_env({"LIAISON_HOME": str(tmp_path)})
    assert config.db_path == tmp_path / "liaison.sqlite3"
    assert not config.production and not config.debug


def test_config_database_path_can_be_set(tmp_path: Path) -> None:
    config = Config.from_env({"LIAISON_DB_PATH": str(tmp_path / "x.db")})
    assert config.db_path == tmp_path / "x.db"


def test_config_production_needs_secret_key_from_environment(tmp_path: Path) -> None:
    config = Config.from_env({"LIAISON_HOME": str(tmp_path), "LIAISON_PRODUCTION": "true"})
    with pytest.raises(RuntimeError, match="LIAISON_SECRET_KEY"):
        config.resolved_secret_key()


def test_config_production_turns_debug_off(tmp_path: Path) -> None:
    config = Config.from_env({"LIAISON_PRODUCTION": "1", "LIAISON_DEBUG": "1"})
    assert config.production and not config.debug


def test_config_development_key_is_made_once_and_kept(tmp_path: Path) -> None:
    config = Config.from_env({"LIAISON_HOME": str(tmp_path)})
    key = config.resolved_secret_key()
    assert len(key) > 40 and config.resolved_secret_key() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_every_setting_has_help() -> None:
    assert all(s.help.endswith(".") and s.env for s in SETTINGS)
