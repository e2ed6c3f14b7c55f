"""The `liaison` command: each command parses its input, calls one function, prints the result."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from liaison.domain.errors import LiaisonError

F = TypeVar("F", bound=Callable[..., Any])


def _django() -> None:
    """Configure Django once, on first use (extraction never needs it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.web.settings")
    import django

    django.setup()


def _ready() -> None:
    """Configure Django and stop with a clear message unless the database is ready."""
    _django()
    from liaison.ledger.database import ensure_ready

    ensure_ready()


def _reports_errors(command: F) -> F:
    """Turn a LiaisonError into a message on stderr and exit status 2, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LiaisonError as error:
            click.echo(f"error: {error.message}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _cli_author() -> Any:
    from liaison.ledger.actions import Author

    return Author(None, f"cli:{os.environ.get('USER', 'unknown')}")


def _progress(label: str) -> Any:
    from tqdm import tqdm

    return tqdm(desc=label, unit=" rows", file=sys.stderr, disable=None, mininterval=0.5)


@click.group()
@click.version_option(package_name="liaison")
def main() -> None:
    """liaison: the ledger of party-to-party and state diplomacy."""


@main.command()
@_reports_errors
def init() -> None:
    """Create or upgrade the database and load the reference data."""
    _django()
    from liaison.ledger.database import describe, migrate
    from liaison.ledger.reference import load_reference

    migrate()
    counts = load_reference(_cli_author(), progress=lambda step: click.echo(f"loading {step}…"))
    click.echo(
        f"{describe()} is ready. Reference rows changed: "
        + ", ".join(f"{name} {count}" for name, count in counts.items())
    )


@main.group(name="import")
def import_() -> None:
    """Import Party Facts, exchanges from CSV; list and undo imports."""


def _print_report(report: Any) -> None:
    verb = "would change" if report.dry_run else "changed"
    click.echo(
        f"{report.file_name}: {report.rows} rows read; {verb}: {report.created} created, "
        f"{report.updated} updated; {report.unchanged} unchanged, {report.skipped} skipped."
    )
    if report.batch_id:
        click.echo(f"batch {report.batch_id} (undo with: liaison import undo {report.batch_id})")
    elif not report.dry_run and report.changes == 0:
        click.echo("nothing to change: the ledger already holds this file's contents")


def _run_import(kind: str, path: Path, dry_run: bool, encoding: str) -> None:
    _ready()
    if kind == "partyfacts":
        from liaison.ledger.importers.partyfacts import import_partyfacts as run
    else:
        from liaison.ledger.importers.exchanges import import_exchanges as run
    with _progress(f"import {kind}") as bar:
        report = run(
            path,
            dry_run=dry_run,
            author=_cli_author(),
            encoding=encoding,
            on_row=lambda _line: bar.update(),
        )
    _print_report(report)


_import_path = click.argument("path", type=click.Path(path_type=Path))
_dry_run = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
_encoding = click.option(
    "--encoding", default="utf-8", show_default=True, help="The file's text encoding."
)


@import_.command(name="partyfacts")
@_import_path
@_dry_run
@_encoding
@_reports_errors
def import_partyfacts(path: Path, dry_run: bool, encoding: str) -> None:
    """Import a Party Facts core-parties CSV (parties linked by their Party Facts id)."""
    _run_import("partyfacts", path, dry_run, encoding)


@import_.command(name="exchanges")
@_import_path
@_dry_run
@_encoding
@_reports_errors
def import_exchanges(path: Path, dry_run: bool, encoding: str) -> None:
    """Import exchanges from CSV in the documented column format (docs/import-exchanges.md)."""
    _run_import("exchanges", path, dry_run, encoding)


@import_.command(name="list")
@_reports_errors
def import_list() -> None:
    """List import batches, newest first."""
    _ready()
    from liaison.ledger.models import ImportBatch

    for batch in ImportBatch.objects.all()[:100]:
        state = f"undone {batch.undone_at:%Y-%m-%d %H:%M}" if batch.undone_at else "active"
        click.echo(
            f"{batch.pk:>5}  {batch.started_at:%Y-%m-%d %H:%M}  {batch.kind:<11} {state:<22} "
            f"{batch.summary}  {batch.file_name}"
        )


@import_.command(name="undo")
@click.argument("batch_id", type=int)
@_reports_errors
def import_undo(batch_id: int) -> None:
    """Undo an import batch: delete what it created, restore what it changed."""
    _ready()
    from liaison.domain.errors import ErrorCode
    from liaison.ledger.actions import undo_batch
    from liaison.ledger.models import ImportBatch

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise LiaisonError(
            ErrorCode.NOT_FOUND, f"no import batch {batch_id}; see `liaison import list`"
        )
    counts = undo_batch(batch, _cli_author())
    click.echo(
        f"batch {batch_id} undone: {counts['deleted']} rows deleted, {counts['restored']} restored"
    )


@main.command()
@click.argument("what", type=click.Choice(["exchanges", "actors"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv, or json for JSON Lines.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
@_reports_errors
def export(what: str, fmt: str, output: Path | None) -> None:
    """Export exchanges or actors as CSV or JSON Lines."""
    _ready()
    from liaison.ledger.export import write

    if output is None:
        write(what, fmt, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = write(what, fmt, handle)
    click.echo(f"{count} {what} written to {output}", err=True)


@main.command()
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["admin", "editor", "viewer"]), default="viewer", show_default=True
)
@click.option("--unit", "unit_code", default="central", show_default=True, help="Unit code.")
@click.option("--email", default="")
@click.option(
    "--password",
    envvar="LIAISON_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Read from LIAISON_PASSWORD or asked for.",
)
@_reports_errors
def createuser(username: str, role: str, unit_code: str, email: str, password: str) -> None:
    """Create a user in a unit with a role (admin, editor, viewer)."""
    _ready()
    from liaison.domain.enums import UserRole
    from liaison.domain.errors import ErrorCode
    from liaison.ledger.actions import create_user
    from liaison.ledger.models import Unit

    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise LiaisonError(ErrorCode.UNKNOWN_UNIT, f"no unit has the code {unit_code!r}")
    create_user(username, password, UserRole(role), unit, email, _cli_author())
    click.echo(f"user {username} created ({role} in {unit.name})")


@main.group()
def actors() -> None:
    """Merge actors and undo merges."""


@actors.command(name="merge")
@click.argument("keep_id", type=int)
@click.argument("absorbed_id", type=int)
@_reports_errors
def actors_merge(keep_id: int, absorbed_id: int) -> None:
    """Merge actor ABSORBED_ID into KEEP_ID (undo with `liaison actors unmerge`)."""
    _ready()
    from liaison.ledger.actions import merge_actors
    from liaison.ledger.models import Actor

    merge = merge_actors(
        Actor.objects.get(pk=keep_id), Actor.objects.get(pk=absorbed_id), _cli_author()
    )
    click.echo(f"merge {merge.pk}: {merge.absorbed} is now part of {merge.keep}")


@actors.command(name="unmerge")
@click.argument("merge_id", type=int)
@_reports_errors
def actors_unmerge(merge_id: int) -> None:
    """Undo a merge exactly."""
    _ready()
    from liaison.ledger.actions import undo_merge
    from liaison.ledger.models import ActorMerge

    undo_merge(ActorMerge.objects.get(pk=merge_id), _cli_author())
    click.echo(f"merge {merge_id} undone")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@_reports_errors
def serve(host: str, port: int) -> None:
    """Serve the web application (for a production server, use liaison.web.wsgi)."""
    _ready()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)


@main.command()
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the demo's data (default: LIAISON_HOME/demo).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Prepare the demo database and stop.")
@_reports_errors
def demo(home: Path | None, host: str, port: int, no_serve: bool) -> None:
    """Build a demo ledger from the sample data (in its own folder) and serve it."""
    from liaison.config import Config

    home = home or Config.from_env().home / "demo"
    # The demo never touches the user's own database: it lives in its own folder.
    os.environ["LIAISON_HOME"] = str(home)
    os.environ.pop("LIAISON_DB_PATH", None)
    os.environ.pop("DATABASE_URL", None)
    _django()
    from liaison.demo import prepare_demo

    info = prepare_demo(progress=lambda step: click.echo(step, err=True))
    click.echo(f"demo ledger at {info.database}: {info.summary}")
    click.echo(f"log in as {info.username} / {info.password}")
    if not no_serve:
        click.echo(f"open http://{host}:{port}/")
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "table"]),
    default="jsonl",
    show_default=True,
)
@click.option("--published", help="Publication date YYYY-MM-DD for texts that do not state one.")
@click.option(
    "--explain",
    is_flag=True,
    help="Say which component found what, and why sentences with a trigger gave no event.",
)
@click.option("--processes", default=1, show_default=True, help="Worker processes.")
@_reports_errors
def extract(
    paths: tuple[str, ...], fmt: str, published: str | None, explain: bool, processes: int
) -> None:
    """Extract exchanges and claims from press texts, in the event contract."""
    from liaison.extract.run import extract_paths, render

    day = date.fromisoformat(published) if published else None
    records = extract_paths(list(paths), published=day, explain=explain, processes=processes)
    for line in render(records, fmt):  # type: ignore[arg-type]
        click.echo(line)


@main.command(name="settings")
def settings_() -> None:
    """List every setting, its environment variable, default and meaning."""
    from liaison.config import SETTINGS

    for setting in SETTINGS:
        click.echo(
            f"{setting.env}\n    default: {setting.default or '(empty)'}\n    {setting.help}"
        )


# The commands of the other groups register themselves on `main`.
from liaison.cli import ingest as _ingest  # noqa: E402, F401
from liaison.cli import report as _report  # noqa: E402, F401
from liaison.cli import token as _token  # noqa: E402, F401
