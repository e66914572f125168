"""How long offers computed at one moment stay the offers, with nothing written.

Writes raise the schedule versions; the clock changes offers by itself in three ways:
the first offer passes its notice, an unconfirmed hold lapses and frees its time, and
the horizon (the supervisor's, or a room's) moves over a start in the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from service.domain.intervals import Interval
from service.domain.rules import BookingRules
from service.domain.slots import Slot


def offers_valid_until(
    offers: Sequence[Slot],
    rules: BookingRules,
    window: Interval,
    now: datetime,
    *,
    lapses: Iterable[datetime] = (),
    room_horizons_days: Iterable[int | None] = (),
    longest: timedelta,
) -> datetime:
    """The moment ``offers`` (computed at ``now`` for ``window``) may no longer be the
    offers; never later than ``now + longest``."""
    until = now + longest
    if offers:
        until = min(until, offers[0].start - timedelta(minutes=rules.min_notice_minutes))
    until = min([until, *(lapse for lapse in lapses if lapse > now)])
    step = timedelta(minutes=rules.slot_step_minutes)
    for days in (rules.max_advance_days, *room_horizons_days):
        if days is not None and now + timedelta(days=days) < window.end:
            until = min(until, now + step)
    return until
