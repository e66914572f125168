"""CalDAV sync speed: a calendar of 5,000 events (10% weekly series) in Radicale (or
Xandikos) on loopback, synced by the built-in backend. Prints `name=value` lines: the
first sync, a resync with no changes (time, this process's CPU time and HTTP requests),
and a resync after 10 changes. Goal: a no-change resync makes at most 2 requests and
takes under 5% of the first.

Radicale answers every sync-collection REPORT by reading the state of every object in
the calendar, so its no-change resync costs the server as much as listing them all;
Xandikos answers from its git history. Running both shows which share is the client's.

    .venv/bin/python bench/caldav_sync.py [--events N] [--server radicale|xandikos]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import niquests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugins.caldav_calendar import CalDAVBackend
from service.backends import OutwardPolicy, SyncState, TimeRange
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
    """Objects written straight into the server's storage folder, then read once by the
    server so the first sync meets a warm cache, as a long-running server's would be."""
    objects = {}
    for number in range(count):
        start = NOW + dt.timedelta(hours=rng.randrange(-24 * 25, 24 * 540))
        objects[f"e{number}"] = event(f"e{number}", start, recurring=number % 10 == 0)
    server.write_objects(url, objects)


def timed(backend: CalDAVBackend, url: str, state: SyncState):  # type: ignore[no-untyped-def]
    global requests_made
    requests_made = 0
    started, cpu = time.perf_counter(), time.process_time()
    result = backend.sync(url, state, WINDOW)
    return result, time.perf_counter() - started, requests_made, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--server", choices=("radicale", "xandikos"), default="radicale")
    args = parser.parse_args()
    rng = random.Random(5)
    server = CalDAVServer(args.server, Path(tempfile.mkdtemp(prefix="bench-caldav-")))
    server.start()
    try:
        url = server.make_calendar()
        populate(server, url, args.events, rng)
        backend = CalDAVBackend(
            url=server.url,
            username=USERNAME,
            password=PASSWORD,
            timeout=600,
            timezone="Europe/Helsinki",
            outward=OutwardPolicy.from_settings(["127.0.0.1"]),
        )
        first, first_seconds, first_requests, _ = timed(backend, url, SyncState())
        state = first.next_state(SyncState())
        busy = sum(len(events) for events in first.changed.values())
        same, same_seconds, same_requests, same_cpu = timed(backend, url, state)
        assert not same.changed and not same.deleted_hrefs
        client = server.client()
        for number in rng.sample(range(args.events), 10):
            start = NOW + dt.timedelta(hours=rng.randrange(24, 24 * 300))
            ics = event(f"e{number}", start, recurring=False)
            client.request(f"{url}e{number}.ics", "PUT", ics, {"Content-Type": "text/calendar"})
        changed, changed_seconds, changed_requests, _ = timed(backend, url, same.next_state(state))
        print(f"server={args.server}")
        print(f"events={args.events}")
        print(f"busy_intervals={busy}")
        print(f"first_sync_seconds={first_seconds:.3f}")
        print(f"first_sync_requests={first_requests}")
        print(f"no_change_resync_seconds={same_seconds:.4f}")
        print(f"no_change_resync_requests={same_requests}")
        print(f"no_change_resync_client_cpu_seconds={same_cpu:.4f}")
        print(f"no_change_resync_percent_of_first={100 * same_seconds / first_seconds:.2f}")
        print(f"ten_changes_resync_seconds={changed_seconds:.4f}")
        print(f"ten_changes_resync_requests={changed_requests}")
        print(f"ten_changes_reported={len(changed.changed)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
