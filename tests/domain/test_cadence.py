from __future__ import annotations

from datetime import date

import pytest

from service.domain.cadence import Cadence, CadenceWindow, validate_gap_days
from service.domain.errors import CadenceWindowEmpty, InvalidCadence

PREVIOUS = date(2026, 9, 1)


@pytest.mark.parametrize("days", [0, 6, 61, 365])
def test_gaps_outside_7_to_60_days_are_rejected_with_a_clear_message(days):
    with pytest.raises(InvalidCadence) as error:
        validate_gap_days(days, "min_gap_days")
    assert error.value.code == "invalid_cadence"
    assert "between 7 and 60 days" in error.value.message
    assert error.value.details["value"] == days


def test_min_must_not_exceed_max():
    with pytest.raises(InvalidCadence, match="must not exceed"):
        Cadence(30, 20)


def test_window_after_the_previous_session():
    window = Cadence(14, 28).window(PREVIOUS)
    assert window == CadenceWindow(date(2026, 9, 15), date(2026, 9, 29))
    assert window.contains(date(2026, 9, 15))
    assert window.contains(date(2026, 9, 29))
    assert not window.contains(date(2026, 9, 14))
    assert not window.contains(date(2026, 9, 30))


def test_window_between_two_sessions_keeps_min_gap_before_the_next():
    window = Cadence(14, 28).window(PREVIOUS, date(2026, 10, 6))
    assert window == CadenceWindow(date(2026, 9, 15), date(2026, 9, 22))


def test_window_with_only_a_next_session_or_none():
    assert Cadence(7, 60).window(None, date(2026, 10, 6)) == CadenceWindow(None, date(2026, 9, 29))
    assert Cadence(7, 60).window(None) == CadenceWindow()
    assert CadenceWindow().contains(date(1999, 1, 1))


def test_no_room_between_sessions_is_an_error():
    with pytest.raises(CadenceWindowEmpty) as error:
        Cadence(14, 28).window(PREVIOUS, date(2026, 9, 20))
    assert error.value.code == "cadence_window_empty"
    assert error.value.details == {"previous": "2026-09-01", "following": "2026-09-20"}


def test_next_must_follow_previous():
    with pytest.raises(InvalidCadence):
        Cadence(14, 28).window(PREVIOUS, PREVIOUS)
