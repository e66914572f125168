"""The agreement's rules: every bad input named by field, sending rules, parties and
the evaluation calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.agreements import (
    AgreementTerms,
    InvalidAgreement,
    Party,
    Roster,
    check_draft,
    check_sendable,
    draft_problems,
    evaluation_schedule,
    required_parties,
)
from service.domain.processes import ProcessMode

GOOD = AgreementTerms(
    mode="group",
    session_minutes=90,
    session_count=20,
    min_gap_days=14,
    max_gap_days=28,
    starts_on=dt.date(2027, 1, 10),
    planned_end_on=dt.date(2028, 6, 30),
    place_kind="remote",
    price_cents=20000,
)
TEAM = Roster(participants=6, managers=1, organisation_goals=1)


def test_good_terms_have_no_problems() -> None:
    assert draft_problems(GOOD) == {}
    check_sendable(GOOD, TEAM)


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"mode": "coaching"}, "mode", "unknown_mode"),
        ({"session_count": 0}, "session_count", "at_least_one_session"),
        ({"planned_end_on": dt.date(2027, 1, 10)}, "planned_end_on", "end_before_start"),
        ({"planned_end_on": dt.date(2026, 12, 1)}, "planned_end_on", "end_before_start"),
        ({"min_gap_days": 6}, "min_gap_days", "gap_range"),
        ({"max_gap_days": 61}, "max_gap_days", "gap_range"),
        ({"min_gap_days": 30, "max_gap_days": 20}, "max_gap_days", "gap_order"),
        ({"price_cents": -1}, "price_cents", "price_negative"),
        ({"session_minutes": 0}, "session_minutes", "session_minutes_range"),
        (
            {"late_cancellation_charge_percent": 101},
            "late_cancellation_charge_percent",
            "percent_range",
        ),
        ({"place_kind": "client_premises"}, "location", "location_required"),
        ({"report_items": ("notes",)}, "report_items", "unknown_report_item"),
        ({"break_from": "07-01"}, "break", "break_needs_both_ends"),
        ({"break_from": "13-01", "break_until": "13-31"}, "break", "month_day"),
    ],
)
def test_each_bad_field_is_named(changes: dict, field: str, problem: str) -> None:
    terms = dataclasses.replace(GOOD, **changes)
    assert draft_problems(terms)[field] == problem
    with pytest.raises(InvalidAgreement) as raised:
        check_draft(terms, TEAM)
    assert raised.value.details["fields"][field] == problem


def test_every_problem_is_reported_at_once() -> None:
    terms = dataclasses.replace(GOOD, session_count=0, price_cents=-5, min_gap_days=3)
    assert set(draft_problems(terms)) == {"session_count", "price_cents", "min_gap_days"}


@pytest.mark.parametrize(
    ("mode", "participants", "problem"),
    [
        ("individual", 2, "too_many_participants"),
        ("group", 13, "too_many_participants"),
        ("group", 1, "too_few_participants"),
    ],
)
def test_participant_counts_follow_the_mode(mode: str, participants: int, problem: str) -> None:
    terms = dataclasses.replace(GOOD, mode=mode)
    with pytest.raises(InvalidAgreement) as raised:
        check_draft(terms, Roster(participants=participants, managers=0, organisation_goals=1))
    assert raised.value.fields == {"participants": problem}


def test_a_work_community_agreement_is_sent_only_with_a_manager() -> None:
    terms = dataclasses.replace(GOOD, mode="work_community")
    check_draft(terms, Roster(participants=6, managers=0, organisation_goals=1))
    with pytest.raises(InvalidAgreement) as raised:
        check_sendable(terms, Roster(participants=6, managers=0, organisation_goals=1))
    assert raised.value.fields == {"participants": "manager_required"}


def test_an_agreement_is_sent_only_with_an_organisation_goal() -> None:
    with pytest.raises(InvalidAgreement) as raised:
        check_sendable(GOOD, Roster(participants=6, managers=0, organisation_goals=0))
    assert raised.value.fields == {"goals": "organisation_goal_required"}


def test_required_parties() -> None:
    assert required_parties(ProcessMode.INDIVIDUAL, has_orderer=False) == {
        Party.SUPERVISOR,
        Party.SUPERVISEE,
    }
    assert required_parties(ProcessMode.WORK_COMMUNITY, has_orderer=True) == set(Party)


def test_evaluations_every_six_months_then_the_final() -> None:
    schedule = evaluation_schedule(dt.date(2027, 1, 31), dt.date(2028, 6, 30), 6)
    assert schedule == [
        ("interim", dt.date(2027, 7, 31)),
        ("interim", dt.date(2028, 1, 31)),
        ("final", dt.date(2028, 6, 30)),
    ]


@settings(deadline=None)  # a loaded CI machine must not turn slowness into failure
@given(
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2035, 1, 1)),
    days=st.integers(min_value=1, max_value=1500),
    months=st.integers(min_value=1, max_value=24),
)
def test_schedule_is_ordered_inside_the_process_and_ends_with_the_final(
    start: dt.date, days: int, months: int
) -> None:
    end = start + dt.timedelta(days=days)
    schedule = evaluation_schedule(start, end, months)
    dates = [on for _, on in schedule]
    assert dates == sorted(set(dates))
    assert all(start < on <= end for on in dates)
    assert schedule[-1] == ("final", end)
    assert all(kind == "interim" for kind, _ in schedule[:-1])
