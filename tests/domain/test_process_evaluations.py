"""Scaling answers, what an orderer may see of them, and the chart's geometry."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.evaluations import (
    InvalidAnswer,
    ScalePoint,
    chart_geometry,
    check_answer,
    shareable_average,
)


@pytest.mark.parametrize("scale", [0, 5, 10])
def test_scale_accepts_zero_to_ten(scale: int) -> None:
    assert check_answer(scale, None) == scale


@pytest.mark.parametrize(
    ("scale", "problem"),
    [
        (-1, "scale_range"),
        (11, "scale_range"),
        (5.5, "scale_whole_number"),
        (True, "scale_whole_number"),
        ("7", "scale_whole_number"),
    ],
)
def test_scale_rejects_what_is_not_a_whole_number_on_the_scale(scale: object, problem: str) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        check_answer(scale, None)
    assert raised.value.fields == {"scale": problem}


def test_averages_need_a_consenting_group_and_three_answers() -> None:
    assert shareable_average([4, 6, 8], everyone_consents=True, group_process=True) == 6.0
    assert shareable_average([4, 6, 8], everyone_consents=False, group_process=True) is None
    assert shareable_average([4, 6, 8], everyone_consents=True, group_process=False) is None
    assert shareable_average([4, 6], everyone_consents=True, group_process=True) is None


def test_chart_places_points_by_date_and_scale() -> None:
    points = [
        ScalePoint(dt.date(2027, 1, 1), 0, "session"),
        ScalePoint(dt.date(2027, 1, 11), 10, "interim"),
        ScalePoint(dt.date(2027, 1, 6), 5, "session"),
    ]
    chart = chart_geometry(points, width=200, height=120, margin=(10, 10, 10, 10))
    assert [(p.x, p.y) for p in chart.points] == [(10, 110), (100, 60), (190, 10)]
    assert chart.polyline == "10.0,110.0 100.0,60.0 190.0,10.0"


def test_a_single_point_sits_in_the_middle() -> None:
    chart = chart_geometry(
        [ScalePoint(dt.date(2027, 1, 1), 5, "final")],
        width=200,
        height=120,
        margin=(10, 10, 10, 10),
    )
    assert chart.points[0].x == 100
