"""The settings of liaison: each read from the environment, with a default and a line of help."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "liaison"


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    """One setting: the environment variable that sets it, its default and what it does."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("LIAISON_HOME", str(_default_home()), "Folder where liaison keeps its data."),
    Setting(
        "LIAISON_DB_PATH",
        "",
        "Path of the SQLite database; empty means liaison.sqlite3 inside LIAISON_HOME.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "A database URL (postgres://user:pass@host/db); when set it wins over LIAISON_DB_PATH.",
    ),
    Setting(
        "LIAISON_PRODUCTION",
        "false",
        "Run with production safety: secret key from the environment, secure cookies, no debug.",
    ),
    Setting(
        "LIAISON_SECRET_KEY",
        "",
        "Django's secret key; required in production, otherwise kept in LIAISON_HOME/secret_key.",
    ),
    Setting("LIAISON_DEBUG", "false", "Show Django's debug pages (never in production)."),
    Setting(
        "LIAISON_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
        "Comma-separated host names the web app answers to.",
    ),
)


@dataclass(frozen=True)
class Config:
    """The settings in force, read once from the environment."""

    home: Path
    db_path: Path
    database_url: str
    production: bool
    secret_key: str = field(repr=False)
    debug: bool
    allowed_hosts: tuple[str, ...]

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        """Read the settings from an environment (the process's by default)."""
        source = dict(os.environ) if env is None else env
        values = {s.env: source.get(s.env) or s.default for s in SETTINGS}
        home = Path(values["LIAISON_HOME"]).expanduser()
        db_path = Path(values["LIAISON_DB_PATH"] or home / "liaison.sqlite3").expanduser()
        production = _flag(values["LIAISON_PRODUCTION"])
        return cls(
            home=home,
            db_path=db_path,
            database_url=values["DATABASE_URL"],
            production=production,
            secret_key=values["LIAISON_SECRET_KEY"],
            debug=_flag(values["LIAISON_DEBUG"]) and not production,
            allowed_hosts=tuple(h for h in values["LIAISON_ALLOWED_HOSTS"].split(",") if h),
        )

    def resolved_secret_key(self) -> str:
        """Return the secret key; outside production, make and keep one in the data folder."""
        if self.secret_key:
            return self.secret_key
        if self.production:
            raise RuntimeError(
                "LIAISON_SECRET_KEY is not set; production needs a secret key from the environment"
            )
        key_file = self.home / "secret_key"
        if key_file.exists():
            return key_file.read_text(encoding="utf-8").strip()
        self.home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
        return key


def documented_settings() -> list[str]:
    """Return the environment variables of every setting (a test keeps the docs in step)."""
    assert {f.name for f in fields(Config)} >= {"home", "db_path"}
    return [s.env for s in SETTINGS]
