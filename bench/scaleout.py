"""Bookings per second and p95 latency of slot search and booking through nginx, on one
web node and on two (docs/deploy.md's installation on loopback, no faults), and the
ratio of two to one. Each client searches a process's free times and books one of the
first few (409s included, as in real use). Prints `name=value` lines.

    .venv/bin/python bench/scaleout.py [--supervisors N] [--processes N] [--clients N]

Goals: slot search p95 <= 50 ms, booking p95 <= 150 ms, two nodes >= 1.6 x one node
where the CPU allows: on one machine the nodes, PostgreSQL, nginx, the worker and the
load generator share the same cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_ticks
from tests.soak.installation import Installation
from tests.soak.load import latency_ms
from tests.soak.run import SOAK_SETTINGS
from tests.soak.scenario import Plan, run_load, seed


def answered(status: int) -> bool:
    return status in (200, 201, 409)


def measure(nodes: int, plan: Plan) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"ohjaamo-bench-{nodes}-"))
    installation = Installation(folder, nodes=nodes, workers=1, settings=SOAK_SETTINGS)
    try:
        installation.start()
        supervisors = seed(installation, plan)
        busy_before, total_before = machine_ticks()
        outcome = run_load(installation, plan, supervisors)
        busy_after, total_after = machine_ticks()
    finally:
        installation.stop()
        shutil.rmtree(folder, ignore_errors=True)
    slots = outcome.recorder.of("slots")
    bookings = outcome.recorder.of("booking")
    return {
        "bookings_per_second": len(outcome.acknowledged) / outcome.seconds,
        "requests_per_second": len(outcome.recorder.samples) / outcome.seconds,
        "slots_p50_ms": latency_ms(slots, 50, answered),
        "slots_p95_ms": latency_ms(slots, 95, answered),
        "booking_p50_ms": latency_ms(bookings, 50, answered),
        "booking_p95_ms": latency_ms(bookings, 95, answered),
        "conflicts": sum(sample.status == 409 for sample in bookings),
        "failed_requests": sum(not answered(s.status) for s in outcome.recorder.samples),
        # Every process on the machine (nodes, PostgreSQL, nginx, worker, load generator):
        # near 100 means the cores, not the installation's design, set the pace.
        "machine_cpu_busy_percent": 100 * (busy_after - busy_before) / (total_after - total_before),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--supervisors", type=int, default=4)
    parser.add_argument("--processes", type=int, default=40, help="per supervisor")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    plan = Plan(
        supervisors=args.supervisors,
        processes_per_supervisor=args.processes,
        clients=args.clients,
        rate=None,
        faults=False,
    )
    print(f"cpus={os.cpu_count()}")
    print(f"load_average_at_start={os.getloadavg()[0]:.2f}")
    results = {nodes: measure(nodes, plan) for nodes in (1, 2)}
    for nodes, figures in results.items():
        for name, value in figures.items():
            print(f"nodes{nodes}_{name}={value:.1f}")
    ratio = results[2]["bookings_per_second"] / results[1]["bookings_per_second"]
    print(f"two_to_one_ratio={ratio:.2f}")
    print(f"load_average_at_end={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
