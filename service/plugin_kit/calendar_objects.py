"""iCalendar in and out: the busy time a calendar object covers, and the object Ohjaamo
writes for a session (the VEVENT of `service.domain.vevent`, marked as Ohjaamo's own).

Reading follows the rules a supervisor expects from their own calendar: every
occurrence of a recurring series inside the window (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides, by recurring-ical-events), an all-day event blocks the whole
local day in the supervisor's zone, a floating time is that zone's local time, and
events marked free (TRANSP:TRANSPARENT) or cancelled block nothing. Events Ohjaamo
wrote itself are recognised by their UID prefix or X-property and never counted: the
session's own hold already takes that time.

An object that cannot be read raises `MalformedObject` with the reason in a key
(`service.backends.UnreadableReason`) and the event's title when that much was
readable, so the supervisor can be told which event blocks nothing. A repeat rule is
looked at before it is expanded: one that repeats every 0 weeks, more often than
hourly, or so often since its start that expanding it would take long (the
expansion walks every period from the first occurrence) is refused as unreadable, so
no object can hold the worker, or a booking, in a loop.

A whole calendar published at one address (an .ics file) is cut into objects by UID,
each with the file's time zone definitions (`objects_in`), and read with the same rules;
`surely_outside` tells from an object's text that it lies outside a window, as a CalDAV
time-range query would leave it out, so a large calendar's past is not expanded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from math import prod
from typing import cast
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from icalendar.error import BrokenCalendarProperty, ComponentStartMissing
from recurring_ical_events import BadRuleStringFormat

from service.backends import OWN_EVENT_PROPERTY as OWN_PROPERTY
from service.backends import OWN_EVENT_UID_PREFIX as OWN_UID_PREFIX
from service.backends import CalendarEvent, TimeRange, UnreadableObject, UnreadableReason
from service.domain.vevent import EventFacts, calendar_of, session_vevent

# Servers match time ranges against all-day and floating events in their own idea of
# the zone; asking a day wider on each side catches every candidate, clipped after.
QUERY_MARGIN = dt.timedelta(days=1)

# Periods a repeat rule may walk from its first occurrence to the end of the window
# (times the candidates each period holds): about a second of expansion. An hourly
# event begun ten years ago fits; a minutely one, or one every 0 weeks, does not.
MAX_EXPANSION_STEPS = 100_000
_PERIOD_DAYS = {"YEARLY": 365.0, "MONTHLY": 28.0, "WEEKLY": 7.0, "DAILY": 1.0, "HOURLY": 1 / 24}
_EXPANDING_PARTS = (
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
)
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE"})
_RULE_PROPERTIES = frozenset({"RRULE", "EXRULE"})


class MalformedObject(ValueError):
    """A calendar object that cannot be read; the sync skips it and tells the supervisor.

    The message names the reason and the kind of failure only, never the object's
    content: it goes to logs. `summary` (the supervisor's own title) is for their page.
    """

    def __init__(
        self, reason: UnreadableReason, summary: str | None = None, detail: str = ""
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.summary = summary

    def unreadable(self, href: str) -> UnreadableObject:
        return UnreadableObject(href=href, reason=self.reason, summary=self.summary)


def object_name(uid: str) -> str:
    """The object's name in the collection, derived from the UID alone so that a retried
    write lands on the same object instead of creating a duplicate."""
    return f"{uid}.ics"


def parse(ics: str | bytes) -> icalendar.Calendar:
    """iCalendar text as a calendar; `MalformedObject` when it is not iCalendar."""
    try:
        return icalendar.Calendar.from_ical(ics)
    except Exception as error:  # icalendar raises ValueError and others for bad text
        raise MalformedObject(UnreadableReason.NOT_ICALENDAR, None, type(error).__name__) from error


def busy_in(ics: str, window: TimeRange, zone: ZoneInfo) -> tuple[str, list[TimeRange]]:
    """The object's UID and the busy intervals it covers inside `window`, clipped."""
    return busy_of(parse(ics), window, zone)


def busy_of(
    calendar: icalendar.Calendar, window: TimeRange, zone: ZoneInfo
) -> tuple[str, list[TimeRange]]:
    """`busy_in` for a calendar already parsed (one object: a VEVENT and its overrides)."""
    events = cast(list[icalendar.Event], calendar.walk("VEVENT"))
    if not events:
        return "", []
    uid = str(events[0].get("UID", ""))
    if any(_is_own(event) for event in events):
        return uid, []
    summary = _summary(events)
    high = window.end.astimezone(zone).date() + QUERY_MARGIN
    for event in events:
        reason = _problem(event, high)
        if reason is not None:
            raise MalformedObject(reason, summary)
    try:
        return uid, list(_occurrences(calendar, window, zone))
    except Exception as error:  # the expansion raises many kinds for what it cannot read
        raise MalformedObject(_reason_of(error), summary, type(error).__name__) from error


@dataclass(frozen=True)
class CalendarObject:
    """One object of a calendar published as a whole: a VEVENT with its overrides (one
    UID), as iCalendar text of its own with the time zone definitions it names, which
    `busy_in` reads as it reads a CalDAV object. `digest` changes when the object does,
    and only then: DTSTAMP lines are left out of it (Google stamps every event with the
    moment of the download)."""

    uid: str
    ics: str
    digest: str
    # The object's text lines (unfolded), for `surely_outside` to look at without parsing.
    lines: tuple[str, ...] = ()


def objects_in(text: str) -> list[CalendarObject]:
    """The calendar's events grouped by UID, cut from the text without parsing it whole
    (icalendar takes half a minute over a 10 MB file; this a fraction of a second), each
    with the file's VTIMEZONE components it names (Outlook names its zones as Windows
    does and defines them there). An event without a UID is an object of its own, keyed
    by its text; one that never ends (a file cut short) runs to the end of the file and
    is read on its own, never taking the rest of the calendar with it.
    `MalformedObject` when the text is no calendar at all."""
    lines = _UNFOLD.sub("", text.lstrip("\ufeff \t\r\n")).splitlines()
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        raise MalformedObject(UnreadableReason.NOT_ICALENDAR, None, "no VCALENDAR")
    zones: dict[str, str] = {}
    events: dict[str, list[list[str]]] = {}
    block: list[str] = []
    depth = 0
    for line in lines[1:]:
        name = _name_of(line)
        if depth == 0 and name != "BEGIN":
            continue
        block.append(line)
        if name == "BEGIN":
            depth += 1
        elif name == "END":
            depth -= 1
        if depth == 0:
            _keep(block, zones, events)
            block = []
    if block:
        _keep(block, zones, events)
    found = []
    for uid, blocks in events.items():
        body = [line for one in blocks for line in one]
        text_of = "\r\n".join(body)
        named = [
            zone
            for tzid, zone in zones.items()
            if f"TZID={tzid}" in text_of or f'TZID="{tzid}"' in text_of
        ]
        ics = "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Ohjaamo//ics//EN",
                *named,
                text_of,
                "END:VCALENDAR",
                "",
            ]
        )
        stamped = "\r\n".join(line for line in ics.split("\r\n") if _name_of(line) != "DTSTAMP")
        digest = hashlib.sha256(stamped.encode("utf-8")).hexdigest()[:32]
        found.append(CalendarObject(uid, ics, digest, tuple(body)))
    return found


