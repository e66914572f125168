"""Dates, times, numbers and money in each language's own form (service/formats.py):
Finnish "ti 8.12. klo 13.00" and "4,0", Swedish "tis 8 dec. kl. 13.00", English in its
British forms with a 24-hour clock; the zone named by its city only when it is not the
reader's."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from flask import Flask

from service import formats
from service.i18n import in_language

# Tue 8 December 2026 at 13.00 in Helsinki.
AT = dt.datetime(2026, 12, 8, 11, 0, tzinfo=dt.UTC)
HELSINKI = "Europe/Helsinki"

EXPECTED = {
    "fi": {
        "at": "ti 8.12. klo 13.00",
        "span": "ti 8.12. klo 13.00–14.30",
        "year": "ti 8.12.2026 klo 13.00",
        "elsewhere": "ti 8.12. klo 12.00 (Tukholma)",
        "date": "8.12.2026",
        "month": "Joulukuu 2026",
        "number": "4,0",
        "money": "1\xa0234,50\xa0€",
        "minutes": "90 min",
    },
    "sv": {
        "at": "tis 8 dec. kl. 13.00",
        "span": "tis 8 dec. kl. 13.00–14.30",
        "year": "tis 8 dec. 2026 kl. 13.00",
        "elsewhere": "tis 8 dec. kl. 12.00 (Stockholm)",
        "date": "8 dec. 2026",
        "month": "December 2026",
        "number": "4,0",
        "money": "1\xa0234,50\xa0€",
        "minutes": "90 min",
    },
    "en": {
        "at": "Tue 8 Dec at 13:00",
        "span": "Tue 8 Dec at 13:00–14:30",
        "year": "Tue, 8 Dec 2026 at 13:00",
        "elsewhere": "Tue 8 Dec at 12:00 (Stockholm)",
        "date": "8 Dec 2026",
        "month": "December 2026",
        "number": "4.0",
        "money": "€1,234.50",
        "minutes": "90 min",
    },
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_language_writes_its_own_way(app: Flask, language: str) -> None:
    expected = EXPECTED[language]
    with app.app_context(), in_language(language):
        assert formats.at(AT, HELSINKI, HELSINKI) == expected["at"]
        assert formats.span(AT, AT + dt.timedelta(minutes=90), HELSINKI) == expected["span"]
        assert formats.at_with_year(AT, HELSINKI) == expected["year"]
        assert formats.at(AT, "Europe/Stockholm", HELSINKI) == expected["elsewhere"]
        assert formats.date(AT.date()) == expected["date"]
        assert formats.month(AT.date()) == expected["month"]
        assert formats.number(4) == expected["number"]
        assert formats.money(123450) == expected["money"]
        assert formats.minutes(90) == expected["minutes"]


def test_week_numbers_are_iso_weeks() -> None:
    assert formats.week_number(dt.date(2026, 12, 31)) == 53
    assert formats.week_number(dt.date(2027, 1, 4)) == 1
    assert formats.week_number(dt.date(2027, 3, 1)) == 9


def test_an_end_on_another_day_carries_its_date(app: Flask) -> None:
    with app.app_context(), in_language("fi"):
        late = dt.datetime(2026, 12, 8, 21, 0, tzinfo=dt.UTC)
        text = formats.span(late, late + dt.timedelta(hours=2), HELSINKI)
        assert text == "ti 8.12. klo 23.00–ke 9.12. klo 1.00"


def test_no_stylesheet_changes_the_case_of_words() -> None:
    """Finnish and Swedish write months and weekdays in lower case: no CSS capitalises
    (or upper-cases) what Babel wrote."""
    static = Path(__file__).resolve().parents[1] / "service"
    sheets = [*static.rglob("*.css"), *static.rglob("*.html")]
    assert sheets
    for sheet in sheets:
        for line in sheet.read_text(encoding="utf-8").splitlines():
            if "text-transform" in line:
                assert "text-transform: none" in line, f"{sheet.name}: {line.strip()}"


def test_kept_texts_follow_the_language_and_the_wall_clock(app: Flask) -> None:
    """Written texts are kept for each language and arguments: asking in turn in each
    language gets each its own, and a clock time is of the wall time it is given (the
    same instant in two zones is two clock times)."""
    with app.app_context():
        for _round in range(2):
            for language in ("fi", "sv", "en", "fi"):
                with in_language(language):
                    assert formats.at(AT, HELSINKI, HELSINKI) == EXPECTED[language]["at"]
                    stockholm = AT.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
                    assert formats.at(stockholm, HELSINKI, HELSINKI) == EXPECTED[language]["at"]
        with in_language("fi"):
            assert formats.clock(AT.astimezone(zoneinfo.ZoneInfo(HELSINKI))) == "13.00"
            assert formats.clock(AT) == "11.00"
            assert formats.clock(AT.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))) == "12.00"
