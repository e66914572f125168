"""One GET of an iCalendar address: conditional, bounded, and only where the outward
policy allows.

- Conditional: the ETag and Last-Modified of the last answer go back as If-None-Match
  and If-Modified-Since, so an unchanged calendar costs one short 304 answer.
- Bounded: each wait on the socket lasts at most the timeout, the whole answer must
  arrive within `READ_BUDGET` timeouts (a server that sends a byte now and then holds
  nothing), and no more than `MAX_BYTES` are read, after gzip is undone.
- Redirects are followed (at most `MAX_REDIRECTS`), each target checked by the same
  outward policy as the address itself, never from https down to http: the address is
  a secret and its path may travel with it.

Failures are `CalendarError`s in plain words; their detail never holds the address.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from service.backends import AddressRefused, CalendarError, CalendarProblem, OutwardPolicy

MAX_BYTES = 16 * 1024 * 1024
MAX_REDIRECTS = 5
READ_BUDGET = 3
CHUNK = 64 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({401, 403, 404, 410})
_STAMP = re.compile(rb"^DTSTAMP[;:][^\n]*\n", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Validators:
    """What the last answer said of its version: the server's ETag and Last-Modified,
    and a digest of the body (`content_digest`) for servers that send neither."""

    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Answer:
    """The body (None when the server answered 304 Not Modified) and its validators."""

    body: bytes | None
    validators: Validators


def fetch(
    url: str, outward: OutwardPolicy, timeout: float, known: Validators | None = None
) -> Answer:
    """GET the address, conditionally when `known` holds validators."""
    started = time.monotonic()
    conditions = known.headers() if known is not None else {}
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            location = _one_request(url, outward, timeout, conditions, started)
            if isinstance(location, Answer):
                if location.body is None and known is not None:
                    return Answer(None, known)
                return location
            url = location
    except CalendarError:
        raise
    except AddressRefused as refused:
        raise CalendarError(CalendarProblem.REFUSED_ADDRESS, str(refused)) from None
    except (ssl.SSLError, ssl.CertificateError) as failure:
        raise CalendarError(CalendarProblem.TLS_FAILED, type(failure).__name__) from None
    except TimeoutError as failure:
        raise CalendarError(CalendarProblem.TIMEOUT, type(failure).__name__) from None
    except OSError as failure:
        raise CalendarError(CalendarProblem.UNREACHABLE, type(failure).__name__) from None
    except http.client.HTTPException as failure:
        raise CalendarError(CalendarProblem.SERVER_ERROR, type(failure).__name__) from None
    raise CalendarError(CalendarProblem.SERVER_ERROR, "too many redirects")


def _one_request(
    url: str,
    outward: OutwardPolicy,
    timeout: float,
    conditions: dict[str, str],
    started: float,
) -> Answer | str:
    """One request: the answer, or the address it redirects to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CalendarError(CalendarProblem.WRONG_URL, "not an http(s) address")
    outward.check_url(url)
    context = ssl.create_default_context() if parts.scheme == "https" else None
    connection = outward.http_connection(
        parts.scheme, parts.hostname, parts.port, timeout, context=context
    )
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Accept": "text/calendar, */*;q=0.5",
            "Accept-Encoding": "gzip",
            "User-Agent": "Ohjaamo calendar reader",
            **conditions,
        }
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        status = response.status
        if status in REDIRECTS:
            target = urljoin(url, response.getheader("Location") or "")
            if parts.scheme == "https" and urlsplit(target).scheme != "https":
                raise CalendarError(CalendarProblem.WRONG_URL, "redirected from https to http")
            return target
        if status == 304:
            if not conditions:
                raise CalendarError(CalendarProblem.SERVER_ERROR, "304 to an unconditional GET")
            return Answer(None, Validators())
        if status in GONE:
            raise CalendarError(CalendarProblem.WRONG_URL, f"HTTP {status}")
        if status != 200:
            raise CalendarError(CalendarProblem.SERVER_ERROR, f"HTTP {status}")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > MAX_BYTES:
            raise CalendarError(CalendarProblem.TOO_LARGE, f"{length} bytes announced")
        gzipped = (response.getheader("Content-Encoding") or "").lower() in ("gzip", "x-gzip")
        body = _read(response, gzipped, timeout, started)
        return Answer(
            body,
            Validators(
                etag=response.getheader("ETag"),
                last_modified=response.getheader("Last-Modified"),
                digest=content_digest(body),
            ),
        )
    finally:
        connection.close()


def content_digest(body: bytes) -> str:
    """A digest of the calendar's text, its DTSTAMP lines aside: Google stamps every
    event with the moment of the download, which changes nothing that is in it."""
    return hashlib.sha256(_STAMP.sub(b"", body)).hexdigest()


def _read(
    response: http.client.HTTPResponse, gzipped: bool, timeout: float, started: float
) -> bytes:
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() - started > timeout * READ_BUDGET:
            raise CalendarError(CalendarProblem.TIMEOUT, "the answer took too long")
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, MAX_BYTES + 1 - size)
            except zlib.error as failure:
                raise CalendarError(CalendarProblem.SERVER_ERROR, "broken gzip") from failure
        size += len(chunk)
        if size > MAX_BYTES:
            raise CalendarError(CalendarProblem.TOO_LARGE, f"over {MAX_BYTES} bytes")
        chunks.append(chunk)
    if decoder is not None:
        chunks.append(decoder.flush())
        if size + len(chunks[-1]) > MAX_BYTES:
            raise CalendarError(CalendarProblem.TOO_LARGE, f"over {MAX_BYTES} bytes")
    return b"".join(chunks)
