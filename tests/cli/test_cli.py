"""The `liaison` command, run as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "ledger" / "data"
ROOT = Path(__file__).parent.parent.parent


def liaison(
    home: Path, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command with its own data folder, always on SQLite."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    env |= {"LIAISON_HOME": str(home), "PYTHONWARNINGS": "ignore"}
    if password:
        env["LIAISON_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "liaison", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with an initialised database, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("home")
    result = liaison(folder, "init")
    assert result.returncode == 0, result.stderr
    return folder


def test_command_without_database_says_run_init(tmp_path: Path) -> None:
    result = liaison(tmp_path, "export", "actors")
    assert result.returncode == 2
    assert "run `liaison init` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_twice_changes_nothing(home: Path) -> None:
    result = liaison(home, "init")
    assert result.returncode == 0, result.stderr
    assert "countries 0, actors 0, mechanisms 0" in result.stdout


def test_database_newer_than_code_is_refused(tmp_path: Path) -> None:
    assert liaison(tmp_path, "init").returncode == 0
    with sqlite3.connect(tmp_path / "liaison.sqlite3") as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('ledger', '9999_from_the_future', '2030-01-01')"
        )
    result = liaison(tmp_path, "export", "actors")
    assert result.returncode == 2
    assert "newer liaison" in result.stderr and "Traceback" not in result.stderr


def test_import_partyfacts_then_again_then_undo(home: Path) -> None:
    first = liaison(home, "import", "partyfacts", str(DATA / "partyfacts-sample.csv"))
    assert first.returncode == 0, first.stderr
    assert "5 created" in first.stdout and "batch" in first.stdout
    second = liaison(home, "import", "partyfacts", str(DATA / "partyfacts-sample.csv"))
    assert "0 created, 0 updated" in second.stdout and "nothing to change" in second.stdout
    batch = first.stdout.split("liaison import undo ")[1].split(")")[0]
    listing = liaison(home, "import", "list")
    assert "partyfacts" in listing.stdout
    undo = liaison(home, "import", "undo", batch)
    assert undo.returncode == 0, undo.stderr
    assert "undone" in undo.stdout


def test_import_dry_run_says_would(home: Path) -> None:
    result = liaison(home, "import", "partyfacts", "--dry-run", str(DATA / "partyfacts-sample.csv"))
    assert result.returncode == 0 and "would change" in result.stdout


def test_import_bad_file_names_rows_and_exits_nonzero(home: Path) -> None:
    result = liaison(home, "import", "partyfacts", str(DATA / "partyfacts-bad.csv"))
    assert result.returncode == 2
    assert "row 3, column 'country'" in result.stderr
    assert "nothing was imported" in result.stderr


def test_import_empty_file_exits_nonzero(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = liaison(home, "import", "exchanges", str(empty))
    assert result.returncode == 2 and "empty" in result.stderr


def test_createuser_and_export(home: Path) -> None:
    result = liaison(
        home, "createuser", "analyst", "--role", "viewer", password="correct horse battery staple"
    )
    assert result.returncode == 0, result.stderr
    export = liaison(home, "export", "actors", "--format", "csv")
    assert export.returncode == 0
    assert export.stdout.startswith("id,key,name,kind")


def test_createuser_unknown_unit_is_refused(home: Path) -> None:
    result = liaison(home, "createuser", "x", "--unit", "nowhere", password="a long pass phrase")
    assert result.returncode == 2 and "no unit" in result.stderr


def test_every_command_and_setting_is_documented() -> None:
    from liaison.cli import main
    from liaison.config import documented_settings

    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"liaison {name}" in docs, f"docs/cli.md does not describe `liaison {name}`"
        for sub in getattr(command, "commands", {}):
            assert f"liaison {name} {sub}" in docs, f"`liaison {name} {sub}` is undocumented"
    configuration = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for env in documented_settings():
        assert env in configuration, f"docs/configuration.md does not describe {env}"
