"""Shared test setup."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "ledger" / "data"


@pytest.fixture
def data_dir() -> Path:
    """Return the folder of small test files written by us."""
    return DATA
