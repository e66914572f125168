"""ETags of what the API lets change, and the `If-Match` precondition on those changes."""

from __future__ import annotations

import hashlib

from flask import request

from service.api.errors import abort
from service.models import SupervisionSession

IF_MATCH_REQUIRED = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the representation read before the change: 412 if it has "
    "changed since, 428 without it.",
}


def etag_of(*parts: object) -> str:
    """A strong ETag (quoted) naming this state of an object."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def require_if_match(current: str) -> None:
    """428 without `If-Match`; 412 unless it names `current` (or is `*`)."""
    if not request.if_match:
        abort(428, message="Send the ETag you read as If-Match, so no change is lost.")
    if request.if_match.star_tag:
        return
    if not request.if_match.contains(current.strip('"')):
        abort(412, message="It has changed since you read it; read it again.")


def session_etag(session: SupervisionSession) -> str:
    """A session's ETag: its id and revision, which every change to it raises."""
    return f'"{session.id}-{session.revision}"'
