"""What may be said about a session outside Ohjaamo: a neutral title, never names."""

from __future__ import annotations


def neutral_title(template: str, process_code: str) -> str:
    """The title of calendar events and room reservations, from NEUTRAL_TITLE_TEMPLATE.
    Only `{code}` (the process's short code) is offered to the template."""
    return template.format(code=process_code).strip()
