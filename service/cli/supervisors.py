"""`ohjaamo supervisors add`: the operator adds a supervisor (and their practice)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from service.domain.errors import InvalidFields
from service.services.accounts.passwords import set_password_for
from service.services.accounts.supervisors import NewSupervisor, add_supervisor
from service.web.messages import field_problem

supervisors_cli = AppGroup("supervisors", help="Supervisors of the practice.")


def _refused(invalid: InvalidFields) -> click.ClickException:
    return click.ClickException(
        " ".join(f"{name}: {field_problem(code)}" for name, code in invalid.fields.items())
    )


@supervisors_cli.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The supervisor's name as clients read it.")
@click.option("--slug", required=True, help="The public page's address: /s/SLUG.")
@click.option("--practice", "practice_name", required=True, help="The practice's name.")
@click.option("--practice-slug", required=True, help="The practice's short name (found or made).")
@click.option("--title", default="", help="A line under the name on the public page.")
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="fi")
@click.option("--admin", is_flag=True, help="Also a practice admin (users, outbox).")
@click.password_option(prompt="Password")
def add_command(
    email: str,
    name: str,
    slug: str,
    practice_name: str,
    practice_slug: str,
    title: str,
    language: str,
    admin: bool,
    password: str,
) -> None:
    """Add the supervisor EMAIL with a password (asked twice, never echoed)."""
    new = NewSupervisor(
        name=name,
        email=email,
        slug=slug,
        practice_name=practice_name,
        practice_slug=practice_slug,
        title=title,
        language=language,
        admin=admin,
    )
    try:
        add_supervisor(new)
        set_password_for(email, password)
    except InvalidFields as invalid:
        raise _refused(invalid) from invalid
    click.echo(f"{name} is a supervisor; their public page is /s/{slug}.")
