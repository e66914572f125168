"""`CalDAVBackend`: the `CalendarBackend` protocol over the caldav library.

Requests are kept few, because a sync runs for every connection every few minutes:

- a sync with a sync token is one sync-collection REPORT (RFC 6578) when nothing
  changed, plus one calendar-multiget per 200 changed objects;
- a first sync, or one whose token the server refused, reads only the sync window
  with one time-range calendar-query (and one PROPFIND for the new token);
- a server without sync tokens is listed by ETag inside the window, and only objects
  whose ETag differs from the previous state are fetched.

Credentials are sent with HTTP Basic from the first request (an app password over
HTTPS), which saves the 401 round trip the library would otherwise take each time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, cast
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from caldav.collection import Calendar, SynchronizableCalendarObjectCollection
from caldav.elements import cdav, dav
from caldav.lib import error

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
)
from service.plugin_kit.caldav import dav_client, etag_of, raise_for, xml_body
from service.plugin_kit.caldav_errors import plain_errors
from service.plugin_kit.calendar_objects import (
    QUERY_MARGIN,
    MalformedObject,
    busy_in,
    object_name,
    session_ics,
)

log = logging.getLogger(__name__)

MULTIGET_BATCH = 200
# Statuses with which a server refuses a sync token it no longer knows (RFC 6578 3.2
# says 403 with DAV:valid-sync-token; Xandikos answers 412, some servers 409 or 400).
TOKEN_REFUSED = frozenset({400, 403, 409, 410, 412})
ICS_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}


class _TokenRefused(Exception):
    pass


class CalDAVBackend:
    """A CalDAV account: discovery, incremental sync, live free/busy, session events."""

    name: ClassVar[str] = "caldav"

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
        self.zone = ZoneInfo(timezone)
        self.client = dav_client(url, username, password, timeout, outward)

    # --- Discovery --------------------------------------------------------------------

    def discover(self) -> list[RemoteCalendar]:
        with plain_errors():
            calendars = self.client.principal().calendars()
            found = []
            for calendar in calendars:
                props = calendar.get_properties([dav.DisplayName(), dav.SyncToken()])
                found.append(
                    RemoteCalendar(
                        url=str(calendar.url),
                        display_name=str(props.get(dav.DisplayName.tag) or ""),
                        supports_sync_token=bool(props.get(dav.SyncToken.tag)),
                    )
                )
        return found

    # --- Reading ----------------------------------------------------------------------

    def sync(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        calendar = self._calendar(calendar_url)
        with plain_errors(not_found=CalendarProblem.SERVER_ERROR):
            if state.sync_token:
                try:
                    return self._changes_since(calendar, state, window)
                except _TokenRefused:
                    log.info("sync token refused for %s; listing the window", calendar_url)
            refresh_token = state.sync_token is not None or not state.etags
            return self._listing(calendar, state, window, refresh_token=refresh_token)

    def free_busy(self, calendar_urls: Sequence[str], window: TimeRange) -> list[TimeRange]:
        """Asked with a time-range calendar-query and read with the sync's own rules, not
        with a free-busy REPORT: that report counts Ohjaamo's own session events as busy
        (a session moved by less than its length would collide with itself) and reads
        all-day and floating events in the server's zone, not the supervisor's."""
        busy: list[TimeRange] = []
        with plain_errors(not_found=CalendarProblem.SERVER_ERROR):
            for url in calendar_urls:
                listed = self._query(self._calendar(url), window, with_data=True)
                for href, (_etag, ics) in listed.items():
                    busy.extend(event.time_range for event in self._read(href, ics, window))
        return busy

    def _changes_since(self, calendar: Calendar, state: SyncState, window: TimeRange) -> SyncResult:
        try:
            # caldav types its calls for an async client too; this client is synchronous
            collection = cast(
                SynchronizableCalendarObjectCollection,
                calendar.get_objects_by_sync_token(
                    state.sync_token, load_objects=False, disable_fallback=True
                ),
            )
        except error.DAVError as failure:
            refused = dav.ValidSyncToken.tag in (failure.preconditions or ())
            if refused or (failure.status in TOKEN_REFUSED and failure.status != 401):
                raise _TokenRefused() from failure
            raise
        deleted = {self._href(calendar, url) for url in collection.deleted_urls}
        wanted: dict[str, str] = {}
        for obj in collection.objects:
            href = self._href(calendar, obj.url)
            etag = str((obj.props or {}).get(dav.GetEtag.tag) or "")
            if href in deleted or href == self._href(calendar, calendar.url):
                continue
            if not etag or state.etags.get(href) != etag:
                wanted[href] = etag
        fetched = self._fetch(calendar, wanted)
        deleted.update(href for href in wanted if href not in fetched)
        return self._result(fetched, sorted(deleted), collection.sync_token, window)

    def _listing(
        self,
        calendar: Calendar,
        state: SyncState,
        window: TimeRange,
        *,
        refresh_token: bool,
    ) -> SyncResult:
        token = self._current_token(calendar) if refresh_token else None
        if not state.etags:
            fetched = self._query(calendar, window, with_data=True)
            return self._result(fetched, [], token, window)
        listed = self._query(calendar, window, with_data=False)
        wanted = {
            href: etag for href, (etag, _ics) in listed.items() if state.etags.get(href) != etag
        }
        fetched = self._fetch(calendar, wanted)
        gone = [href for href in state.etags if href not in listed]
        gone += [href for href in wanted if href not in fetched]
        return self._result(fetched, sorted(gone), token, window)

    def _result(
        self,
        fetched: Mapping[str, tuple[str, str]],
        deleted: list[str],
        token: str | None,
        window: TimeRange,
    ) -> SyncResult:
        changed = {href: tuple(self._read(href, ics, window)) for href, (_, ics) in fetched.items()}
        etags = {href: etag for href, (etag, _ics) in fetched.items()}
        return SyncResult(
            changed=changed, deleted_hrefs=tuple(deleted), sync_token=token, etags=etags
        )

    def _read(self, href: str, ics: str, window: TimeRange) -> list[BusyEvent]:
        try:
            uid, ranges = busy_in(ics, window, self.zone)
        except MalformedObject as failure:
            log.warning("skipped a calendar object that cannot be read: %s (%s)", href, failure)
            return []
        return [BusyEvent(href, uid, r.start, r.end) for r in ranges]

    def _current_token(self, calendar: Calendar) -> str | None:
        # caldav types its calls for an async client too; this client is synchronous
        props = cast(dict[str, Any], calendar.get_properties([dav.SyncToken()]))
        return str(props.get(dav.SyncToken.tag) or "") or None

    def _query(
        self, calendar: Calendar, window: TimeRange, *, with_data: bool
    ) -> dict[str, tuple[str, str]]:
        """href -> (ETag, iCalendar text or "") of the events touching the window."""
        wanted = [dav.GetEtag(), cdav.CalendarData()] if with_data else [dav.GetEtag()]
        time_range = cdav.TimeRange(window.start - QUERY_MARGIN, window.end + QUERY_MARGIN)
        events = cdav.CompFilter("VCALENDAR") + (cdav.CompFilter("VEVENT") + time_range)
        # caldav types append as taking only elements of the parent's own class
        root = cdav.CalendarQuery().append([dav.Prop().append(wanted), cdav.Filter() + events])  # type: ignore[arg-type,list-item]
        # caldav annotates a REPORT body as str; it sends bytes as they are
        response = self.client.report(str(calendar.url), xml_body(root), depth=1)  # type: ignore[arg-type]
        if response.status >= 500:
            # Some servers (Xandikos) fail the whole query on one object they cannot
            # read; listing every object and reading them here skips just that one.
            log.info(
                "time-range query failed (%s) on %s; listing all", response.status, calendar.url
            )
            listed = self._list_all(calendar)
            return self._fetch(calendar, listed) if with_data else listed
        raise_for(response.status)
        return self._parse(calendar, response, wanted)

    def _list_all(self, calendar: Calendar) -> dict[str, tuple[str, str]]:
        query = dav.Propfind() + (dav.Prop() + dav.GetEtag())
        response = self.client.propfind(str(calendar.url), xml_body(query), 1)
        raise_for(response.status)
        own = self._href(calendar, calendar.url)
        listed = self._parse(calendar, response, [dav.GetEtag()])
        return {href: value for href, value in listed.items() if href != own}

    def _fetch(
        self, calendar: Calendar, wanted: Mapping[str, object]
    ) -> dict[str, tuple[str, str]]:
        """href -> (ETag, iCalendar text) by calendar-multiget; absent ones are gone."""
        fetched: dict[str, tuple[str, str]] = {}
        hrefs = sorted(wanted)
        props = [dav.GetEtag(), cdav.CalendarData()]
        for first in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[first : first + MULTIGET_BATCH]
            # caldav types append as taking only elements of the parent's own class
            root = cdav.CalendarMultiGet().append(
                [dav.Prop().append(props), *(dav.Href(value=href) for href in batch)]  # type: ignore[arg-type,list-item]
            )
            # caldav annotates a REPORT body as str; it sends bytes as they are
            response = self.client.report(str(calendar.url), xml_body(root), depth=1)  # type: ignore[arg-type]
            raise_for(response.status)
            fetched.update(self._parse(calendar, response, props))
        return fetched

    def _parse(
        self, calendar: Calendar, response: object, props: list
    ) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for href, values in response.expand_simple_props(props).items():  # type: ignore[attr-defined]
            ics = values.get(cdav.CalendarData.tag)
            etag = values.get(dav.GetEtag.tag)
            if etag is None and ics is None:
                continue
            found[self._href(calendar, href)] = (str(etag or ""), str(ics or ""))
        return found

    # --- Writing ----------------------------------------------------------------------

    def put_event(self, calendar_url: str, event: CalendarEvent, etag: str | None) -> RemoteObject:
        """Create only if absent, or replace only if unchanged. On a conflict the
        object's current ETag is read and the write tried once more under it: the
        session in Ohjaamo is what the event must say."""
        calendar = self._calendar(calendar_url)
        assert calendar.url is not None  # made from calendar_url
        url = calendar.url.join(object_name(event.uid))
        body = session_ics(event)
        with plain_errors(not_found=CalendarProblem.SERVER_ERROR):
            for attempt in range(2):
                condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
                response = self.client.request(str(url), "PUT", body, {**ICS_HEADERS, **condition})
                if response.status in (200, 201, 204):
                    new_etag = response.headers.get("ETag") or etag_of(self.client, str(url))
                    return RemoteObject(self._href(calendar, url), new_etag)
                if response.status != 412 or attempt:
                    raise_for(response.status)
                etag = etag_of(self.client, str(url))
        raise CalendarError(CalendarProblem.CONFLICT, "the event kept changing")

    def delete_event(self, calendar_url: str, href: str, etag: str | None) -> None:
        calendar = self._calendar(calendar_url)
        assert calendar.url is not None  # made from calendar_url
        url = calendar.url.join(href)
        with plain_errors(not_found=CalendarProblem.SERVER_ERROR):
            for attempt in range(2):
                headers = {"If-Match": etag} if etag else {}
                response = self.client.request(str(url), "DELETE", "", headers)
                if response.status in (200, 202, 204, 404, 410):
                    return
                if response.status != 412 or attempt:
                    raise_for(response.status)
                etag = etag_of(self.client, str(url))
                if etag is None:
                    return
        raise CalendarError(CalendarProblem.CONFLICT, "the event kept changing")

    # --- Helpers ----------------------------------------------------------------------

    def _calendar(self, calendar_url: str) -> Calendar:
        return Calendar(client=self.client, url=calendar_url)

    @staticmethod
    def _href(calendar: Calendar, href: object) -> str:
        """One spelling of an object's address: its unquoted path on the server."""
        assert calendar.url is not None  # every calendar here is made from its URL
        return unquote(calendar.url.join(str(href)).canonical().path)


__all__ = ["CalDAVBackend"]