def surely_outside(item: CalendarObject, window: TimeRange) -> bool:
    """Whether every event of the object lies wholly before or after the window, told
    from its text: events without a repeat rule whose dates read plainly, a day's
    margin each side for the zone (the CalDAV query asks as wide). Anything less plain
    is left to `busy_in`, which tells what is wrong with it."""
    low = window.start - QUERY_MARGIN - QUERY_MARGIN
    high = window.end + QUERY_MARGIN + QUERY_MARGIN
    values: dict[str, str] = {}
    for line in item.lines:
        name = _name_of(line)
        if name in ("RRULE", "RDATE"):
            return False
        if name == "BEGIN" and line.partition(":")[2].strip().upper() == "VEVENT":
            values = {}
        elif name in ("DTSTART", "DTEND", "DURATION"):
            values[name] = line.partition(":")[2].strip()
        elif name == "END" and line.partition(":")[2].strip().upper() == "VEVENT":
            span = _plain_span(values)
            if span is None or (low <= span[1] and span[0] <= high):
                return False
    return True


_UNFOLD = re.compile(r"\r?\n[ \t]")


def _name_of(line: str) -> str:
    return re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()


def _keep(block: list[str], zones: dict[str, str], events: dict[str, list[list[str]]]) -> None:
    kind = block[0].partition(":")[2].strip().upper()
    if kind == "VTIMEZONE":
        tzid = next(
            (line.partition(":")[2].strip() for line in block if _name_of(line) == "TZID"), ""
        )
        zones[tzid] = "\r\n".join(block)
    elif kind == "VEVENT":
        uid = next(
            (line.partition(":")[2].strip() for line in block[1:] if _name_of(line) == "UID"), ""
        )
        if not uid:
            uid = "sha256:" + hashlib.sha256("\n".join(block).encode("utf-8")).hexdigest()
        events.setdefault(uid, []).append(list(block))


def _plain_span(values: dict[str, str]) -> tuple[dt.datetime, dt.datetime] | None:
    """An event's start and end read plainly (a time of any zone taken as UTC: the
    margin covers the difference), or None when they do not read so."""
    try:
        start = _plain_instant(values["DTSTART"])
        if "DTEND" in values:
            end = _plain_instant(values["DTEND"])
        elif "DURATION" in values:
            end = start + icalendar.vDuration.from_ical(values["DURATION"])
        else:
            end = start + (dt.timedelta(days=1) if len(values["DTSTART"]) == 8 else dt.timedelta(0))
    except (KeyError, ValueError, TypeError):
        return None
    return start, end


