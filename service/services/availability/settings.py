"""A supervisor's availability settings: booking limits, the working week, dates
that differ from it (days off, holidays, other hours) and their own places (an office).

The limits are checked by the domain's ``BookingRules`` (the rules slot search uses),
so a value the search would refuse is never stored; every problem is named by field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields

from sqlalchemy import select

from service.domain.errors import InvalidFields, InvalidRules
from service.domain.rules import BookingRules
from service.domain.working_hours import OverrideKind
from service.extensions import db
from service.models import AvailabilityOverride, Location, SupervisorProfile, WorkingHours
from service.services import audit
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.transactions import write_transaction

MAX_TRAVEL_MINUTES = 24 * 60
MAX_LABEL = 200
_RULE_PROBLEMS = {
    "slot_step_minutes": "slot_step",
    "max_advance_days": "at_least_one",
    "max_sessions_per_day": "at_least_one_or_empty",
    "max_sessions_per_week": "at_least_one_or_empty",
}


@dataclass(frozen=True)
class Limits:
    slot_step_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    default_travel_minutes: int
    min_notice_minutes: int
    max_advance_days: int
    max_sessions_per_day: int | None
    max_sessions_per_week: int | None


@dataclass(frozen=True)
class DayHours:
    """One weekday's working time; no times means a day off."""

    weekday: int
    starts: dt.time | None
    ends: dt.time | None


@dataclass(frozen=True)
class NewOverride:
    on_date: dt.date
    kind: OverrideKind
    starts: dt.time | None
    ends: dt.time | None
    label: str = ""


def limits_of(profile: SupervisorProfile) -> Limits:
    return Limits(**{f.name: getattr(profile, f.name) for f in fields(Limits)})


def _limit_problems(limits: Limits) -> dict[str, str]:
    problems = {}
    if not 0 <= limits.default_travel_minutes <= MAX_TRAVEL_MINUTES:
        problems["default_travel_minutes"] = "not_negative"
    rules = {f.name: getattr(limits, f.name) for f in fields(Limits)}
    rules.pop("default_travel_minutes")
    try:
        BookingRules(**rules)
    except InvalidRules as invalid:
        name = invalid.details.get("field", "slot_step_minutes")
        problems[name] = _RULE_PROBLEMS.get(name, "not_negative")
    return problems


def save_limits(principal: Principal, limits: Limits) -> None:
    problems = _limit_problems(limits)
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        profile = own_supervisor_profile(principal)
        for field in fields(Limits):
            setattr(profile, field.name, getattr(limits, field.name))
        audit.record(
            "supervisor.limits_changed", "supervisor", profile.id, actor_id=profile.person_id
        )


def _hours_problem(starts: dt.time | None, ends: dt.time | None) -> str | None:
    if (starts is None) != (ends is None):
        return "hours_both_ends"
    if starts is not None and ends is not None and starts >= ends:
        return "hours_order"
    return None


def save_week(principal: Principal, days: list[DayHours]) -> None:
    """Replace the working week (one range a weekday)."""
    problems = {
        f"day_{day.weekday}": problem
        for day in days
        if (problem := _hours_problem(day.starts, day.ends)) is not None
    }
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        profile = own_supervisor_profile(principal)
        profile.working_hours.clear()
        db.session.flush()
        for day in sorted(days, key=lambda d: d.weekday):
            if day.starts is not None and day.ends is not None:
                profile.working_hours.append(
                    WorkingHours(weekday=day.weekday, starts=day.starts, ends=day.ends)
                )
        audit.record(
            "supervisor.week_changed", "supervisor", profile.id, actor_id=profile.person_id
        )


def add_override(principal: Principal, new: NewOverride) -> uuid.UUID:
    problems = {}
    if new.kind is OverrideKind.OFF:
        starts = ends = None
    else:
        starts, ends = new.starts, new.ends
        if starts is None or ends is None:
            problems["starts"] = "hours_both_ends"
        elif (problem := _hours_problem(starts, ends)) is not None:
            problems["starts"] = problem
    if len(new.label) > MAX_LABEL:
        problems["label"] = "too_long"
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        profile = own_supervisor_profile(principal)
        override = AvailabilityOverride(
            on_date=new.on_date, kind=new.kind, starts=starts, ends=ends, label=new.label.strip()
        )
        profile.overrides.append(override)
        db.session.flush()
        return override.id


def remove_override(principal: Principal, override_id: uuid.UUID) -> None:
    with write_transaction():
        profile = own_supervisor_profile(principal)
        override = db.session.get(AvailabilityOverride, override_id)
        if override is None or override.supervisor_id != profile.id:
            raise NotFound()
        db.session.delete(override)


@dataclass(frozen=True)
class NewPlace:
    """A place of the supervisor's own where sessions are held (an office)."""

    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""


def own_places(principal: Principal) -> list[Location]:
    profile = own_supervisor_profile(principal)
    return list(
        db.session.scalars(
            select(Location).where(Location.supervisor_id == profile.id).order_by(Location.name)
        )
    )


def add_place(principal: Principal, new: NewPlace) -> uuid.UUID:
    problems = {}
    for field, limit in (("name", 200), ("street", 200), ("postal_code", 10), ("city", 100)):
        value = getattr(new, field).strip()
        if field == "name" and not value:
            problems[field] = "required"
        elif len(value) > limit:
            problems[field] = "too_long"
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        profile = own_supervisor_profile(principal)
        place = Location(
            supervisor_id=profile.id,
            name=new.name.strip(),
            street=new.street.strip(),
            postal_code=new.postal_code.strip(),
            city=new.city.strip(),
        )
        db.session.add(place)
        db.session.flush()
        audit.record("supervisor.place_added", "location", place.id, actor_id=profile.person_id)
        return place.id
