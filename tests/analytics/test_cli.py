"""`liaison report` on the small ledger (conftest.py), in text, JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from liaison.cli import main
from tests.analytics.conftest import Ledger


@pytest.fixture(autouse=True)
def _test_database_is_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    # The readiness check looks for a database file; the test database lives in memory and
    # is migrated by pytest-django (tests/cli runs the command on a real file).
    monkeypatch.setattr("liaison.ledger.database.ensure_ready", lambda: None)


PERIOD = ["--from", "2023-01-01", "--to", "2024-12-31"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", *PERIOD, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_text(ledger: Ledger) -> None:
    text = _run("--format", "text")
    assert "from 2023-01-01 to 2024-12-31" in text
    assert "home country: CHN" in text
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in text.splitlines()[4:14]}
    assert lines["Exchanges"] == "13"
    assert lines["Counterparts in contact"] == "9"
    assert "75.0% (6 of 8)" in text  # developing share
    assert "Countries with no contact (1)\n  France" in text


def test_json(ledger: Ledger) -> None:
    data = json.loads(_run("--format", "json", "--unit", "central.africa"))
    assert data["unit"] == "central.africa"
    assert data["period"] == {"from": "2023-01-01", "to": "2024-12-31"}
    # See test_scope: central.africa has 4 exchanges with 3 counterparts.
    assert (data["figures"]["exchanges"], data["figures"]["counterparts"]) == (4, 3)
    assert data["network"]["nodes"] == 3  # A1 A3 A4, all in E12
    assert data["claims"] == []


def test_html_to_a_file(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", *PERIOD, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    # Self-contained: inline SVG charts, no script, no link to fetch anything.
    assert html.count("<svg") >= 7
    assert not any(tag in html for tag in ("<script", "<link", "src=", "href="))
    assert "@media print" in html


def test_bad_input_is_a_message(ledger: Ledger) -> None:
    bad_unit = CliRunner().invoke(main, ["report", "--unit", "nowhere"])
    assert bad_unit.exit_code == 2 and "nowhere" in bad_unit.output
    bad_date = CliRunner().invoke(main, ["report", "--from", "2023-13-01"])
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output
