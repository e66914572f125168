"""An open-loop HTTP load: requests start at a fixed rate whatever the server does, and
each one's latency runs from the moment it was meant to start.

wrk (closed loop) sends a connection's next request only when the last one is
answered, so when the server stalls it stops asking, and the requests a real crowd
would have sent meanwhile never enter its figures (coordinated omission). Here request
``i`` is due at ``start + i / rate``; it waits for a free keep-alive connection if all
``connections`` are busy, and that wait counts in its latency, as does any lateness of
this generator. Neither wrk2 nor vegeta is packaged for Debian here, and the Python
load tools on PyPI (locust, molotov) are closed loops of their own; this one speaks
HTTP/1.1 over asyncio streams directly, which costs a few tens of microseconds of CPU
per request, so it takes little from the cores the server under test shares.

    .venv/bin/python bench/openloop.py http://127.0.0.1:8000/ --rate 100 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# A request the generator itself started this much after it was due is counted late:
# the generator, not the server, fell behind (the latency still includes it).
LATE_SECONDS = 0.005
NO_ANSWER = 0


class _Connections:
    """At most ``limit`` keep-alive connections; a request waits for a free one."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(limit)

    async def request(self, data: bytes) -> int:
        async with self.slots:
            kept = self.idle.pop() if self.idle else None
            try:
                return await self._exchange(kept, data)
            except (ConnectionError, asyncio.IncompleteReadError):
                if kept is None:
                    raise
                # The server closed a kept-alive connection (a worker was replaced):
                # once more on a new connection, as HTTP clients do for a GET.
                return await self._exchange(None, data)

    async def _exchange(
        self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None, data: bytes
    ) -> int:
        if connection is None:
            connection = await asyncio.open_connection(self.host, self.port)
        reader, writer = connection
        reusable = False
        try:
            writer.write(data)
            status, reusable = await _response(reader)
            return status
        finally:
            if reusable:
                self.idle.append(connection)
            else:
                writer.close()

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; its status and whether the connection may be reused."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head[:-4].split(b"\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding") == b"chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)  # the chunk and its CRLF
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then an empty line
            pass
    else:
        await reader.read()
        return int(status_line.split()[1]), False
    return int(status_line.split()[1]), headers.get(b"connection") != b"close"


def _percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile (NaN of nothing)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def get_request(host: str, port: int, path: str, cookie: str = "") -> bytes:
    """A keep-alive GET of ``path`` with the cookie (if any)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/html"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class OpenLoopResult:
    """Every scheduled request's latency (seconds from when it was due to its last
    byte; infinite when it got no answer) and status (0: no answer)."""

    rate: float
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    late: int = 0
    lag: list[float] = field(default_factory=list)

    @property
    def scheduled(self) -> int:
        return len(self.statuses)

    @property
    def missed(self) -> int:
        """Requests not answered 200 in time: an error status or no answer at all."""
        return sum(status != 200 for status in self.statuses)

    def percentile_ms(self, percent: float) -> float:
        """Over every scheduled request; a missing answer counts as infinitely slow."""
        return _percentile(self.latencies, percent) * 1000

    def figures(self) -> dict[str, float]:
        return {
            "rate": self.rate,
            "scheduled": self.scheduled,
            "p50_ms": self.percentile_ms(50),
            "p95_ms": self.percentile_ms(95),
            "p99_ms": self.percentile_ms(99),
            "max_ms": self.percentile_ms(100),
            "missed": self.missed,
            "missed_share": self.missed / max(self.scheduled, 1),
            "late_share": self.late / max(self.scheduled, 1),
            "generator_lag_p99_ms": _percentile(self.lag, 99) * 1000,
        }

    def status_counts(self) -> Counter[int]:
        return Counter(self.statuses)


async def open_loop(
    base: str,
    requests: Sequence[bytes],
    *,
    rate: float,
    seconds: float,
    connections: int = 50,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """Send ``rate`` requests a second for ``seconds``, turning through ``requests``
    (raw HTTP/1.1 requests made by `get_request`), to the server at ``base``."""
    address = urlsplit(base)
    pool = _Connections(address.hostname or "127.0.0.1", address.port or 80, connections)
    loop = asyncio.get_running_loop()
    result = OpenLoopResult(rate=rate, seconds=seconds)
    count = max(1, round(rate * seconds))
    began = loop.time() + 0.05

    async def one(data: bytes, due: float) -> tuple[int, float]:
        try:
            async with asyncio.timeout_at(due + timeout):
                status = await pool.request(data)
        except (
            OSError,
            TimeoutError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
            IndexError,
        ):
            return NO_ANSWER, math.inf
        return status, loop.time() - due

    tasks = []
    for index in range(count):
        due = began + index / rate
        # Behind time, still let the requests under way read their answers.
        await asyncio.sleep(max(0.0, due - loop.time()))
        lag = max(0.0, loop.time() - due)
        result.lag.append(lag)
        result.late += lag > LATE_SECONDS
        tasks.append(loop.create_task(one(requests[index % len(requests)], due)))
    for status, latency in await asyncio.gather(*tasks):
        result.statuses.append(status)
        result.latencies.append(latency)
    pool.close()
    return result


def run_open_loop(
    base: str,
    requests: Sequence[bytes],
    *,
    rate: float,
    seconds: float,
    connections: int = 50,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """`open_loop` in its own event loop."""
    return asyncio.run(
        open_loop(
            base, requests, rate=rate, seconds=seconds, connections=connections, timeout=timeout
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", help="the page to load, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--cookie", default="")
    args = parser.parse_args()
    address = urlsplit(args.url)
    path = address.path or "/"
    if address.query:
        path += f"?{address.query}"
    request = get_request(address.hostname or "127.0.0.1", address.port or 80, path, args.cookie)
    result = run_open_loop(
        args.url, [request], rate=args.rate, seconds=args.seconds, connections=args.connections
    )
    for name, value in result.figures().items():
        print(f"{name}={value:g}")
    for status, count in sorted(result.status_counts().items()):
        print(f"status_{status}={count}")


if __name__ == "__main__":
    main()
