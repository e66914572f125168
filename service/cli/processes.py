"""`ohjaamo processes ...`: the process jobs the worker also runs, by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from service import clock
from service.services.accounts.sign_in import PasswordSignInRequired, operator_sign_in_link
from service.services.privacy.retention import purge_closed_content
from service.services.processes.inquiries import expire_unconfirmed

processes_cli = AppGroup("processes", help="Process housekeeping: expiry and retention.")


@processes_cli.command("expire-inquiries")
def expire_inquiries_command() -> None:
    """Delete inquiries whose email was not confirmed in time, with their held slots."""
    click.echo(f"Removed {expire_unconfirmed(now=clock.now())} unconfirmed inquiries.")


@processes_cli.command("purge-content")
def purge_content_command() -> None:
    """Purge notes and answers of processes closed longer than RETENTION_MONTHS."""
    click.echo(f"Purged the content of {purge_closed_content(now=clock.now())} processes.")


@click.command("sign-in-link")
@click.argument("email")
@with_appcontext
def sign_in_link_command(email: str) -> None:
    """Print a one-time sign-in link for EMAIL (for the operator; the use is audited)."""
    try:
        url = operator_sign_in_link(email, now=clock.now())
    except PasswordSignInRequired:
        raise click.ClickException(
            f"{email} signs in with a password, never by link; "
            "`ohjaamo users set-password` sets a new one."
        ) from None
    if url is None:
        raise click.ClickException(f"No one with the address {email}.")
    click.echo(url)
