"""Backoff, Message-IDs, the invitation and the MIME layout, without a server."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from email.generator import BytesGenerator
from email.header import decode_header, make_header
from email.message import Message
from email.policy import Policy, compat32

import icalendar
import pytest

from service.domain.backoff import retry_delay
from service.domain.email_message import Rendered, assemble, message_id
from service.domain.invitation import Attendee, SessionInvitation, build_invitation
from service.domain.privacy import neutral_title
from service.domain.vevent import session_uid

START = dt.datetime(2027, 3, 3, 8, tzinfo=dt.UTC)


def test_retry_delay_doubles_within_jitter_and_stops_at_the_ceiling() -> None:
    def delays(draw: float) -> list[float]:
        return [
            retry_delay(n, base_seconds=30, max_seconds=600, random=lambda: draw).total_seconds()
            for n in range(1, 8)
        ]

    assert delays(0.0) == [15, 30, 60, 120, 240, 300, 300]
    assert delays(1.0) == [30, 60, 120, 240, 480, 600, 600]
    with pytest.raises(ValueError):
        retry_delay(0, base_seconds=30, max_seconds=600, random=lambda: 0.5)


def test_message_id_is_deterministic_per_key() -> None:
    assert message_id("k:1", "ohjaamo.test") == message_id("k:1", "ohjaamo.test")
    assert message_id("k:1", "ohjaamo.test") != message_id("k:2", "ohjaamo.test")
    assert message_id("k:1", "ohjaamo.test").endswith("@ohjaamo.test>")
    assert "k:1" not in message_id("k:1", "ohjaamo.test")


def test_neutral_title_fills_only_the_code() -> None:
    assert neutral_title("Työnohjaus {code}", "TY-0001") == "Työnohjaus TY-0001"


def invitation(**changes: object) -> SessionInvitation:
    values: dict[str, object] = {
        "session_id": uuid.UUID(int=7),
        "sequence": 3,
        "summary": "Työnohjaus TY-0001",
        "start": START,
        "end": START + dt.timedelta(minutes=90),
        "organizer": Attendee("Maija Ohjaaja", "maija@example.test"),
        "attendee": Attendee("Aino Asiakas", "aino@example.test"),
        "stamp": START - dt.timedelta(days=2),
        "location": "Huone 5, Katu 1",
        "video_url": "https://video.example.test/abc",
    }
    values.update(changes)
    return SessionInvitation(**values)  # type: ignore[arg-type]


def test_request_invitation_reads_back() -> None:
    built = build_invitation(invitation())
    calendar = icalendar.Calendar.from_ical(built.ics)
    (event,) = calendar.walk("VEVENT")
    assert built.method == calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == session_uid(uuid.UUID(int=7))
    assert event["SEQUENCE"] == 3 and event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == START
    assert event["LOCATION"] == "Huone 5, Katu 1"
    assert event["URL"] == "https://video.example.test/abc"
    assert event["ATTENDEE"].params["CN"] == "Aino Asiakas"


def test_cancel_invitation_says_cancel_and_cancelled() -> None:
    built = build_invitation(invitation(cancelled=True, sequence=4))
    calendar = icalendar.Calendar.from_ical(built.ics)
    (event,) = calendar.walk("VEVENT")
    assert (built.method, calendar["METHOD"], event["STATUS"]) == ("CANCEL", "CANCEL", "CANCELLED")
    assert event["SEQUENCE"] == 4


def test_assembled_message_has_the_layout_calendar_clients_expect() -> None:
    built = build_invitation(invitation())
    message = assemble(
        Rendered("Aihe", "teksti", "<p>html</p>"),
        to_name="Aino Asiakas",
        to_address="aino@example.test",
        message_id="<x@ohjaamo.test>",
        language="fi",
        invitation=built,
    )
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in alternative.get_payload()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    assert alternative.get_payload()[2].get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == built.ics
    assert message["Content-Language"] == "fi"
    plain = assemble(
        Rendered("Aihe", "teksti", "<p>html</p>"),
        to_name="A",
        to_address="a@example.test",
        message_id="<y@ohjaamo.test>",
        language="sv",
    )
    assert plain.get_content_type() == "multipart/alternative"


def written(message: Message, policy: Policy | None = None) -> bytes:
    """The bytes ``smtplib`` sends: the message written with its own policy unless one is
    given."""
    out = io.BytesIO()
    BytesGenerator(out, policy=policy).flatten(message, linesep="\r\n")
    return out.getvalue()


def test_message_is_written_as_compat32_writes_it_and_the_same_every_time() -> None:
    subject = "Työnohjaus TY-0001: istunto siirretty päivälle ke 3.3.2027 klo 10.00–11.30"
    parts = Rendered(subject, "teksti ä\n" * 40, "<p>html ä</p>\n" * 40)

    def build() -> Message:
        return assemble(
            parts,
            to_name="Åsa Äijälä",
            to_address="asa@example.test",
            message_id="<z@ohjaamo.test>",
            language="fi",
            invitation=build_invitation(invitation()),
        )

    message = build()
    assert written(message) == written(message, compat32)
    assert written(build()) == written(message)
    assert str(make_header(decode_header(message["Subject"]))) == subject
    long_ascii = assemble(
        Rendered("x" * 120, "t", "h"),
        to_name="A",
        to_address="a@x.test",
        message_id="<w@x>",
        language="en",
    )
    assert written(long_ascii) == written(long_ascii, compat32)
    assert b"\r\n x" in written(long_ascii) or b"\r\n\tx" in written(long_ascii)
