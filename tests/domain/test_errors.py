from __future__ import annotations

import pytest

from service.domain.errors import (
    CadenceWindowEmpty,
    DomainError,
    InvalidCadence,
    InvalidInterval,
    InvalidRequest,
    InvalidRules,
    InvalidSeries,
    InvalidWorkingHours,
    Reason,
    SlotUnavailable,
    sort_reasons,
)


def test_every_error_has_its_own_code():
    errors = [
        DomainError,
        InvalidInterval,
        InvalidWorkingHours,
        InvalidRules,
        InvalidCadence,
        CadenceWindowEmpty,
        InvalidRequest,
        InvalidSeries,
        SlotUnavailable,
    ]
    codes = [error.code for error in errors]
    assert len(set(codes)) == len(codes)
    assert all(issubclass(error, DomainError) for error in errors)


def test_default_message_and_details():
    error = InvalidCadence(field="min_gap_days")
    assert error.message == InvalidCadence.default_message
    assert error.to_dict() == {
        "code": "invalid_cadence",
        "message": InvalidCadence.default_message,
        "field": "min_gap_days",
    }


def test_slot_unavailable_carries_sorted_unique_reasons():
    error = SlotUnavailable([Reason.BUSY, Reason.TOO_SOON, Reason.BUSY])
    assert error.reasons == (Reason.TOO_SOON, Reason.BUSY)
    assert error.to_dict()["reasons"] == ["too_soon", "busy"]
    assert error.code == "slot_unavailable"
    assert "too_soon" in str(error)
    with pytest.raises(DomainError):
        raise error


def test_reason_codes_are_stable_strings():
    assert Reason.OUTSIDE_WORKING_HOURS == "outside_working_hours"
    assert sort_reasons([Reason.NO_ROOM, Reason.WRONG_DURATION]) == [
        Reason.WRONG_DURATION,
        Reason.NO_ROOM,
    ]