def _plain_instant(value: str) -> dt.datetime:
    if len(value) == 8:
        return dt.datetime.strptime(value, "%Y%m%d").replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(value.rstrip("Zz"), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)


def _is_own(event: icalendar.Component) -> bool:
    return str(event.get("UID", "")).startswith(OWN_UID_PREFIX) or OWN_PROPERTY in event


def _summary(events: list[icalendar.Event]) -> str | None:
    for event in events:
        value = event.get("SUMMARY")
        if value is not None and str(value).strip():
            return str(value).strip()[:500]
    return None


def _problem(event: icalendar.Event, high: dt.date) -> UnreadableReason | None:
    """What makes the event unreadable before any expansion: a broken date, length or
    rule (icalendar keeps such values as broken properties), a missing start, or a
    rule whose expansion would not end in reasonable time."""
    for name, _message in getattr(event, "errors", ()):
        if name in _DATE_PROPERTIES:
            return UnreadableReason.BAD_DATE
        if name == "DURATION":
            return UnreadableReason.BAD_DURATION
        if name in _RULE_PROPERTIES:
            return UnreadableReason.BAD_RULE
    start = event.get("DTSTART")
    if start is None:
        return UnreadableReason.NO_START
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        reason = _rule_problem(rule, start.dt, high)
        if reason is not None:
            return reason
    return None


def _rule_problem(
    rule: icalendar.vRecur, start: dt.date | dt.datetime, high: dt.date
) -> UnreadableReason | None:
    frequency = str((rule.get("FREQ") or [""])[0]).upper()
    try:
        interval = int((rule.get("INTERVAL") or [1])[0])
    except (TypeError, ValueError):
        return UnreadableReason.BAD_RULE
    if frequency in ("SECONDLY", "MINUTELY"):
        return UnreadableReason.TOO_FREQUENT
    if frequency not in _PERIOD_DAYS or interval < 1:
        return UnreadableReason.BAD_RULE
    until = (rule.get("UNTIL") or [None])[0]
    last = high
    if isinstance(until, dt.date):
        last = min(high, until.date() if isinstance(until, dt.datetime) else until)
    first = start.date() if isinstance(start, dt.datetime) else start
    periods = max(0, (last - first).days + 1) / (_PERIOD_DAYS[frequency] * interval)
    candidates = prod(len(rule.get(part) or [None]) for part in _EXPANDING_PARTS)
    if periods * candidates > MAX_EXPANSION_STEPS:
        return UnreadableReason.TOO_FREQUENT
    return None


def _reason_of(error: Exception) -> UnreadableReason:
    if isinstance(error, BadRuleStringFormat):
        return UnreadableReason.BAD_RULE
    if isinstance(error, KeyError | ComponentStartMissing):
        return UnreadableReason.NO_START
    if isinstance(error, BrokenCalendarProperty):
        return UnreadableReason.BAD_DATE
    return UnreadableReason.OTHER


def _occurrences(
    calendar: icalendar.Calendar, window: TimeRange, zone: ZoneInfo
) -> Iterator[TimeRange]:
    low = window.start.astimezone(zone).date() - QUERY_MARGIN
    high = window.end.astimezone(zone).date() + QUERY_MARGIN
    for occurrence in recurring_ical_events.of(calendar, components=["VEVENT"]).between(low, high):
        if _blocks_nothing(occurrence):
            continue
        start = max(instant(occurrence.start, zone), window.start)
        end = min(instant(occurrence.end, zone), window.end)
        if start < end:
            yield TimeRange(start, end)


def _blocks_nothing(event: icalendar.Event) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return transparent or cancelled


def instant(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """An iCalendar start or end as an aware instant: a date is the local midnight that
    begins it, a floating time is local time, both in the supervisor's zone."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone).astimezone(dt.UTC)
    return value.astimezone(dt.UTC)


def session_ics(event: CalendarEvent) -> str:
    """The calendar object for a session. No ORGANIZER or ATTENDEE: the server has no one
    to invite, so it sends no invitations of its own (the participants get Ohjaamo's)."""
    vevent = session_vevent(
        EventFacts(
            uid=event.uid,
            sequence=event.sequence,
            summary=event.summary,
            start=event.start,
            end=event.end,
            stamp=event.revised_at,
            location=event.location or "",
            video_url=event.video_url or "",
            description=event.description or "",
        )
    )
    vevent.add(OWN_PROPERTY, "1")
    return calendar_of(vevent).to_ical().decode("utf-8")
