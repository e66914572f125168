"""JSON over HTTP with a bearer token, a timeout and a few retries, on the stdlib.

A request is retried only when trying again cannot do harm: reads, deletes, and
writes that carry an Idempotency-Key. A connection that fails, times out, or gets a
5xx answer is retried after a short pause; any other answer is final. Requests go
through the outward policy's opener: to checked addresses only, directly, and never
after a redirect (the token would follow it), which is answered as it came.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from service.backends import OutwardPolicy, RoomProblem, RoomSystemError, refusal_in

RETRY_PAUSE_SECONDS = 0.2


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


class JSONClient:
    def __init__(
        self, base_url: str, token: str, timeout: float, attempts: int, outward: OutwardPolicy
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RoomSystemError(RoomProblem.BAD_SETTINGS, "base URL is not http(s)")
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.token = token
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.opener = outward.opener()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        idempotency_key: str | None = None,
        query: str = "",
    ) -> Answer:
        """The answer to one request; 401/403 and failures after the retries raise."""
        url = urljoin(self.base, path.lstrip("/")) + (f"?{query}" if query else "")
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        retry = method in ("GET", "DELETE", "PUT") or idempotency_key is not None
        tries = self.attempts if retry else 1
        for attempt in range(1, tries + 1):
            try:
                return self._once(urllib.request.Request(url, data, headers, method=method))  # noqa: S310 - the scheme is checked in __init__
            except RoomSystemError as failure:
                if not failure.retryable or attempt == tries:
                    raise
                time.sleep(RETRY_PAUSE_SECONDS * attempt)
        raise AssertionError("unreachable")

    def _once(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as answer:
            status = answer.code
            raw = answer.read()
            if status in (401, 403):
                raise RoomSystemError(RoomProblem.UNAUTHORIZED, f"HTTP {status}") from None
            if status >= 500:
                raise RoomSystemError(RoomProblem.SERVER_ERROR, f"HTTP {status}") from None
            return Answer(status, _json(raw, strict=False))
        except TimeoutError as failure:
            raise RoomSystemError(RoomProblem.TIMEOUT, type(failure).__name__) from failure
        except urllib.error.URLError as failure:
            refused = refusal_in(failure)
            if refused is not None:
                raise RoomSystemError(RoomProblem.REFUSED_ADDRESS, str(refused)) from None
            if isinstance(failure.reason, TimeoutError):
                raise RoomSystemError(RoomProblem.TIMEOUT, "URLError") from failure
            raise RoomSystemError(RoomProblem.UNREACHABLE, str(failure.reason)) from failure
        except (ConnectionError, OSError) as failure:
            raise RoomSystemError(RoomProblem.UNREACHABLE, type(failure).__name__) from failure
        except http.client.HTTPException as failure:
            raise RoomSystemError(RoomProblem.BAD_ANSWER, type(failure).__name__) from failure


def _json(raw: bytes, *, strict: bool = True) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        if strict:
            raise RoomSystemError(RoomProblem.BAD_ANSWER, "not JSON") from None
        return None
