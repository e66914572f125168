"""Webhook rules: which URLs may receive deliveries, events, and the signature."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from service.domain.webhooks import (
    BOOKING_CREATED,
    InvalidWebhook,
    check_events,
    check_url,
    event_id,
    signature,
    verify_signature,
)

NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
MINUTES_5 = dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    "url",
    ["https://hooks.example.fi/ohjaamo", "https://10.0.0.5:8443/in?x=1", "https://[::1]/h"],
)
def test_https_addresses_are_well_formed(url: str) -> None:
    # Where a host leads is the outward policy's to judge (tests/test_outward.py).
    assert check_url(url, plain_http_to=lambda host: False) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.fi/ohjaamo",
        "http://127.0.0.1:8000/h",
        "ftp://example.fi/x",
        "https://",
        "not a url",
        "https://user:pw@example.fi/",
        "https://example.fi/#part",
        "https://example.fi:99999/",
        "https://exämple.fi/",
        "https://example.fi/\x00",
        "https://example.fi/" + "x" * 2000,
    ],
)
def test_other_addresses_are_refused_with_the_field_named(url: str) -> None:
    with pytest.raises(InvalidWebhook) as refused:
        check_url(url, plain_http_to=lambda host: False)
    assert refused.value.details["field"] == "url"


def test_plain_http_goes_only_to_hosts_the_operator_named() -> None:
    named = {"127.0.0.1", "rooms.intra.example"}.__contains__
    assert check_url("http://127.0.0.1:8000/h", plain_http_to=named)
    assert check_url("http://rooms.intra.example/h", plain_http_to=named)
    with pytest.raises(InvalidWebhook):
        check_url("http://192.168.1.2/h", plain_http_to=named)


def test_events_are_checked_and_deduplicated() -> None:
    assert check_events([BOOKING_CREATED, BOOKING_CREATED]) == [BOOKING_CREATED]
    for bad in ([], ["booking.deleted"]):
        with pytest.raises(InvalidWebhook):
            check_events(bad)


def test_one_change_has_one_event_id() -> None:
    session = uuid.uuid4()
    assert event_id(BOOKING_CREATED, session, 1) == event_id(BOOKING_CREATED, session, 1)
    assert event_id(BOOKING_CREATED, session, 1) != event_id(BOOKING_CREATED, session, 2)


def test_a_signature_verifies_only_for_its_secret_body_and_time() -> None:
    body = b'{"id":"x"}'
    header = signature("whsec_a", int(NOW.timestamp()), body)
    assert header.startswith(f"t={int(NOW.timestamp())},v1=")
    assert verify_signature("whsec_a", header, body, now=NOW, tolerance=MINUTES_5)
    assert not verify_signature("whsec_b", header, body, now=NOW, tolerance=MINUTES_5)
    assert not verify_signature("whsec_a", header, body + b" ", now=NOW, tolerance=MINUTES_5)
    late = NOW + dt.timedelta(minutes=6)
    assert not verify_signature("whsec_a", header, body, now=late, tolerance=MINUTES_5)
    assert not verify_signature("whsec_a", "v1=abc", body, now=NOW, tolerance=MINUTES_5)
