"""The `liaison token` commands: make, list and revoke the tokens of the JSON API."""

from __future__ import annotations

import click

from liaison.cli import _cli_author, _ready, _reports_errors, main
from liaison.domain.errors import ErrorCode, LiaisonError


@main.group()
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command(name="create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown by `liaison token list`).")
@_reports_errors
def token_create(username: str, name: str) -> None:
    """Create an API token for a user and print it once: it is stored only as a hash."""
    _ready()
    from django.contrib.auth.models import User

    from liaison.web.apitokens.tokens import create_token

    user = User.objects.filter(username=username).first()
    if user is None:
        raise LiaisonError(ErrorCode.NOT_FOUND, f"no user is named {username!r}")
    row, secret = create_token(user, name, _cli_author())
    click.echo(secret)
    click.echo(
        f"token {row.pk} for {username}: copy it now, it cannot be shown again. "
        f"Send it as the header 'Authorization: Bearer <token>'.",
        err=True,
    )


@token.command(name="list")
@click.argument("username", required=False)
@_reports_errors
def token_list(username: str | None) -> None:
    """List API tokens (all, or a user's): id, user, start of the token, state, name."""
    _ready()
    from liaison.web.apitokens.models import ApiToken

    rows = ApiToken.objects.select_related("user")
    if username:
        rows = rows.filter(user__username=username)
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"used {row.last_used_at:%Y-%m-%d}" if row.last_used_at else "never used"
        click.echo(
            f"{row.pk:>5}  {row.user.username:<20} {row.prefix}…  {state:<18} {used:<16} {row.name}"
        )


@token.command(name="revoke")
@click.argument("token_id", type=int)
@_reports_errors
def token_revoke(token_id: int) -> None:
    """Revoke an API token: programs that use it get 401 from then on."""
    _ready()
    from liaison.web.apitokens.models import ApiToken
    from liaison.web.apitokens.tokens import revoke_token

    row = ApiToken.objects.filter(pk=token_id).first()
    if row is None:
        raise LiaisonError(
            ErrorCode.NOT_FOUND, f"no API token {token_id}; see `liaison token list`"
        )
    if revoke_token(row, _cli_author()):
        click.echo(f"token {token_id} revoked")
    else:
        click.echo(f"token {token_id} was revoked already")
