"""The `liaison ingest` and `liaison review` commands."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from liaison.cli import _cli_author, _ready, _reports_errors, main

KINDS = click.Choice(["exchange", "actor", "claim"])


def _runner(engine: str, scheduler: str | None, workers: int) -> Any:
    if engine == "local":
        return None
    from liaison.ingest.distributed import DaskRunner

    return DaskRunner(scheduler=scheduler, workers=workers)


def _print_failed() -> None:
    from liaison.ledger.models import QuarantinedInput

    rows = QuarantinedInput.objects.filter(resolved_at=None).order_by("doc")
    for row in rows:
        click.echo(f"{row.doc}\t{row.reason}")
    click.echo(f"{rows.count()} input(s) set aside", err=True)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786).")
@click.option("--workers", default=2, show_default=True, help="Local Dask workers to start.")
@click.option("--published", help="Publication date YYYY-MM-DD for texts that state none.")
@click.option("--failed", is_flag=True, help="List the inputs set aside, with the reason.")
@_reports_errors
def ingest(
    paths: tuple[str, ...],
    engine: str,
    scheduler: str | None,
    workers: int,
    published: str | None,
    failed: bool,
) -> None:
    """Ingest press texts: store sources, propose the exchanges and claims found, for review."""
    _ready()
    if failed:
        _print_failed()
        return
    if not paths:
        raise click.UsageError("name at least one file, folder or glob (or use --failed)")
    from tqdm import tqdm

    from liaison.ingest.run import IngestReport, ingest_paths

    bar = tqdm(desc="ingest", unit=" docs", file=sys.stderr, disable=None, mininterval=0.5)

    def progress(report: IngestReport) -> None:
        counts = report.counts
        bar.n = counts["documents read"]
        bar.set_postfix(
            exchanges=counts["exchanges new"], failed=counts["documents failed"], refresh=False
        )
        bar.refresh()

    day = date.fromisoformat(published) if published else None
    runner = _runner(engine, scheduler, workers)
    report = ingest_paths(list(paths), _cli_author(), runner, progress, day)
    bar.close()
    for name, value in sorted(report.counts.items()):
        click.echo(f"{name}: {value}")
    if not report.changed:
        click.echo("nothing changed: every document was already in the ledger")
    else:
        click.echo(f"batch {report.batch_id} (undo with: liaison import undo {report.batch_id})")
    if report.undated:
        click.echo(
            f"{len(report.undated)} document(s) tell of events but carry no date, so those events"
            " were not recorded; ingest such texts with --published YYYY-MM-DD (after `liaison"
            " import undo BATCH` if they are already stored):",
            err=True,
        )
        for doc in report.undated:
            click.echo(f"  {doc}", err=True)
    if report.failures:
        click.echo(f"{len(report.failures)} input(s) set aside:", err=True)
        for failure in report.failures:
            click.echo(f"  {failure.doc}: {failure.reason}", err=True)
        sys.exit(1)


@main.group()
def review() -> None:
    """Review what ingest proposed: list, show, accept, reject, edit."""


@review.command(name="list")
@click.option("--kind", type=KINDS, default="exchange", show_default=True)
@click.option("--status", default="proposed", show_default=True)
@click.option("--limit", default=50, show_default=True)
@_reports_errors
def review_list(kind: str, status: str, limit: int) -> None:
    """List records waiting for review."""
    _ready()
    from liaison.domain.enums import ReviewStatus
    from liaison.ledger import review as queue

    rows = queue.queue(kind, ReviewStatus(status))  # type: ignore[arg-type]
    for row in rows[:limit]:
        click.echo(f"{kind} {row.pk}\t{row}")
    click.echo(f"{rows.count()} {kind}(s) {status}", err=True)


@review.command(name="show")
@click.argument("kind", type=KINDS)
@click.argument("pk", type=int)
@_reports_errors
def review_show(kind: str, pk: int) -> None:
    """Show a record with the evidence behind it."""
    _ready()
    from liaison.ledger import review as queue
    from liaison.ledger.actions import snapshot

    row: Any = queue.get(kind, pk)  # type: ignore[arg-type]
    for name, value in snapshot(row).items():
        click.echo(f"{name}: {value}")
    if kind == "exchange":
        for participation in row.participations.select_related("actor"):
            click.echo(f"participant: {participation.actor} ({participation.role})")
    if kind != "actor":
        for span in row.evidence.select_related("source"):
            click.echo(f"evidence [{span.source}]: {span.text}")


def _decide(kind: str, ids: tuple[int, ...], decision: str) -> None:
    _ready()
    from liaison.ledger import review as queue

    for pk in ids:
        changed = queue.decide(kind, pk, decision, _cli_author())  # type: ignore[arg-type]
        click.echo(f"{kind} {pk}: {decision}ed" if changed else f"{kind} {pk}: unchanged")


@review.command(name="accept")
@click.argument("kind", type=KINDS)
@click.argument("ids", type=int, nargs=-1, required=True)
@_reports_errors
def review_accept(kind: str, ids: tuple[int, ...]) -> None:
    """Confirm proposed records."""
    _decide(kind, ids, "accept")


@review.command(name="reject")
@click.argument("kind", type=KINDS)
@click.argument("ids", type=int, nargs=-1, required=True)
@_reports_errors
def review_reject(kind: str, ids: tuple[int, ...]) -> None:
    """Reject proposed records; a later ingest does not propose them again."""
    _decide(kind, ids, "reject")


@review.command(name="edit")
@click.argument("pk", type=int)
@click.option("--type", "type_", help="meeting, visit, conference, briefing, ...")
@click.option("--channel", help="in_person, video, phone, written")
@click.option("--date", "date_", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--city")
@click.option("--country", help="ISO 3166-1 alpha-3 code")
@click.option("--summary")
@_reports_errors
def review_edit(
    pk: int,
    type_: str | None,
    channel: str | None,
    date_: str | None,
    city: str | None,
    country: str | None,
    summary: str | None,
) -> None:
    """Correct a proposed exchange; a corrected exchange is never overwritten by ingest."""
    _ready()
    from liaison.domain.dates import PartialDate
    from liaison.domain.enums import Channel, ExchangeType
    from liaison.ledger import review as queue

    changes: dict[str, Any] = {
        "type": ExchangeType(type_) if type_ else None,
        "channel": Channel(channel) if channel else None,
        "date": PartialDate.parse(date_) if date_ else None,
        "city": city,
        "country": country,
        "summary": summary,
    }
    queue.correct_exchange(pk, {k: v for k, v in changes.items() if v is not None}, _cli_author())
    click.echo(f"exchange {pk}: corrected")
