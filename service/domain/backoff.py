"""When a failed delivery is tried again: exponential backoff with jitter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def retry_delay(
    attempts: int, *, base_seconds: float, max_seconds: float, random: Callable[[], float]
) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt (1 for the first failure).

    The ceiling doubles with every attempt up to ``max_seconds``; the wait is drawn from
    its upper half ("equal jitter"), so workers that failed together do not retry
    together, yet no retry comes sooner than half the ceiling.
    """
    if attempts < 1:
        raise ValueError("attempts counts failures and starts at 1")
    ceiling = min(max_seconds, base_seconds * 2 ** (attempts - 1))
    return dt.timedelta(seconds=ceiling / 2 + random() * ceiling / 2)
