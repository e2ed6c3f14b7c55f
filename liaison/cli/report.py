"""The `liaison report` command."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from liaison.cli import _ready, _reports_errors, main


def _day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from error


@main.command()
@click.option("--from", "date_from", help="First day counted, YYYY-MM-DD (default: all).")
@click.option("--to", "date_to", help="Last day counted, YYYY-MM-DD (default: all).")
@click.option("--unit", help="Count only this unit's exchanges (with the units below it).")
@click.option(
    "--home",
    help="ISO3 code of the office's own country (default: the country in most exchanges).",
)
@click.option("--reviewed-only", is_flag=True, help="Leave out exchanges not yet reviewed.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
@_reports_errors
def report(
    date_from: str | None,
    date_to: str | None,
    unit: str | None,
    home: str | None,
    reviewed_only: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Report the figures, their growth, the network and the claims checked against the record."""
    _ready()
    from liaison.analytics.render import render_html, render_json, render_text
    from liaison.analytics.report import build_report
    from liaison.analytics.scope import build_scope

    scope = build_scope(_day(date_from), _day(date_to), unit, None, reviewed_only, home)
    built = build_report(scope, unit)
    render = {"text": render_text, "json": render_json, "html": render_html}[fmt]
    text = render(built)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"report written to {output}", err=True)
