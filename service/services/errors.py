"""Errors of the use cases that are not rule violations of the domain."""

from __future__ import annotations

from service.domain.errors import DomainError


class NotFound(DomainError):
    """The object does not exist, or the principal may not know that it does."""

    code = "not_found"
    default_message = "No such object."


class AccessDenied(DomainError):
    code = "forbidden"
    default_message = "You may not do that."


class StaleRevision(DomainError):
    """The change was based on an older version of the object (If-Match failed)."""

    code = "stale_revision"
    default_message = "The object has changed since you read it."


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used for a different request."
