"""The agreement's cadence: how far apart a process's sessions may be.

Dates here are local dates in the supervisor's zone; the caller converts instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from service.domain.errors import CadenceWindowEmpty, InvalidCadence

MIN_GAP_LIMIT_DAYS = 7
MAX_GAP_LIMIT_DAYS = 60


def validate_gap_days(days: int, name: str = "gap") -> None:
    """A cadence gap must lie within 7–60 days (weekly at most, two months at least)."""
    if not MIN_GAP_LIMIT_DAYS <= days <= MAX_GAP_LIMIT_DAYS:
        raise InvalidCadence(
            f"{name} must be between {MIN_GAP_LIMIT_DAYS} and {MAX_GAP_LIMIT_DAYS} days, "
            f"got {days}",
            field=name,
            value=days,
            minimum=MIN_GAP_LIMIT_DAYS,
            maximum=MAX_GAP_LIMIT_DAYS,
        )


@dataclass(frozen=True)
class CadenceWindow:
    """Local dates ``earliest``..``latest`` inclusive; None leaves that side open."""

    earliest: date | None = None
    latest: date | None = None

    def contains(self, day: date) -> bool:
        return (self.earliest is None or self.earliest <= day) and (
            self.latest is None or day <= self.latest
        )


@dataclass(frozen=True)
class Cadence:
    min_gap_days: int
    max_gap_days: int

    def __post_init__(self) -> None:
        validate_gap_days(self.min_gap_days, "min_gap_days")
        validate_gap_days(self.max_gap_days, "max_gap_days")
        if self.min_gap_days > self.max_gap_days:
            raise InvalidCadence(
                f"min_gap_days ({self.min_gap_days}) must not exceed "
                f"max_gap_days ({self.max_gap_days})",
                field="min_gap_days",
            )

    def window(self, previous: date | None, following: date | None = None) -> CadenceWindow:
        """Dates a new session may take between its neighbours in the process.

        At least ``min_gap_days`` and at most ``max_gap_days`` after ``previous``, and at
        least ``min_gap_days`` before ``following``. Raises :class:`CadenceWindowEmpty`
        when no date fits.
        """
        if previous is not None and following is not None and following <= previous:
            raise InvalidCadence(
                f"the next session ({following}) must come after the previous ({previous})"
            )
        earliest = latest = None
        if previous is not None:
            earliest = previous + timedelta(days=self.min_gap_days)
            latest = previous + timedelta(days=self.max_gap_days)
        if following is not None:
            before_next = following - timedelta(days=self.min_gap_days)
            latest = before_next if latest is None else min(latest, before_next)
        if earliest is not None and latest is not None and earliest > latest:
            raise CadenceWindowEmpty(
                previous=previous.isoformat() if previous else None,
                following=following.isoformat() if following else None,
            )
        return CadenceWindow(earliest, latest)
