"""The written agreement's rules: what a draft must hold, what sending adds, who
accepts, and when the evaluations fall.

Validation answers with every problem at once, keyed by field, as stable codes the web
layer translates; nothing is written until a draft passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from service.domain.errors import InvalidFields
from service.domain.processes import PARTICIPANT_LIMITS, ProcessMode
from service.domain.rules import PlaceKind

MIN_GAP_DAYS, MAX_GAP_DAYS = 7, 60
SESSION_MINUTES = range(30, 241)
INTERIM_MONTHS = range(1, 25)


class ReportItem(StrEnum):
    """What the orderer may learn; never content. Goal averages need the group's consent."""

    SESSIONS_AGREED = "sessions_agreed"
    SESSIONS_HELD = "sessions_held"
    SESSIONS_CANCELLED = "sessions_cancelled"
    SESSIONS_UPCOMING = "sessions_upcoming"
    ATTENDANCE_COUNTS = "attendance_counts"
    INVOICING = "invoicing"
    GOAL_AVERAGES = "goal_averages"


DEFAULT_REPORT_ITEMS: tuple[ReportItem, ...] = tuple(
    item for item in ReportItem if item is not ReportItem.GOAL_AVERAGES
)


class Party(StrEnum):
    SUPERVISOR = "supervisor"
    SUPERVISEE = "supervisee"
    MANAGER = "manager"
    ORDERER = "orderer"


class InvalidAgreement(InvalidFields):
    code = "invalid_agreement"
    default_message = "The agreement is not valid."


@dataclass(frozen=True)
class AgreementTerms:
    """A draft's content as plain values, before anything is stored."""

    mode: str
    session_minutes: int
    session_count: int
    min_gap_days: int
    max_gap_days: int
    starts_on: dt.date
    planned_end_on: dt.date
    place_kind: str
    price_cents: int
    has_location: bool = False
    free_cancellation_hours: int = 48
    late_cancellation_charge_percent: int = 100
    interim_evaluation_months: int = 6
    report_items: Sequence[str] = DEFAULT_REPORT_ITEMS
    break_from: str | None = None
    break_until: str | None = None


@dataclass(frozen=True)
class Roster:
    """Who the agreement binds, as counts and flags only."""

    participants: int
    managers: int
    organisation_goals: int


def _month_day(value: str | None) -> bool:
    if value is None:
        return True
    try:
        dt.datetime.strptime(f"2024-{value}", "%Y-%m-%d")
    except ValueError:
        return False
    return len(value) == 5


def draft_problems(terms: AgreementTerms) -> dict[str, str]:
    """Every problem of a draft's own fields, keyed by field."""
    problems: dict[str, str] = {}
    if terms.mode not in set(ProcessMode):
        problems["mode"] = "unknown_mode"
    if terms.place_kind not in set(PlaceKind):
        problems["place_kind"] = "unknown_place"
    elif terms.place_kind != PlaceKind.REMOTE and not terms.has_location:
        problems["location"] = "location_required"
    if terms.session_count < 1:
        problems["session_count"] = "at_least_one_session"
    if terms.session_minutes not in SESSION_MINUTES:
        problems["session_minutes"] = "session_minutes_range"
    if not MIN_GAP_DAYS <= terms.min_gap_days <= MAX_GAP_DAYS:
        problems["min_gap_days"] = "gap_range"
    if not MIN_GAP_DAYS <= terms.max_gap_days <= MAX_GAP_DAYS:
        problems["max_gap_days"] = "gap_range"
    elif terms.max_gap_days < terms.min_gap_days and "min_gap_days" not in problems:
        problems["max_gap_days"] = "gap_order"
    if terms.planned_end_on <= terms.starts_on:
        problems["planned_end_on"] = "end_before_start"
    if terms.price_cents < 0:
        problems["price_cents"] = "price_negative"
    if terms.free_cancellation_hours < 0:
        problems["free_cancellation_hours"] = "not_negative"
    if not 0 <= terms.late_cancellation_charge_percent <= 100:
        problems["late_cancellation_charge_percent"] = "percent_range"
    if terms.interim_evaluation_months not in INTERIM_MONTHS:
        problems["interim_evaluation_months"] = "interim_months_range"
    if not set(terms.report_items) <= set(ReportItem):
        problems["report_items"] = "unknown_report_item"
    if not (_month_day(terms.break_from) and _month_day(terms.break_until)):
        problems["break"] = "month_day"
    elif (terms.break_from is None) != (terms.break_until is None):
        problems["break"] = "break_needs_both_ends"
    return problems


def roster_problems(mode: str, roster: Roster) -> dict[str, str]:
    """Problems with who takes part: too few or too many for the mode."""
    try:
        limits = PARTICIPANT_LIMITS[ProcessMode(mode)]
    except ValueError:
        return {}
    if roster.participants > limits.maximum:
        return {"participants": "too_many_participants"}
    if roster.participants < limits.minimum:
        return {"participants": "too_few_participants"}
    return {}


def check_draft(terms: AgreementTerms, roster: Roster) -> None:
    problems = {**draft_problems(terms), **roster_problems(terms.mode, roster)}
    if problems:
        raise InvalidAgreement(problems)


def check_sendable(terms: AgreementTerms, roster: Roster) -> None:
    """A sent agreement also names its organisation goal, and a work community its
    manager: the manager is always one of the participants (DESIGN.md)."""
    problems = {**draft_problems(terms), **roster_problems(terms.mode, roster)}
    if roster.organisation_goals < 1:
        problems["goals"] = "organisation_goal_required"
    if terms.mode == ProcessMode.WORK_COMMUNITY and roster.managers < 1:
        problems["participants"] = "manager_required"
    if problems:
        raise InvalidAgreement(problems)


def required_parties(mode: ProcessMode, *, has_orderer: bool) -> frozenset[Party]:
    """The roles whose every holder must accept a version before it binds."""
    parties = {Party.SUPERVISOR, Party.SUPERVISEE}
    if mode is ProcessMode.WORK_COMMUNITY:
        parties.add(Party.MANAGER)
    if has_orderer:
        parties.add(Party.ORDERER)
    return frozenset(parties)


class EvaluationMoment(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


def evaluation_schedule(
    starts_on: dt.date, planned_end_on: dt.date, interim_months: int
) -> list[tuple[EvaluationMoment, dt.date]]:
    """Interim evaluations every ``interim_months`` after the start, then the final one
    on the planned end. Calendar months, so a start on the 31st lands on month ends."""
    moments: list[tuple[EvaluationMoment, dt.date]] = []
    step = 1
    while (on := starts_on + relativedelta(months=interim_months * step)) < planned_end_on:
        moments.append((EvaluationMoment.INTERIM, on))
        step += 1
    moments.append((EvaluationMoment.FINAL, planned_end_on))
    return moments
