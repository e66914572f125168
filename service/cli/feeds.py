"""`ohjaamo feeds`: make and revoke calendar feed addresses from the command line."""

from __future__ import annotations

import uuid

import click
from flask.cli import AppGroup

from service import clock
from service.models import FeedKind
from service.services.accounts import tokens
from service.services.auth import Principal
from service.services.calendars import feeds
from service.services.errors import AccessDenied

feeds_cli = AppGroup("feeds", help="Make and revoke private calendar feed addresses.")


@feeds_cli.command("create")
@click.option("--email", required=True, help="Email of the person whose sessions it lists.")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in FeedKind]),
    default=FeedKind.PARTICIPANT.value,
    show_default=True,
    help="participant: the sessions they take part in; supervisor: all they supervise.",
)
@click.option("--name", default="", help="A label to tell feeds apart.")
def create_command(email: str, kind: str, name: str) -> None:
    """Make a feed and print its address; it is shown this once only."""
    person = tokens.person_by_email(email)
    if person is None:
        raise click.ClickException(f"Nobody has the email {email}.")
    try:
        feed, url = feeds.create_feed(Principal(person_id=person.id), FeedKind(kind), name)
    except AccessDenied as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created feed {feed.id} ({feed.kind}) for {email}. Its address, shown once:")
    click.echo(url)


@feeds_cli.command("revoke")
@click.argument("feed_id", metavar="ID", type=click.UUID)
def revoke_command(feed_id: uuid.UUID) -> None:
    """Revoke the feed with this ID; its address stops working at once."""
    feed = feeds.revoke_feed_by_id(feed_id, now=clock.now())
    if feed is None:
        raise click.ClickException(f"There is no feed {feed_id}.")
    click.echo(f"Feed {feed.id} is revoked since {feed.revoked_at:%Y-%m-%d %H:%M} UTC.")
