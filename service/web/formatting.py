"""How pages write times, dates, numbers and money for their reader: in the reader's
language (``service.formats``) and zone, the zone named (by its city) only when a time
is shown in another. Registered as template filters by ``register``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context
from flask_babel import gettext as _

from service import clock, formats
from service.domain.cancellation import CancellationTerms
from service.domain.localtime import zone_of
from service.domain.slots import Slot
from service.extensions import db
from service.models import Person
from service.services.auth import Principal
from service.web.signed_in import current_person


def reader_zone(principal: Principal | None = None) -> str:
    """The reader's zone (the signed-in person's, or ``principal``'s), else the
    service's default zone."""
    if principal is not None:
        person = db.session.get(Person, principal.person_id)
    else:
        person = current_person() if has_request_context() else None
    return person.timezone if person is not None else str(current_app.config["DEFAULT_TIMEZONE"])


def _other_year(instant: dt.datetime, zone: str) -> bool:
    tz = zone_of(zone)
    return instant.astimezone(tz).year != clock.now().astimezone(tz).year


def session_time(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """``ti 12.1. klo 10.00–11.30`` in ``zone``; with the year when it is not this one."""
    return formats.span(start, end, zone, reader_zone(), with_year=_other_year(start, zone))


def moment(instant: dt.datetime, zone: str) -> str:
    """A date with its year and a time: ``ti 2.3.2027 klo 9.00``."""
    return formats.at_with_year(instant, zone, reader_zone())


def soon(instant: dt.datetime, zone: str) -> str:
    """A date and a time, ``ti 8.12. klo 13.00``; with the year when it is not this one."""
    if _other_year(instant, zone):
        return formats.at_with_year(instant, zone, reader_zone())
    return formats.at(instant, zone, reader_zone())


def cancellation_sentence(
    terms: CancellationTerms,
    start: dt.datetime | None = None,
    zone: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The cancellation terms in a sentence; with ``start`` (and ``zone``), the last
    moment of free cancellation written out, or that it has passed by ``now``. Written
    here rather than in a template: a booking page writes it for each of its times."""
    late = start is not None and now is not None and terms.is_late(start, now)
    deadline = None
    if start is not None and zone is not None and not late:
        deadline = soon(terms.deadline(start), zone)
    return _cancellation_text(terms, late, deadline)


@formats.kept_per_language
def _cancellation_text(terms: CancellationTerms, late: bool, deadline: str | None) -> str:
    if not terms.late_charge_percent:
        return _("Free to cancel at any time.")
    percent = terms.late_charge_percent
    if late:
        text = _(
            "The free cancellation period has passed: cancelling costs %(percent)s %% of the price.",  # noqa: E501
            percent=percent,
        )
    elif deadline is not None:
        text = _(
            "Cancelling is free until %(deadline)s; after that %(percent)s %% of the price is charged.",  # noqa: E501
            deadline=deadline,
            percent=percent,
        )
    else:
        text = _(
            "Cancelling is free until %(hours)s hours before the session; after that %(percent)s %% of the price is charged.",  # noqa: E501
            hours=terms.free_hours,
            percent=percent,
        )
    if terms.sickness_exception:
        text = f"{text} {_('Cancelling because of sickness is always free.')}"
    return text


def zone_note(zone: str) -> str:
    """The zone's city when it is not the reader's zone, else nothing."""
    return "" if zone == reader_zone() else formats.zone_city(zone)


DAY_FORMS = {
    "day": formats.day,
    "year": formats.day_with_year,
    "date": formats.date,
    "month": formats.month,
    "month_short": formats.month_short,
    "weekday": formats.weekday,
    "day_of_month": formats.day_of_month,
}


def day_name(value: dt.date, form: str = "day") -> str:
    """A date in one of ``DAY_FORMS``: ``ti 8.12.`` by default."""
    return DAY_FORMS[form](value)


@dataclass(frozen=True)
class SlotChoice:
    value: str  # the start as ISO 8601, the form's value
    time: str  # the local clock time
    start: dt.datetime


@dataclass(frozen=True)
class SlotDay:
    on: dt.date
    label: str
    slots: list[SlotChoice]


def slot_days(slots: list[Slot], zone: str) -> list[SlotDay]:
    """Offered slots grouped by their local day, for a list of time buttons."""
    tz = zone_of(zone)
    days: dict[dt.date, list[SlotChoice]] = {}
    for slot in slots:
        local = slot.start.astimezone(tz)
        choice = SlotChoice(slot.start.isoformat(), formats.clock(local), slot.start)
        days.setdefault(local.date(), []).append(choice)
    return [SlotDay(day, formats.day(day), times) for day, times in days.items()]


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        midnight=dt.time(0), timedelta=dt.timedelta, cancellation_sentence=cancellation_sentence
    )
    filters = app.jinja_env.filters
    filters["session_time"] = session_time
    filters["local_datetime"] = moment
    filters["soon"] = soon
    filters["local_clock"] = formats.clock
    filters["day_name"] = day_name
    filters["zone_note"] = zone_note
    filters["zone_info"] = zone_of
    filters["number"] = formats.number
    filters["money"] = formats.money
    filters["week_number"] = formats.week_number
    filters["year_month"] = formats.year_month
