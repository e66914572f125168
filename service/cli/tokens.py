"""`ohjaamo tokens`: create and revoke API tokens from the command line."""

from __future__ import annotations

import uuid

import click
from flask.cli import AppGroup

from service.services.accounts import tokens

tokens_cli = AppGroup("tokens", help="Create, list and revoke API tokens.")


@tokens_cli.command("create")
@click.option("--email", required=True, help="Email of the person the token acts as.")
@click.option("--name", required=True, help="What the token is for, to tell tokens apart.")
@click.option(
    "--scope",
    "scopes",
    type=click.Choice(tokens.SCOPES),
    multiple=True,
    default=(tokens.READ,),
    show_default=True,
    help="Repeat for several scopes; write is needed for every change.",
)
@click.option(
    "--organisation",
    "organisation_id",
    type=click.UUID,
    help="Make an organisation token, acting for this organisation only.",
)
def create_command(
    email: str, name: str, scopes: tuple[str, ...], organisation_id: uuid.UUID | None
) -> None:
    """Create a token and print it; it is shown this once only."""
    person = tokens.person_by_email(email)
    if person is None:
        raise click.ClickException(f"Nobody has the email {email}.")
    organisation = None
    if organisation_id is not None:
        organisation = tokens.organisation_by_id(organisation_id)
        if organisation is None:
            raise click.ClickException(f"There is no organisation {organisation_id}.")
    try:
        token, plaintext = tokens.create_token(person, name, scopes, organisation)
    except tokens.TokenError as error:
        raise click.ClickException(str(error)) from error
    scope_list = ", ".join(token.scopes)
    click.echo(f"Created token {token.id} ({token.name}) for {person.email}, scopes: {scope_list}.")
    click.echo("Copy it now; it is not stored and cannot be shown again:")
    click.echo(plaintext)


@tokens_cli.command("revoke")
@click.argument("token_id", metavar="ID", type=click.UUID)
def revoke_command(token_id: uuid.UUID) -> None:
    """Revoke the token with this ID; it stops working at once."""
    token = tokens.revoke_token(token_id)
    if token is None:
        raise click.ClickException(f"There is no token {token_id}.")
    click.echo(
        f"Token {token.id} ({token.name}) is revoked since {token.revoked_at:%Y-%m-%d %H:%M} UTC."
    )


@tokens_cli.command("list")
@click.option("--email", help="Only this person's tokens.")
def list_command(email: str | None) -> None:
    """List tokens, newest first: the start of each, whose it is, what it may do and when
    it was last used (to the minute). The secrets themselves are not stored."""
    found = tokens.list_tokens(email)
    if not found:
        click.echo("No tokens.")
        return
    for token in found:
        organisation = token.organisation.name if token.organisation else "personal"
        last_used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
        click.echo(
            f"{token.id}  {token.prefix}…  {token.name}  {token.person.email}  {organisation}  "
            f"{','.join(token.scopes)}  created {token.created_at:%Y-%m-%d %H:%M}  "
            f"last used {last_used}  {state}"
        )
