"""The request id: one identifier that follows a piece of work from the HTTP request that
started it into the outbox messages it wrote and the worker's deliveries of them.

Held in a context variable, so the layers below HTTP (use cases, the outbox, the
worker) read it without being handed a request object. Every log line carries it (see
``service.logs``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The outbox and audit columns hold 64 characters; anything else a client sends (spaces,
# newlines, markup) is replaced by a fresh id rather than written into logs.
ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: ContextVar[str | None] = ContextVar("ohjaamo_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept(candidate: str | None) -> str:
    """A client's X-Request-ID when it is a plain token of at most 64 characters, else a
    fresh id."""
    if candidate and ACCEPTABLE.fullmatch(candidate):
        return candidate
    return new_request_id()


def current_request_id() -> str | None:
    return _current.get()


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    """Make ``request_id`` the current one for the duration of the block."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def bind(request_id: str | None) -> object:
    """Set the current id until ``unbind(token)``; for hooks that cannot use ``bound``."""
    return _current.set(request_id)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
