"""The state of the database: missing, behind the code, ready, or newer than the code."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

from liaison.domain.errors import ErrorCode, LiaisonError


class DatabaseState(StrEnum):
    """Where the database stands against the code's migrations."""

    MISSING = "missing"
    BEHIND = "behind"
    READY = "ready"
    NEWER = "newer"


def describe() -> str:
    """Return where the data lives, for messages."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite database {database['NAME']}"
    return f"{database['ENGINE'].rsplit('.', 1)[-1]} database {database['NAME']!r}"


def database_state() -> DatabaseState:
    """Compare the migrations applied to the database with those the code ships."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(str(database["NAME"])).exists():
        return DatabaseState.MISSING
    try:
        loader = MigrationLoader(connection, ignore_no_migrations=True)
    except DatabaseError as error:
        raise LiaisonError(
            ErrorCode.DATABASE_MISSING, f"cannot open the {describe()}: {error}"
        ) from error
    applied = set(loader.applied_migrations)
    on_disk = set(loader.disk_migrations)
    if not applied:
        return DatabaseState.MISSING
    if any(app in ("ledger",) for app, _ in applied - on_disk):
        return DatabaseState.NEWER
    if on_disk - applied:
        return DatabaseState.BEHIND
    return DatabaseState.READY


def ensure_ready() -> None:
    """Raise a clear error unless the database exists and matches the code."""
    state = database_state()
    if state is DatabaseState.MISSING:
        raise LiaisonError(
            ErrorCode.DATABASE_MISSING, f"there is no {describe()} yet; run `liaison init` first"
        )
    if state is DatabaseState.BEHIND:
        raise LiaisonError(
            ErrorCode.DATABASE_MISSING,
            f"the {describe()} needs upgrading to this version; run `liaison init`",
        )
    if state is DatabaseState.NEWER:
        raise LiaisonError(
            ErrorCode.DATABASE_NEWER,
            f"the {describe()} was written by a newer liaison; upgrade liaison to use it",
        )


def migrate() -> None:
    """Create the database or bring it up to this version of the code."""
    if database_state() is DatabaseState.NEWER:
        ensure_ready()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        Path(str(database["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
