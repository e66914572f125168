"""`IcsBackend`: the `CalendarBackend` protocol over a calendar's secret iCalendar
address, which Google, Outlook and Microsoft 365, iCloud and most others publish.

The address holds one calendar, the whole of it, in one file. It is read with the
same rules as a CalDAV object (`service.plugin_kit.calendar_objects`): the file is cut
into objects by UID (`objects_in`, each with the file's time zone definitions, which
Outlook names as Windows does), and each object's busy time in the window is expanded
by `busy_in`, the very reading of a CalDAV object: recurrences, all-day and floating
times, free, cancelled and Ohjaamo's own events alike. What cannot be read is reported
as the CalDAV backend reports it, one object at a time: one broken event leaves the
rest of the calendar blocking time.

Requests are few: the sync token is the file's validators (ETag, Last-Modified and a
digest of the body), so an unchanged calendar is one conditional GET answered 304, and
a changed one is one GET whose objects are compared with the known ones by digest:
only new and changed objects are expanded. The digests leave DTSTAMP out, which Google
sets to the moment of each download on every event. An object that surely lies outside the
window (no repeat rule, its dates before or after it) is left out as a time-range
query leaves it out. Every sync says `live_from_changes`: at booking the core asks
`changes()`, one conditional GET, and holds the rest from its cache.

The address is the secret: it is never logged, never in an error, and the calendar
is known to the core by `CALENDAR_URL`, not by it. Nothing can be written here;
sessions reach the calendar through the supervisor's Ohjaamo feed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from plugins.ics_calendar.fetch import Validators, fetch
from service.backends import (
    BusyEvent,
    CalendarError,
    CalendarEvent,
    CalendarProblem,
    OutwardPolicy,
    RemoteCalendar,
    RemoteObject,
    SyncResult,
    SyncState,
    TimeRange,
    UnreadableObject,
)
from service.plugin_kit.calendar_objects import (
    CalendarObject,
    MalformedObject,
    busy_in,
    objects_in,
    surely_outside,
)

log = logging.getLogger(__name__)

# The one calendar at the address, as the core stores it in the clear.
CALENDAR_URL = "ics:calendar"
MAX_HREF = 500
_NAME = re.compile(rb"^X-WR-CALNAME[^:\r\n]*:(.*)$", re.MULTILINE)


class IcsBackend:
    """A calendar's secret .ics address: discovery, sync, live check; read only."""

    name: ClassVar[str] = "ics"
    # The address is itself the secret: the core keeps it encrypted.
    secret_address: ClassVar[bool] = True

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        timeout: float,
        outward: OutwardPolicy,
        timezone: str = "UTC",
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.outward = outward
        self.zone = ZoneInfo(timezone)

    # --- Discovery --------------------------------------------------------------------

    def discover(self) -> list[RemoteCalendar]:
        """The one calendar, named as the file names it (X-WR-CALNAME) or by its host.
        What does not begin as iCalendar is no calendar at this address."""
        answer = fetch(self.url, self.outward, self.timeout)
        body = answer.body or b""
        if not body.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
            raise CalendarError(CalendarProblem.WRONG_URL, "the address holds no iCalendar")
        found = _NAME.search(body[:65536])
        name = found.group(1).decode("utf-8", "replace").strip() if found else ""
        return [
            RemoteCalendar(
                url=CALENDAR_URL,
                display_name=name or (urlsplit(self.url).hostname or ""),
                supports_sync_token=False,
                writable=False,
            )
        ]

    # --- Reading ----------------------------------------------------------------------

    def sync(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        """What changed since `state`: nothing at all on a 304 or an unchanged body; else
        the objects whose digest differs, and those gone. A state without a token (a
        first or full reading) asks unconditionally and reads every object."""
        self._own(calendar_url)
        return self._read(_validators(state.sync_token), state.etags, window)

    def changes(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        """One conditional GET from the last sync's validators; when the calendar
        changed since, its busy time in `window` (every object counts as changed)."""
        self._own(calendar_url)
        return self._read(_validators(state.sync_token), state.etags, window)

    def free_busy(self, calendar_urls: Sequence[str], window: TimeRange) -> list[TimeRange]:
        """The whole file read now (the core asks `changes()` instead: every sync says
        `live_from_changes`). Unreadable objects block nothing, as in the sync."""
        for url in calendar_urls:
            self._own(url)
        if not calendar_urls:
            return []
        answer = fetch(self.url, self.outward, self.timeout)
        busy: list[TimeRange] = []
        for item in self._objects(answer.body or b""):
            if surely_outside(item, window):
                continue
            try:
                busy.extend(busy_in(item.ics, window, self.zone)[1])
            except MalformedObject as failure:
                log.info("a calendar object that cannot be read (%s)", failure)
        return busy

    def _read(
        self, known: Validators | None, etags: Mapping[str, str], window: TimeRange
    ) -> SyncResult:
        answer = fetch(self.url, self.outward, self.timeout, known)
        token = _token(answer.validators)
        unchanged = known is not None and known.digest == answer.validators.digest
        if answer.body is None or unchanged:
            return SyncResult({}, (), token, {}, live_from_changes=True)
        changed: dict[str, tuple[BusyEvent, ...]] = {}
        unreadable: dict[str, UnreadableObject] = {}
        digests: dict[str, str] = {}
        kept: set[str] = set()
        for item in self._objects(answer.body):
            href = _href(item.uid)
            if etags.get(href) == item.digest:
                kept.add(href)
                continue
            if surely_outside(item, window):
                continue
            digests[href] = item.digest
            try:
                uid, ranges = busy_in(item.ics, window, self.zone)
            except MalformedObject as failure:
                log.warning("skipped a calendar object that cannot be read (%s)", failure)
                unreadable[href] = failure.unreadable(href)
                changed[href] = ()
                continue
            changed[href] = tuple(BusyEvent(href, uid or item.uid, r.start, r.end) for r in ranges)
        # Gone from the file, or changed to lie outside the window: no longer known.
        gone = [href for href in etags if href not in kept and href not in changed]
        return SyncResult(
            changed=changed,
            deleted_hrefs=tuple(sorted(gone)),
            sync_token=token,
            etags=digests,
            unreadable=unreadable,
            live_from_changes=True,
        )

    def _objects(self, body: bytes) -> list[CalendarObject]:
        try:
            return objects_in(body.decode("utf-8", "replace"))
        except MalformedObject as failure:
            raise CalendarError(CalendarProblem.SERVER_ERROR, "not iCalendar") from failure

    # --- Writing ----------------------------------------------------------------------

    def put_event(self, calendar_url: str, event: CalendarEvent, etag: str | None) -> RemoteObject:
        """Nothing is written through an address: the core offers such a calendar no
        sessions (it is not `writable`), and says so if asked."""
        raise CalendarError(CalendarProblem.READ_ONLY, "a calendar read through its address")

    def delete_event(self, calendar_url: str, href: str, etag: str | None) -> None:
        raise CalendarError(CalendarProblem.READ_ONLY, "a calendar read through its address")

    @staticmethod
    def _own(calendar_url: str) -> None:
        if calendar_url != CALENDAR_URL:
            raise CalendarError(CalendarProblem.WRONG_URL, "no such calendar at this address")


def _href(uid: str) -> str:
    """The object's name among the calendar's: its UID, or a digest of a long one."""
    if len(uid) <= MAX_HREF:
        return uid
    return "sha256:" + hashlib.sha256(uid.encode("utf-8")).hexdigest()


def _token(validators: Validators) -> str:
    return json.dumps(
        {
            "etag": validators.etag,
            "last_modified": validators.last_modified,
            "digest": validators.digest,
        },
        sort_keys=True,
    )


def _validators(token: str | None) -> Validators | None:
    """The validators kept as the sync token; None for none or one not of ours."""
    if not token:
        return None
    try:
        value = json.loads(token)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    fields = ("etag", "last_modified", "digest")
    text = {name: value.get(name) if isinstance(value.get(name), str) else None for name in fields}
    return Validators(**text)


__all__ = ["CALENDAR_URL", "IcsBackend"]
