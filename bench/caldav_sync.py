"""CalDAV sync speed: a calendar of 5,000 events (10% weekly series) in Radicale on
loopback, synced by the built-in backend. Prints `name=value` lines: the first sync,
a resync with no changes (time and HTTP requests), and a resync after 10 changes.
Goal: a no-change resync makes at most 2 requests and takes under 5% of the first.

    .venv/bin/python bench/caldav_sync.py [--events N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import caldav
import niquests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugins.caldav_calendar import CalDAVBackend
from service.backends import SyncState, TimeRange
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer

NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
WINDOW = TimeRange(NOW - dt.timedelta(days=30), NOW + dt.timedelta(days=548))
requests_made = 0
_original_request = niquests.Session.request


def _counting_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    global requests_made
    requests_made += 1
    return _original_request(self, *args, **kwargs)


niquests.Session.request = _counting_request  # type: ignore[method-assign]


def event(uid: str, start: dt.datetime, recurring: bool) -> str:
    rule = "RRULE:FREQ=WEEKLY;COUNT=40\r\n" if recurring else ""
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//FI\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{stamp}\r\nDURATION:PT1H\r\n"
        f"{rule}SUMMARY:Varattu\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def populate(server: CalDAVServer, url: str, count: int, rng: random.Random) -> None:
    """Objects written straight into Radicale's storage folder (PUT one by one would
    take minutes), then read once by the server so the first sync meets a warm cache,
    as a long-running server's would be."""
    name = url.rstrip("/").rsplit("/", 1)[1]
    [folder] = [p for p in (server.folder / "collections").rglob(name) if p.is_dir()]
    for number in range(count):
        start = NOW + dt.timedelta(hours=rng.randrange(-24 * 25, 24 * 540))
        ics = event(f"e{number}", start, recurring=number % 10 == 0)
        (folder / f"e{number}.ics").write_text(ics, "utf-8")
    warm = caldav.DAVClient(url=url, username=USERNAME, password=PASSWORD, timeout=600)
    warm.propfind(url, "", 1)


def timed(backend: CalDAVBackend, url: str, state: SyncState):  # type: ignore[no-untyped-def]
    global requests_made
    requests_made = 0
    started = time.perf_counter()
    result = backend.sync(url, state, WINDOW)
    return result, time.perf_counter() - started, requests_made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(5)
    server = CalDAVServer("radicale", Path(tempfile.mkdtemp(prefix="bench-caldav-")))
    server.start()
    try:
        url = server.make_calendar()
        populate(server, url, args.events, rng)
        backend = CalDAVBackend(
            url=server.url,
            username=USERNAME,
            password=PASSWORD,
            timeout=120,
            timezone="Europe/Helsinki",
        )
        first, first_seconds, first_requests = timed(backend, url, SyncState())
        state = first.next_state(SyncState())
        busy = sum(len(events) for events in first.changed.values())
        same, same_seconds, same_requests = timed(backend, url, state)
        assert not same.changed and not same.deleted_hrefs
        client = server.client()
        for number in rng.sample(range(args.events), 10):
            start = NOW + dt.timedelta(hours=rng.randrange(24, 24 * 300))
            ics = event(f"e{number}", start, recurring=False)
            client.request(f"{url}e{number}.ics", "PUT", ics, {"Content-Type": "text/calendar"})
        changed, changed_seconds, changed_requests = timed(backend, url, same.next_state(state))
        print(f"events={args.events}")
        print(f"busy_intervals={busy}")
        print(f"first_sync_seconds={first_seconds:.3f}")
        print(f"first_sync_requests={first_requests}")
        print(f"no_change_resync_seconds={same_seconds:.4f}")
        print(f"no_change_resync_requests={same_requests}")
        print(f"no_change_resync_percent_of_first={100 * same_seconds / first_seconds:.2f}")
        print(f"ten_changes_resync_seconds={changed_seconds:.4f}")
        print(f"ten_changes_resync_requests={changed_requests}")
        print(f"ten_changes_reported={len(changed.changed)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
