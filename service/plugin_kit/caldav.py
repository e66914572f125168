"""The CalDAV client and raw WebDAV requests the caldav library has no call for, shared
by the calendar and the CalDAV room plugins."""

from __future__ import annotations

from typing import Any

import niquests
from caldav.davclient import DAVClient
from caldav.elements import dav
from lxml import etree

# niquests puts its urllib3 under this name at run time, where no type checker looks.
from niquests.packages.urllib3.contrib.resolver.system import (  # type: ignore[import-not-found]
    SystemResolver,
)

from service.backends import CalendarError, OutwardPolicy
from service.plugin_kit.caldav_errors import plain_errors, status_problem


class _CheckedResolver(SystemResolver):
    """niquests asks its resolver for the addresses of every connection it opens (a
    redirect's and a calendar on another host's too) and connects to what it answers:
    here only addresses the policy allows, so no request reaches an internal one."""

    def __init__(self, outward: OutwardPolicy) -> None:
        super().__init__()
        self.outward = outward

    def getaddrinfo(
        self,
        host: bytes | str | None,
        port: str | int | None,
        family: int,
        type: int,
        proto: int = 0,
        flags: int = 0,
        *,
        quic_upgrade_via_dns_rr: bool = False,
    ) -> list[Any]:
        name = host.decode("ascii") if isinstance(host, bytes) else str(host or "")
        return self.outward.resolve(name, port, family, type, proto, flags)


def dav_client(
    url: str, username: str, password: str, timeout: float, outward: OutwardPolicy
) -> DAVClient:
    """A client for the account at ``url`` (HTTP Basic from the first request when a
    username is given) whose every connection goes through ``outward``, directly:
    no proxy from the environment, whose own lookups no policy would see."""
    with plain_errors():
        client = DAVClient(
            url=url,
            username=username or None,
            password=password or None,
            auth_type="basic" if username else None,
            timeout=timeout,  # type: ignore[arg-type]  # annotated int; niquests takes a float
            enable_rfc6764=False,
        )
    client.session.close()
    client.session = niquests.Session(resolver=_CheckedResolver(outward))
    client.session.trust_env = False
    return client


def xml_body(root: Any) -> bytes:
    """A request body from the library's element builders."""
    return etree.tostring(root.xmlelement(), encoding="utf-8", xml_declaration=True)


def raise_for(status: int) -> None:
    if status >= 400:
        raise CalendarError(status_problem(status), f"HTTP {status}")


def etag_of(client: DAVClient, url: str) -> str | None:
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
