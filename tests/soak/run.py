"""Run the scale-out scenario and print its figures: `make soak` (the long version,
`python -m tests.soak`); the normal suite runs a short one (test_scaleout.py)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.soak.checks import Findings, check
from tests.soak.installation import Installation
from tests.soak.scenario import Plan, run_load, seed

# Short leases and retries, so a killed worker's batch and the messages that failed
# while PostgreSQL restarted are delivered within the run; loopback servers answer fast.
SOAK_SETTINGS: dict[str, Any] = {
    "OUTBOX_LEASE_SECONDS": 10,
    "OUTBOX_BATCH_SIZE": 5,
    "OUTBOX_RETRY_BASE_SECONDS": 1,
    "OUTBOX_RETRY_MAX_SECONDS": 4,
    "WORKER_POLL_SECONDS": 0.5,
    "WORKER_DATABASE_RETRY_SECONDS": 1,
    "SMTP_TIMEOUT_SECONDS": 5,
    "CALDAV_TIMEOUT_SECONDS": 5,
    # The load books as each supervisor's integration, far faster than a person: with the
    # default API budget (120 a minute per token) the limiter, not the installation, would
    # set the pace. The limiter's shared store is checked on its own (posts_until_limited).
    "RATE_LIMIT_API": "100000 per minute",
}
SETTLE_SECONDS = 60


def scale_out(folder: Path, plan: Plan) -> Findings:
    """Start the installation, seed it, put the load and the faults on it, check."""
    installation = Installation(folder, settings=SOAK_SETTINGS)
    try:
        installation.start()
        supervisors = seed(installation, plan)
        outcome = run_load(installation, plan, supervisors)
        findings = check(installation, supervisors, outcome, SETTLE_SECONDS)
        findings.figures["access_log_lines"] = access_log_lines(installation)
        findings.figures["sign_in_posts_until_429"] = posts_until_limited(installation)
        return findings
    finally:
        installation.stop()


def access_log_lines(installation: Installation) -> int:
    """JSON access-log lines the nodes wrote (each must parse)."""
    import json

    count = 0
    for node in installation.web:
        for line in node.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                json.loads(line)
                count += 1
    return count


def posts_until_limited(installation: Installation, most: int = 10) -> int:
    """Posts of the sign-in form through nginx until one is refused with 429. nginx
    spreads them over every gunicorn worker of both nodes, so the limit (5 a minute)
    holds only when they count in the shared store."""
    assert installation.nginx is not None
    for number in range(1, most + 1):
        request = urllib.request.Request(  # noqa: S310 (the installation under test)
            f"{installation.nginx.base}/sign-in", data=b"", method="POST"
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=30, context=installation.tls
            ):
                pass
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return number
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--supervisors", type=int, default=4)
    parser.add_argument("--processes", type=int, default=100, help="per supervisor")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--rate", type=float, default=8.0, help="bookings started per second")
    parser.add_argument("--fault-gap", type=float, default=8.0, help="seconds between faults")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args(argv)
    plan = Plan(
        supervisors=args.supervisors,
        processes_per_supervisor=args.processes,
        clients=args.clients,
        rate=args.rate,
        fault_gap_seconds=args.fault_gap,
    )
    folder = Path(tempfile.mkdtemp(prefix="ohjaamo-soak-"))
    try:
        findings = scale_out(folder, plan)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    for name, value in findings.figures.items():
        print(f"{name}={value}")
    for problem in findings.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if findings.problems else 0
