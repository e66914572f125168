"""Cursor pagination and time windows for the API's lists.

A cursor is the opaque, URL-safe form of `listing.After`; a list answers
`{"items": [...], "next_cursor": ...}`, with `next_cursor` null on the last page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.api.schemas import instant
from service.domain.intervals import Interval
from service.services.listing import MAX_PAGE_SIZE, After, Page

DEFAULT_PAGE_SIZE = 50
MAX_WINDOW = dt.timedelta(days=3 * 366)


def encode_cursor(after: After) -> str:
    raw = f"{after.at.isoformat()}|{after.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> After:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, _, identity = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition("|")
        after = After(dt.datetime.fromisoformat(at), uuid.UUID(identity))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise ValidationError("Not a cursor of this list; use `next_cursor` as given.") from error
    if after.at.tzinfo is None:
        raise ValidationError("Not a cursor of this list; use `next_cursor` as given.")
    return after


class Cursor(fields.Field):
    """The `cursor` query parameter, loaded as `listing.After`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> After:
        if not isinstance(value, str) or len(value) > 200:
            raise ValidationError("Not a cursor of this list; use `next_cursor` as given.")
        return decode_cursor(value)


class PageQuerySchema(Schema):
    cursor = Cursor(
        metadata={
            "type": "string",
            "description": "Where to continue: the `next_cursor` of the previous page.",
        }
    )
    limit = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1 to {MAX_PAGE_SIZE}."},
    )


class WindowQuerySchema(PageQuerySchema):
    """A page of what overlaps the half-open window `[from, to)`."""

    start = instant(
        required=True, data_key="from", metadata={"description": "Window start (RFC 3339)."}
    )
    end = instant(required=True, data_key="to", metadata={"description": "Window end (RFC 3339)."})

    @validates_schema
    def sensible_window(self, data: dict, **_: object) -> None:
        check_window(data["start"], data["end"])


def check_window(start: dt.datetime, end: dt.datetime) -> None:
    """`to` after `from`, at most about three years later."""
    if end <= start:
        raise ValidationError("`to` must come after `from`.", "to")
    if end - start > MAX_WINDOW:
        raise ValidationError("The window is at most three years long.", "to")


def window_of(query: dict[str, Any]) -> Interval:
    return Interval(query["start"], query["end"])


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The envelope of a list of `item`s, named `name` in the OpenAPI document."""
    envelope = Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "next_cursor": fields.String(
                allow_none=True,
                metadata={"description": "Send as `cursor` for the next page; null on the last."},
            ),
        },
        name=name,
    )
    return envelope


def page_body(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": page.items,
        "next_cursor": encode_cursor(page.next) if page.next is not None else None,
    }
