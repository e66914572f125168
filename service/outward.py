"""Where outward requests may go: only to public addresses, unless the operator names a
host on their own network (OUTWARD_ALLOWED_HOSTS).

Every URL a person gives (a webhook, a calendar server, a room system) is a request the
service makes on their behalf from inside the practice's network, so an address that
leads back inside is refused: loopback, private, link-local (the cloud metadata address
169.254.169.254), shared, multicast, reserved and unspecified, in IPv4 and IPv6, and
IPv4 addresses carried inside IPv6 ones. What Python's `ipaddress` does not call
global is refused.

The check is made on what the host name resolves to at the moment of connecting, and
the connection goes to the very address that was checked, so a name whose DNS answer
changes between a check and the request (DNS rebinding) gains nothing. The helpers here
connect that way: `http_connection` for `http.client`, `opener` for `urllib` (no
redirects, no proxies from the environment), and `resolve` for a client library with a
resolver of its own (the CalDAV plugins' niquests sessions). `check_url` answers early,
when a URL is saved; a name that does not resolve yet is left to the connection.

Written here rather than taken from a package: the classification is the standard
library's `ipaddress`; what is ours is connecting to the checked address, which each
HTTP client takes in its own way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

EXTENSION = "ohjaamo.outward"
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
AddressInfo = tuple[Any, Any, int, str, tuple[Any, ...]]


class AddressRefused(OSError):
    """The host resolves to an address outward requests may not reach. An `OSError`, so
    every client's handling of a failed connection sees it; `refusal_in` finds it inside
    the errors a client library wraps it in."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}, an internal address")
        self.host = host
        self.address = address


def refusal_in(error: BaseException) -> AddressRefused | None:
    """The `AddressRefused` behind a client library's error, if that is what it was."""
    seen: set[int] = set()
    waiting: list[object] = [error]
    while waiting:
        current = waiting.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, AddressRefused):
            return current
        waiting += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        waiting += list(current.args)
    return None


def is_public(address: IPAddress) -> bool:
    """Whether an address is out on the internet, not inside any network of ours."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # an IPv4 address, written as IPv6
            return is_public(address.ipv4_mapped)
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
    )


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


@dataclass(frozen=True)
class OutwardPolicy:
    """What outward requests may reach: public addresses, plus the host names, addresses
    and networks the operator allowed (internal room systems and calendar servers)."""

    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def from_settings(cls, entries: Iterable[str]) -> OutwardPolicy:
        """From OUTWARD_ALLOWED_HOSTS: host names, IP addresses and networks (CIDR)."""
        names, networks = set(), []
        for entry in entries:
            text = str(entry).strip().lower().rstrip(".")
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text.strip("[]"), strict=False))
            except ValueError:
                names.add(text)
            else:
                names.add(text.strip("[]"))
        return cls(frozenset(names), tuple(networks))

    def named(self, host: str) -> bool:
        """Whether the operator named this host (or its address) as allowed."""
        name = _host_name(host)
        if name in self.allowed_names:
            return True
        address = _address(name)
        return address is not None and self._in_allowed_network(address)

    def address_allowed(self, text: str) -> bool:
        address = _address(text)
        if address is None:
            return False
        return is_public(address) or self._in_allowed_network(address)

    def _in_allowed_network(self, address: IPAddress) -> bool:
        return any(address in network for network in self.allowed_networks)

    def resolve(
        self,
        host: str,
        port: int | str | None,
        family: int = 0,
        kind: int = socket.SOCK_STREAM,
        proto: int = 0,
        flags: int = 0,
    ) -> list[AddressInfo]:
        """`socket.getaddrinfo`, refused (`AddressRefused`) when any address found is
        not one outward requests may reach. Connect only to the addresses returned."""
        name = _host_name(host)
        found = socket.getaddrinfo(name, port, family, kind, proto, flags)
        if name in self.allowed_names:
            return found
        for *_, sockaddr in found:
            if not self.address_allowed(str(sockaddr[0])):
                raise AddressRefused(host, str(sockaddr[0]))
        return found

    def check_url(self, url: str) -> None:
        """Refuse (`AddressRefused`) a URL whose host resolves to an internal address
        now. A host that does not resolve is left to the connection, checked then."""
        parts = urlsplit(url)
        if not parts.hostname:
            return
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme, 443)
        except ValueError:
            return
        try:
            self.resolve(parts.hostname, port)
        except socket.gaierror:
            return

    def create_connection(
        self,
        address: tuple[str, int],
        timeout: object = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """`socket.create_connection`, to the checked addresses only."""
        host, port = address
        failure: OSError | None = None
        for family, kind, proto, _name, sockaddr in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if isinstance(timeout, int | float):
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
            except OSError as error:
                sock.close()
                failure = error
            else:
                return sock
        raise failure or OSError(f"no address found for {host}")

    def http_connection(
        self,
        scheme: str,
        host: str,
        port: int | None,
        timeout: float,
        context: ssl.SSLContext | None = None,
    ) -> http.client.HTTPConnection:
        """An `http.client` connection that connects only to checked addresses."""
        if scheme == "https":
            return GuardedHTTPSConnection(
                host, port, timeout=timeout, context=context, outward=self
            )
        return GuardedHTTPConnection(host, port, timeout=timeout, outward=self)

    def opener(self) -> urllib.request.OpenerDirector:
        """A `urllib` opener that connects only to checked addresses, follows no
        redirect (an answer's Location is not ours to follow, nor a token's to carry)
        and goes to the host directly, through no proxy from the environment."""
        return urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            _NoRedirects(),
            _GuardedHTTPHandler(self),
            _GuardedHTTPSHandler(self),
        )


def _host_name(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, outward: OutwardPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # http.client opens its socket through this attribute (connect() calls it).
        self._create_connection = outward.create_connection


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    """TLS is verified against the host name; the socket goes to a checked address."""

    def __init__(self, *args: Any, outward: OutwardPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = outward.create_connection


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, outward: OutwardPolicy) -> None:
        super().__init__()
        self.outward = outward

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        outward = self.outward

        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            return GuardedHTTPConnection(host, outward=outward, **kwargs)

        return self.do_open(connection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, outward: OutwardPolicy) -> None:
        super().__init__(context=ssl.create_default_context())
        self.outward = outward

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        outward = self.outward

        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            return GuardedHTTPSConnection(host, outward=outward, **kwargs)

        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def outward_policy() -> OutwardPolicy:
    """The app's policy, built from OUTWARD_ALLOWED_HOSTS when the app is. (Flask is
    imported here only: plugins receive the policy and need none of it.)"""
    from flask import current_app

    return current_app.extensions[EXTENSION]
