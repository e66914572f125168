from __future__ import annotations

from datetime import timedelta

import pytest

from service.domain.errors import InvalidRules
from service.domain.rules import (
    BookingRules,
    Place,
    PlaceKind,
    SessionKind,
    TravelTimes,
    travel_minutes,
)
from tests.domain.helpers import CLIENT_A, CLIENT_B, OFFICE, REMOTE


def test_defaults():
    rules = BookingRules()
    assert rules.slot_step_minutes == 30
    assert rules.min_notice_minutes == 24 * 60
    assert rules.max_advance_days == 180
    assert rules.max_sessions_per_day is None
    assert rules.max_sessions_per_week is None
    assert [rules.duration_for(kind) for kind in SessionKind] == [
        timedelta(minutes=60),
        timedelta(minutes=90),
        timedelta(minutes=90),
        timedelta(minutes=120),
    ]


def test_agreement_overrides_the_duration():
    rules = BookingRules(group_minutes=105)
    assert rules.duration_for(SessionKind.GROUP) == timedelta(minutes=105)
    assert rules.duration_for(SessionKind.GROUP, 75) == timedelta(minutes=75)
    with pytest.raises(InvalidRules):
        rules.duration_for(SessionKind.GROUP, 0)


def test_enum_values_are_the_stored_strings():
    assert [kind.value for kind in SessionKind] == [
        "initial_assessment",
        "individual",
        "group",
        "work_community",
    ]
    assert [kind.value for kind in PlaceKind] == ["office", "client_premises", "remote"]


@pytest.mark.parametrize(
    "changes",
    [
        {"slot_step_minutes": 0},
        {"slot_step_minutes": 7},  # does not divide a day: the grid would drift
        {"buffer_before_minutes": -5},
        {"min_notice_minutes": -1},
        {"max_advance_days": 0},
        {"max_sessions_per_day": 0},
        {"max_sessions_per_week": -1},
        {"individual_minutes": 0},
    ],
)
def test_invalid_rules(changes):
    with pytest.raises(InvalidRules) as error:
        BookingRules(**changes)
    assert error.value.code == "invalid_rules"


def test_session_gap_is_the_larger_buffer():
    assert BookingRules(buffer_before_minutes=10, buffer_after_minutes=25).session_gap == timedelta(
        minutes=25
    )


class TestTravel:
    table = TravelTimes.build(
        {(OFFICE, CLIENT_A): 25, (CLIENT_B, CLIENT_A): 40}, default_minutes=50
    )

    def test_remote_and_same_place_need_none(self):
        assert travel_minutes(REMOTE, CLIENT_A, self.table) == 0
        assert travel_minutes(OFFICE, REMOTE, self.table) == 0
        assert travel_minutes(CLIENT_A, CLIENT_A, self.table) == 0
        assert travel_minutes(CLIENT_A, Place(PlaceKind.CLIENT_PREMISES, "org-a")) == 0

    def test_matrix_is_symmetric_with_a_default(self):
        assert travel_minutes(OFFICE, CLIENT_A, self.table) == 25
        assert travel_minutes(CLIENT_A, OFFICE, self.table) == 25
        assert travel_minutes(CLIENT_A, CLIENT_B, self.table) == 40
        assert travel_minutes(OFFICE, CLIENT_B, self.table) == 50
        assert travel_minutes(OFFICE, CLIENT_B) == 30  # built-in default

    def test_rules_carry_the_table(self):
        rules = BookingRules(travel=self.table)
        assert rules.travel_minutes(CLIENT_A, OFFICE) == 25
        assert hash(rules) == hash(BookingRules(travel=self.table))

    def test_negative_minutes_are_rejected(self):
        with pytest.raises(InvalidRules):
            TravelTimes.build({(OFFICE, CLIENT_A): -1})
