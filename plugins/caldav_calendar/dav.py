"""Raw WebDAV requests the caldav library has no call for, shared by the calendar and
the CalDAV room plugins."""

from __future__ import annotations

from typing import Any

import caldav
from caldav.elements import dav
from lxml import etree

from plugins.caldav_calendar.errors import status_problem
from service.backends import CalendarError


def xml_body(root: Any) -> bytes:
    """A request body from the library's element builders."""
    return etree.tostring(root.xmlelement(), encoding="utf-8", xml_declaration=True)


def raise_for(status: int) -> None:
    if status >= 400:
        raise CalendarError(status_problem(status), f"HTTP {status}")


def etag_of(client: caldav.DAVClient, url: str) -> str | None:
    """The object's current ETag (for `If-Match`); None when it is gone."""
    query = dav.Propfind() + (dav.Prop() + dav.GetEtag())
    response = client.propfind(url, xml_body(query), 0)
    if response.status in (404, 410):
        return None
    raise_for(response.status)
    for values in response.expand_simple_props([dav.GetEtag()]).values():
        if values.get(dav.GetEtag.tag):
            return str(values[dav.GetEtag.tag])
    return None
