"""`ohjaamo users ...`: people's sign-in, by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from service.domain.errors import InvalidFields
from service.services.accounts.passwords import set_password_for
from service.web.messages import field_problem

users_cli = AppGroup("users", help="People's sign-in: passwords.")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option(prompt="New password")
def set_password_command(email: str, password: str) -> None:
    """Set the password of EMAIL (asked twice, never echoed); their other sessions end."""
    try:
        known = set_password_for(email, password)
    except InvalidFields as invalid:
        raise click.ClickException(
            " ".join(field_problem(code) for code in invalid.fields.values())
        ) from invalid
    if not known:
        raise click.ClickException(f"No one with the address {email}.")
    click.echo(f"The password of {email} is set.")
