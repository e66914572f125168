"""Domain errors and the machine-readable reasons a slot cannot be booked.

Every error carries a stable ``code``; the web layer translates the code (and the
``details``) into the user's language and an RFC 9457 problem. The English
``message`` is only a default for logs and developers.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, ClassVar


class Reason(StrEnum):
    """Why a proposed interval is not bookable. Declaration order is report order."""

    WRONG_DURATION = "wrong_duration"
    NOT_ALIGNED = "not_aligned"
    NONEXISTENT_LOCAL_TIME = "nonexistent_local_time"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    SESSIONS_USED_UP = "sessions_used_up"
    OUTSIDE_AGREEMENT = "outside_agreement"
    OUTSIDE_CADENCE = "outside_cadence"
    AFTER_SERIES_END = "after_series_end"
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"
    OUTSIDE_WORKING_HOURS = "outside_working_hours"
    BUSY = "busy"
    SESSION_CONFLICT = "session_conflict"
    TRAVEL_TIME = "travel_time"
    DAILY_LIMIT = "daily_limit"
    WEEKLY_LIMIT = "weekly_limit"
    NO_ROOM = "no_room"


_REASON_ORDER = {reason: position for position, reason in enumerate(Reason)}


def sort_reasons(reasons: Iterable[Reason]) -> list[Reason]:
    """Deduplicate and order reasons by their declaration order (stable output)."""
    return sorted(set(reasons), key=_REASON_ORDER.__getitem__)


class DomainError(Exception):
    """Base of every rule violation the domain reports."""

    code: ClassVar[str] = "domain_error"
    default_message: ClassVar[str] = "The request breaks a domain rule."

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the web layer: ``code``, English ``message`` and details."""
        return {"code": self.code, "message": self.message, **self.details}


class InvalidInterval(DomainError, ValueError):
    code = "invalid_interval"
    default_message = "An interval needs timezone-aware instants with start before end."


class InvalidWorkingHours(DomainError, ValueError):
    code = "invalid_working_hours"
    default_message = "Working hours are not valid."


class InvalidRules(DomainError, ValueError):
    code = "invalid_rules"
    default_message = "Booking rules are not valid."


class InvalidCadence(DomainError, ValueError):
    code = "invalid_cadence"
    default_message = "The agreement's cadence is not valid."


class CadenceWindowEmpty(DomainError):
    code = "cadence_window_empty"
    default_message = "No date fits the cadence between the previous and the next session."


class InvalidRequest(DomainError, ValueError):
    code = "invalid_slot_request"
    default_message = "The slot request is not valid."


class InvalidSeries(DomainError, ValueError):
    code = "invalid_series"
    default_message = "The series plan is not valid."


class SlotUnavailable(DomainError):
    """The proposed interval cannot be booked; ``reasons`` says why (all of them)."""

    code = "slot_unavailable"
    default_message = "The time is not available."

    def __init__(self, reasons: Iterable[Reason], message: str | None = None) -> None:
        self.reasons: tuple[Reason, ...] = tuple(sort_reasons(reasons))
        text = message or f"{self.default_message} ({', '.join(self.reasons)})"
        super().__init__(text, reasons=[reason.value for reason in self.reasons])


class InvalidFields(DomainError, ValueError):
    """Input with problems in named fields; ``fields`` maps each field to the code of
    its problem, so a form can show every message next to its field at once."""

    code = "invalid_fields"
    default_message = "Some fields are not valid."

    def __init__(self, fields: dict[str, str]) -> None:
        ordered = dict(sorted(fields.items()))
        listed = ", ".join(f"{name}: {problem}" for name, problem in ordered.items())
        super().__init__(f"{self.default_message} ({listed})", fields=ordered)
        self.fields = ordered


class LinkInvalid(DomainError):
    """A signed link (email confirmation, sign-in) that is forged, expired or used: one
    error for all, so the answer tells an attacker nothing."""

    code = "link_invalid"
    default_message = "The link is not valid, has expired or was already used."
