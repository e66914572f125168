"""The load generator: API clients over HTTP(S) that time every request, and a pool of
client threads working through a list of jobs, optionally at a bounded rate."""

from __future__ import annotations

import json
import ssl
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

Job = TypeVar("Job")
NO_ANSWER = 0


@dataclass(frozen=True)
class Sample:
    """One request: what it was for, its status (0: no answer at all), when it started
    (monotonic seconds) and how long it took."""

    kind: str
    status: int
    started: float
    seconds: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def of(self, kind: str) -> list[Sample]:
        return [sample for sample in self.samples if sample.kind == kind]


@dataclass
class ApiClient:
    """Requests to the REST API with a bearer token, each recorded in ``recorder``."""

    base: str
    token: str
    recorder: Recorder
    tls: ssl.SSLContext | None = None
    timeout: float = 60

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        request = urllib.request.Request(  # noqa: S310 (the installation under test)
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )
        began = time.monotonic()
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=self.timeout, context=self.tls
            ) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except OSError:
            status, raw = NO_ANSWER, b""
        self.recorder.add(Sample(kind, status, began, time.monotonic() - began))
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None


def drain(
    jobs: Iterable[Job], clients: int, work: Callable[[Job], Any], rate: float | None = None
) -> list[Any]:
    """Run ``work`` on every job from ``clients`` threads; with ``rate``, jobs start no
    faster than that many per second (a bounded load). Returns the results in order."""
    lock = threading.Lock()
    next_start = [time.monotonic()]

    def paced(job: Job) -> Any:
        if rate:
            with lock:
                start = max(next_start[0], time.monotonic())
                next_start[0] = start + 1 / rate
            time.sleep(max(0.0, start - time.monotonic()))
        return work(job)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(paced, jobs))


def percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def latency_ms(samples: list[Sample], percent: int, ok: Callable[[int], bool]) -> float:
    """The percentile of the answered-as-expected requests' durations, in ms."""
    return percentile([s.seconds * 1000 for s in samples if ok(s.status)], percent)
