"""What may be shown outside the service about a session: the neutral title only."""

from __future__ import annotations


def neutral_title(template: str, code: str) -> str:
    """The title of calendar events, invitations and room reservations.

    ``template`` is NEUTRAL_TITLE_TEMPLATE; only ``{code}``, the process's short code,
    is filled in, so no name or topic can reach a calendar or a mailbox.
    """
    return template.format(code=code).strip()
