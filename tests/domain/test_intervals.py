from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.errors import DomainError, InvalidInterval
from service.domain.intervals import (
    Interval,
    IntervalIndex,
    contains,
    intersect,
    is_sorted_disjoint,
    merge,
    overlaps,
    pad,
    subtract,
)
from tests.domain.helpers import HELSINKI, NEW_YORK, local, utc

T0 = utc(2026, 5, 4, 8)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iv(a: int, b: int) -> Interval:
    return Interval(at(a), at(b))


class TestInterval:
    def test_rejects_naive_instants(self):
        with pytest.raises(InvalidInterval) as error:
            Interval(datetime(2026, 5, 4, 8), at(60))
        assert error.value.code == "invalid_interval"
        assert isinstance(error.value, ValueError)
        assert isinstance(error.value, DomainError)

    @pytest.mark.parametrize("end", [0, -30])
    def test_rejects_empty_or_reversed(self, end):
        with pytest.raises(InvalidInterval):
            iv(0, end)

    def test_stores_utc_whatever_the_input_zone(self):
        interval = Interval(local(2026, 5, 4, 11), local(2026, 5, 4, 7, zone=NEW_YORK))
        assert interval.start == utc(2026, 5, 4, 8)
        assert interval.start.tzinfo is UTC
        assert interval.end.tzinfo is UTC
        assert interval.duration == timedelta(hours=3)

    def test_half_open_back_to_back_do_not_overlap(self):
        assert not overlaps(iv(0, 60), iv(60, 120))
        assert not iv(60, 120).overlaps(iv(0, 60))
        assert overlaps(iv(0, 61), iv(60, 120))
        assert overlaps(iv(0, 120), iv(30, 40))

    def test_contains_intervals_and_instants(self):
        outer = iv(0, 60)
        assert contains(outer, iv(0, 60))
        assert contains(outer, iv(10, 20))
        assert not contains(outer, iv(10, 61))
        assert outer.contains(at(0))
        assert not outer.contains(at(60))  # end excluded
        assert outer.contains(at(59).astimezone(HELSINKI))

    def test_padded(self):
        assert iv(60, 120).padded(15, 30) == iv(45, 150)
        with pytest.raises(InvalidInterval):
            iv(0, 60).padded(-1, 0)

    def test_ordering_is_by_start_then_end(self):
        assert sorted([iv(30, 40), iv(0, 90), iv(0, 10)]) == [iv(0, 10), iv(0, 90), iv(30, 40)]


class TestListOperations:
    def test_merge_joins_overlapping_and_touching(self):
        assert merge([iv(60, 90), iv(0, 30), iv(30, 45), iv(80, 100), iv(200, 210)]) == [
            iv(0, 45),
            iv(60, 100),
            iv(200, 210),
        ]
        assert merge([]) == []

    def test_subtract(self):
        assert subtract([iv(0, 100)], [iv(10, 20), iv(50, 60)]) == [
            iv(0, 10),
            iv(20, 50),
            iv(60, 100),
        ]
        assert subtract([iv(0, 100)], [iv(-10, 200)]) == []
        assert subtract([iv(0, 10), iv(20, 30)], []) == [iv(0, 10), iv(20, 30)]
        assert subtract([iv(0, 10), iv(20, 30)], [iv(5, 25)]) == [iv(0, 5), iv(25, 30)]

    def test_intersect(self):
        assert intersect([iv(0, 50), iv(60, 100)], [iv(40, 70), iv(90, 200)]) == [
            iv(40, 50),
            iv(60, 70),
            iv(90, 100),
        ]
        assert intersect([iv(0, 10)], [iv(10, 20)]) == []

    def test_pad_merges_neighbours_that_come_to_touch(self):
        assert pad([iv(0, 30), iv(60, 90)], 15, 15) == [iv(-15, 105)]

    def test_is_sorted_disjoint(self):
        assert is_sorted_disjoint([iv(0, 10), iv(11, 20)])
        assert not is_sorted_disjoint([iv(0, 10), iv(10, 20)])


class TestIntervalIndex:
    def test_queries(self):
        index = IntervalIndex([iv(60, 90), iv(0, 30), iv(30, 40)])
        assert len(index) == 2
        assert list(index) == [iv(0, 40), iv(60, 90)]
        assert index.overlaps(at(35), at(65))
        assert not index.overlaps(at(40), at(60))  # touches both, overlaps neither
        assert index.covers(at(0), at(40))
        assert not index.covers(at(30), at(61))
        assert not index.covers(at(-5), at(10))
        assert index.overlapping(at(10), at(70)) == [iv(0, 40), iv(60, 90)]
        assert index.overlapping(at(40), at(60)) == []

    def test_of_reuses_an_index_and_compares_by_value(self):
        index = IntervalIndex([iv(0, 10)])
        assert IntervalIndex.of(index) is index
        assert IntervalIndex.of([iv(0, 5), iv(5, 10)]) == index
        assert hash(IntervalIndex([iv(0, 10)])) == hash(index)
        assert not IntervalIndex().overlaps(at(0), at(10))


# --- Hypothesis laws -------------------------------------------------------------------
# Intervals on a small minute grid, so the exact point set can be compared as a set.


@st.composite
def intervals(draw) -> Interval:
    start = draw(st.integers(0, 300))
    length = draw(st.integers(1, 60))
    return iv(start, start + length)


interval_lists = st.lists(intervals(), max_size=12)


def points(items: list[Interval]) -> set[int]:
    """Minutes covered (the grid is whole minutes, so this is the exact set)."""
    covered: set[int] = set()
    for item in items:
        first = int((item.start - T0) / timedelta(minutes=1))
        last = int((item.end - T0) / timedelta(minutes=1))
        covered.update(range(first, last))
    return covered


LAWS = settings(max_examples=200, deadline=None)


@LAWS
@given(interval_lists)
def test_merge_is_sorted_disjoint_and_preserves_the_union(items):
    merged = merge(items)
    assert is_sorted_disjoint(merged)
    assert points(merged) == points(items)
    assert merge(merged) == merged


@LAWS
@given(interval_lists, interval_lists)
def test_subtract_laws(a, b):
    difference = subtract(a, b)
    assert is_sorted_disjoint(difference)
    assert intersect(difference, b) == []
    assert points(difference) == points(a) - points(b)
    # union preserved: (a - b) ∪ (a ∩ b) == a
    assert merge(difference + intersect(a, b)) == merge(a)


@LAWS
@given(interval_lists, interval_lists)
def test_intersect_laws(a, b):
    both = intersect(a, b)
    assert is_sorted_disjoint(both)
    assert both == intersect(b, a)
    assert points(both) == points(a) & points(b)


@LAWS
@given(interval_lists, intervals())
def test_index_agrees_with_brute_force(items, probe):
    index = IntervalIndex(items)
    assert index.overlaps(probe.start, probe.end) == any(overlaps(probe, i) for i in items)
    assert index.covers(probe.start, probe.end) == any(contains(m, probe) for m in merge(items))
    assert index.overlapping(probe.start, probe.end) == [
        m for m in merge(items) if overlaps(m, probe)
    ]
