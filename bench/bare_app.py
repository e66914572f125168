"""The bare Flask page `bench/pages.py` compares Ohjaamo's pages with: a page of the
booking page's size and shape, with no database, served by gunicorn with the same
settings, so its requests per second are the ceiling a page of that size can reach.

The page is `bench/templates/bare/book.html` over its own base: the site header with
its menu and sign-out form, a form with a CSRF-like hidden field and an idempotency
key, 30 slot choices over three days with their labels, and the language footer
(about 8 KB, as the booking page with 30 offered slots). Flask's template loader
compiles it once per worker and keeps it, as Ohjaamo's pages are kept; the day labels
and slot values are made once at import. Each request renders the template, as a page
does, and nothing else.

    gunicorn -c config/gunicorn.conf.py bench.bare_app:app
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import Flask, jsonify, render_template

# Three working days of half-hourly starts from 8.00 local: 14 + 14 + 2 slots, labelled
# by Babel once, at import.
HELSINKI = ZoneInfo("Europe/Helsinki")
FIRST_DAY = dt.date(2027, 3, 1)
SLOTS_PER_DAY = (14, 14, 2)
# As long as a Flask-WTF token (a signed, timestamped value).
CSRF = "ImU4NGM4MDIzMzM4ODFmYTdiN2JiYzhhMThmMzQ4ZTQ0YjllNTA4MDEi.axTAKA.9ohdeFaHkQbpcdMWl6UKsE2vCOM"


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: bool = False


@dataclass(frozen=True)
class Day:
    label: str
    slots: tuple[tuple[str, str], ...]


def _days() -> tuple[Day, ...]:
    days = []
    for offset, count in enumerate(SLOTS_PER_DAY):
        day = FIRST_DAY + dt.timedelta(days=offset)
        label = format_date(day, "full", locale="fi")
        slots = []
        for index in range(count):
            local = dt.time(8 + index // 2, 30 * (index % 2))
            start = dt.datetime.combine(day, local, tzinfo=HELSINKI).astimezone(dt.UTC)
            slots.append((start.isoformat(), format_time(local, "short", locale="fi")))
        days.append(Day(label, tuple(slots)))
    return tuple(days)


DAYS = _days()
NAV = (
    Link("/my", "Omat prosessit", current=True),
    Link("/my/data", "Omat tiedot"),
    Link("/account", "Kirjautumisen turvallisuus"),
)
LANGUAGES = (("fi", "Suomeksi"), ("sv", "På svenska"), ("en", "In English"))

app = Flask(__name__)


@app.get("/")
def page() -> str:
    return render_template(
        "bare/book.html",
        heading="Varaa seuraava tapaaminen",
        code="TY-0001",
        zone="Europe/Helsinki",
        days=DAYS,
        nav=NAV,
        languages=LANGUAGES,
        csrf=CSRF,
        key=str(uuid.uuid4()),
    )


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
