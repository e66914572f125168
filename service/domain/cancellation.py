"""The agreement's cancellation terms: what a cancellation costs, and who may move when.

Free until ``free_hours`` before the start; later, the late charge applies (in full or
in part), except for sickness when the agreement grants that exception. The reason is
always a category, never free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from service.domain.intervals import ensure_utc


class CancellationCategory(StrEnum):
    """Why a session was cancelled; categories only, since free text could carry
    confidential detail."""

    SICKNESS = "sickness"
    SCHEDULE_CONFLICT = "schedule_conflict"
    WORK_SITUATION = "work_situation"
    SUPERVISOR_CANCELLED = "supervisor_cancelled"
    ROOM_UNAVAILABLE = "room_unavailable"
    PROCESS_ENDED = "process_ended"
    OTHER = "other"


# Cancellations for these reasons are never charged to the client.
NEVER_CHARGED = frozenset(
    {
        CancellationCategory.SUPERVISOR_CANCELLED,
        CancellationCategory.ROOM_UNAVAILABLE,
    }
)


@dataclass(frozen=True)
class CancellationTerms:
    free_hours: int = 48
    late_charge_percent: int = 100
    sickness_exception: bool = True

    def __post_init__(self) -> None:
        if self.free_hours < 0:
            raise ValueError("free_hours must not be negative")
        if not 0 <= self.late_charge_percent <= 100:
            raise ValueError("late_charge_percent must be between 0 and 100")

    def deadline(self, starts_at: datetime) -> datetime:
        """The last moment a cancellation or move is free."""
        return ensure_utc(starts_at, "starts_at") - timedelta(hours=self.free_hours)

    def is_late(self, starts_at: datetime, now: datetime) -> bool:
        return ensure_utc(now, "now") > self.deadline(starts_at)

    def charge_percent(
        self, starts_at: datetime, now: datetime, category: CancellationCategory
    ) -> int:
        """Percent of the session price charged for cancelling at ``now``."""
        if category in NEVER_CHARGED or not self.is_late(starts_at, now):
            return 0
        if category is CancellationCategory.SICKNESS and self.sickness_exception:
            return 0
        return self.late_charge_percent
