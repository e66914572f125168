"""Scaling evaluations: the 0–10 answer, what may be shared, and a goal's line over time.

"0 = no progress, 10 = goal reached: where are you today?" Answers belong to the
participant and the supervisor; an orderer sees an average only when the whole group
consents and enough people answered that no one's answer can be read back from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from service.domain.errors import InvalidFields

SCALE_MIN, SCALE_MAX = 0, 10
MAX_NEXT_STEP = 1000
# Fewer answers than this and an average gives individuals away.
MIN_ANSWERS_FOR_AVERAGE = 3


class InvalidAnswer(InvalidFields):
    code = "invalid_answer"
    default_message = "The answer is not valid."


def check_answer(scale: object, next_step: str | None) -> int:
    """The scale as an integer on 0–10, or every problem at once."""
    problems = {}
    if isinstance(scale, bool) or not isinstance(scale, int):
        problems["scale"] = "scale_whole_number"
    elif not SCALE_MIN <= scale <= SCALE_MAX:
        problems["scale"] = "scale_range"
    if next_step is not None and len(next_step) > MAX_NEXT_STEP:
        problems["next_step"] = "too_long"
    if problems:
        raise InvalidAnswer(problems)
    return scale  # type: ignore[return-value]


def shareable_average(
    scales: Sequence[int], *, everyone_consents: bool, group_process: bool
) -> float | None:
    """The average the orderer may see, or None: groups only, with everyone's consent,
    and at least ``MIN_ANSWERS_FOR_AVERAGE`` answers."""
    if not (group_process and everyone_consents) or len(scales) < MIN_ANSWERS_FOR_AVERAGE:
        return None
    return round(fmean(scales), 1)


@dataclass(frozen=True)
class ScalePoint:
    on: dt.date
    scale: float
    label: str


@dataclass(frozen=True)
class PlottedPoint:
    x: float
    y: float
    point: ScalePoint


@dataclass(frozen=True)
class ChartGeometry:
    """Coordinates for a line chart of one goal: x by date, y by scale (10 at the top)."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: tuple[PlottedPoint, ...]

    def y_for(self, scale: float) -> float:
        return self.top + self.plot_height * (1 - (scale - SCALE_MIN) / (SCALE_MAX - SCALE_MIN))

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def chart_geometry(
    points: Sequence[ScalePoint],
    *,
    width: int = 480,
    height: int = 280,
    margin: tuple[int, int, int, int] = (28, 44, 44, 40),
) -> ChartGeometry:
    """Place points proportionally to their dates (top, right, bottom, left margins);
    a single point sits in the middle."""
    top, right, bottom, left = margin
    plot_width, plot_height = width - left - right, height - top - bottom
    ordered = sorted(points, key=lambda p: p.on)
    geometry = ChartGeometry(width, height, left, top, plot_width, plot_height, ())
    if not ordered:
        return geometry
    first, last = ordered[0].on, ordered[-1].on
    span = (last - first).days
    plotted = []
    for point in ordered:
        share = 0.5 if span == 0 else (point.on - first).days / span
        plotted.append(PlottedPoint(left + plot_width * share, geometry.y_for(point.scale), point))
    return ChartGeometry(width, height, left, top, plot_width, plot_height, tuple(plotted))
