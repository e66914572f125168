"""Page speed under load: the supervisee booking page and the supervisor week page
against a bare Flask page of the booking page's size (bench/bare_app.py), each served
by gunicorn (4 workers, the shipped config/gunicorn.conf.py otherwise) on loopback and
measured in the same run.

The data is the demo scaled up (bench/pages_data.py: 50 supervisors, 500 processes,
20,000 sessions). Many users are signed in the way a person signs in (the emailed link,
then the button). For each page, in turn:

- a closed loop: wrk at ``--connections`` (warm-up, then ``--seconds``); its script
  (bench/pages.lua) turns through the users' cookies and pages and counts every answer
  that is not a 200. Requests per second (the page's capacity), p50/p95/p99;
- an open loop (bench/openloop.py): requests due at a fixed rate, by default 60 % of
  the capacity the closed loop just measured, latency from when each was due (no
  coordinated omission); p50/p95/p99 and the share of requests missed (no 200);
- in both, CPU milliseconds per request across the machine from /proc
  (bench/machine.py): the app (the gunicorn process tree), the database (PostgreSQL's
  process tree; with SQLite it works inside the app), both together, the load
  generator, and the rest of the machine (other jobs on a shared machine).

The load average at the start and end tells how busy the machine was. Prints
`name=value` lines.

    .venv/bin/python bench/pages.py [--database postgresql|sqlite] [--seconds 15]
        [--warm-up 5] [--connections 50] [--supervisees 200] [--open-share 0.6]
        [--open-rate N] [--open-seconds N] [--pages bare,booking,week] [--years N]

``--years`` gives every process that many years of sessions behind it (26 a year) and the
calendars as long a past: run it with 1 and with 10 to compare a supervisor's history.

Goals (issue 21), for the booking and week pages: at most 5 ms of CPU per request (app
and database), at least 0.35 of the bare page's requests per second in the same run,
and an open-loop p95 of at most 50 ms. Needs Debian's wrk (installed here with apt-get
when running as root).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import text

from bench.machine import CpuMeter, CpuSpent, load_average, postgres_pid
from bench.openloop import get_request, run_open_loop
from bench.pages_data import populate
from service import clock, create_app
from service.extensions import db
from service.services.accounts.sign_in import sign_in_token
from tests.conftest import test_config
from tests.fixtures.gunicorn import GunicornNode, production_environment
from tests.postgres import PostgresCluster
from tests.web.pages import csrf_token

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "pages.lua"
GUNICORN_OPTIONS = ("-c", str(ROOT / "config" / "gunicorn.conf.py"), "--workers", "4")
GOAL_CPU_MS = 5.0
GOAL_RATIO = 0.35
GOAL_OPEN_P95_MS = 50.0
PAGES = ("bare", "booking", "week")
Targets = list[tuple[str, str]]
"""(cookie, path) of each user's page."""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
        found = shutil.which("wrk")
    if found is None:
        sys.exit("wrk is needed: sudo apt-get install wrk")
    return found


def _session_cookie(response: http.client.HTTPResponse) -> str:
    for header in response.headers.get_all("Set-Cookie") or ():
        cookie = SimpleCookie(header)
        if "session" in cookie:
            return f"session={cookie['session'].value}"
    raise RuntimeError(f"no session cookie in the answer ({response.status})")


def signed_in_cookie(base: str, token: str) -> str:
    """Open the sign-in link and press the button, as a person does; the cookie."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", f"/sign-in/{token}")
        page = connection.getresponse()
        form = page.read().decode()
        cookie = _session_cookie(page)
        connection.request(
            "POST",
            f"/sign-in/{token}",
            body=urlencode({"csrf_token": csrf_token(form)}),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = connection.getresponse()
        answer.read()
        if answer.status != 302:
            raise RuntimeError(f"sign-in answered {answer.status}")
        return _session_cookie(answer)
    finally:
        connection.close()


def fetch(base: str, cookie: str, path: str) -> tuple[int, str]:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def wrk(base: str, targets: Targets, folder: Path, seconds: int, connections: int):
    listing = folder / f"targets-{time.monotonic_ns()}.txt"
    listing.write_text("".join(f"{cookie} {path}\n" for cookie, path in targets))
    command = [
        ensure_wrk(),
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        base,
        "--",
        str(listing),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
    return {name: float(value) for name, value in figures.items()}


def prepare(url: str, secret_key: str, years: int | None) -> tuple[dict[str, int], list, list, str]:
    app = create_app(test_config(url, SECRET_KEY=secret_key))
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        now = clock.now()
        population = populate(now, years)
        counts = {**population.counts, "populate_seconds": round(time.perf_counter() - began)}
        if db.engine.dialect.name == "postgresql":
            # Vacuumed and analysed now, so autovacuum does not wake during a measurement.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as bare:
                bare.execute(text("VACUUM ANALYZE"))
            version = db.session.scalar(text("SHOW server_version"))
        else:
            version = db.session.scalar(text("SELECT sqlite_version()"))
        supervisors = [sign_in_token(person, now=now) for person in population.supervisors]
        supervisees = [
            (sign_in_token(person, now=now), process) for person, process in population.supervisees
        ]
        db.session.remove()
        db.engine.dispose()
    return counts, supervisors, supervisees, f"{db_name(url)} {version}"


def db_name(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def print_cpu(prefix: str, spent: CpuSpent, requests: int) -> dict[str, float]:
    per_request = spent.per_request_ms(requests)
    for part, value in per_request.items():
        print(f"{prefix}_cpu_ms_per_request_{part}={value:.2f}")
    print(f"{prefix}_machine_busy_percent={spent.machine_busy_percent:.0f}")
    return per_request


def closed_loop(
    args: argparse.Namespace,
    name: str,
    node: GunicornNode,
    targets: Targets,
    meter: CpuMeter,
    folder: Path,
) -> dict[str, float]:
    """wrk's warm-up, then its measured run with the CPU it cost."""
    wrk(node.base, targets, folder, args.warm_up, args.connections)
    meter.start()
    figures = wrk(node.base, targets, folder, args.seconds, args.connections)
    spent = meter.stop()
    for figure in ("rps", "p50_ms", "p95_ms", "p99_ms", "not_ok", "socket_errors"):
        print(f"{name}_{figure}={figures[figure]:g}")
    cpu = print_cpu(name, spent, int(figures["requests"]))
    return {**figures, "cpu_ms": cpu["app_db"]}


def open_loop(
    args: argparse.Namespace,
    name: str,
    node: GunicornNode,
    targets: Targets,
    rate: float,
    meter: CpuMeter,
) -> dict[str, float]:
    """Requests due at ``rate`` a second, timed from when each was due."""
    address = urlsplit(node.base)
    requests = [
        get_request(address.hostname or "", address.port or 80, path, cookie)
        for cookie, path in targets
    ]
    meter.start()
    result = run_open_loop(
        node.base,
        requests,
        rate=rate,
        seconds=args.open_seconds or args.seconds,
        connections=args.open_connections or args.connections,
    )
    spent = meter.stop()
    figures = result.figures()
    print(f"{name}_open_rate={rate:.1f}")
    print(f"{name}_open_scheduled={result.scheduled}")
    for figure in ("p50_ms", "p95_ms", "p99_ms"):
        print(f"{name}_open_{figure}={figures[figure]:.1f}")
    print(f"{name}_open_missed={result.missed}")
    print(f"{name}_open_missed_share={figures['missed_share']:.3f}")
    for status, count in sorted(result.status_counts().items()):
        if status != 200:
            print(f"{name}_open_status_{status}={count}")
    print(f"{name}_open_generator_late_share={figures['late_share']:.3f}")
    print_cpu(f"{name}_open", spent, result.scheduled)
    return figures


def measure(args: argparse.Namespace, url: str, folder: Path, database_pid: int | None) -> None:
    # The pages measured are reads no rate limit applies to; with the limiter off, the
    # shipped config starts its four workers without a shared store.
    env = production_environment(folder, url, RATELIMIT_ENABLED=False)
    counts, supervisor_tokens, supervisee_tokens, database = prepare(
        url, env["OHJAAMO_SECRET_KEY"], args.years
    )
    print(f"database={database}")
    print(f"history_years={args.years or 'default'}")
    for name, value in counts.items():
        print(f"{name}={value}")
    service = GunicornNode(env, folder / "service.log", GUNICORN_OPTIONS)
    bare = GunicornNode(env, folder / "bare.log", GUNICORN_OPTIONS, app="bench.bare_app:app")
    service.start()
    bare.start()
    try:
        pages = {
            "bare": (bare, [("", "/")]),
            "booking": (
                service,
                [
                    (signed_in_cookie(service.base, token), f"/my/processes/{process}/book")
                    for token, process in supervisee_tokens[: args.supervisees]
                ],
            ),
            "week": (
                service,
                [
                    (signed_in_cookie(service.base, token), "/supervisor/week")
                    for token in supervisor_tokens
                ],
            ),
        }
        chosen = [name for name in PAGES if name in args.pages.split(",")]
        for name in chosen:
            node, targets = pages[name]
            sizes, slots = [], []
            for cookie, path in targets:
                status, body = fetch(node.base, cookie, path)
                assert status == 200, (status, path)
                sizes.append(len(body.encode()))
                slots.append(body.count('name="slot"'))
            print(f"{name}_users={len(targets) if name != 'bare' else 0}")
            print(f"{name}_bytes={round(sum(sizes) / len(sizes))}")
            if name != "week":
                print(f"{name}_slots_offered_min={min(slots)}")
        print(f"cpus={os.cpu_count()}")
        print(f"load_average_at_start={load_average()}")
        results, opened = {}, {}
        for name in chosen:
            node, targets = pages[name]
            assert node.process is not None
            meter = CpuMeter(app=node.process.pid, database=database_pid)
            results[name] = closed_loop(args, name, node, targets, meter, folder)
            rate = args.open_rate or args.open_share * results[name]["rps"]
            opened[name] = open_loop(args, name, node, targets, rate, meter)
        for name in ("booking", "week"):
            if name not in results:
                continue
            figures = results[name]
            goals = {
                "cpu": figures["cpu_ms"] <= GOAL_CPU_MS,
                "open_p95": opened[name]["p95_ms"] <= GOAL_OPEN_P95_MS,
            }
            if "bare" in results:
                ratio = figures["rps"] / results["bare"]["rps"]
                print(f"{name}_ratio_to_bare={ratio:.2f}")
                goals["ratio"] = ratio >= GOAL_RATIO
            for goal, met in goals.items():
                print(f"{name}_goal_{goal}_met={'yes' if met else 'no'}")
            print(f"{name}_goal_met={'yes' if all(goals.values()) else 'no'}")
        print(f"load_average_at_end={load_average()}")
    finally:
        service.stop()
        bare.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--supervisees", type=int, default=200)
    parser.add_argument(
        "--open-share",
        type=float,
        default=0.6,
        help="the open loop's rate as a share of the page's closed-loop requests per second",
    )
    parser.add_argument("--open-rate", type=float, help="a fixed open-loop rate for every page")
    parser.add_argument("--open-seconds", type=int, help="default: --seconds")
    parser.add_argument("--open-connections", type=int, help="default: --connections")
    parser.add_argument("--pages", default=",".join(PAGES), help="of bare,booking,week")
    parser.add_argument(
        "--years",
        type=int,
        help="years of sessions behind each process (default: 40 sessions, about 1.5 years)",
    )
    args = parser.parse_args()
    ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="ohjaamo-bench-pages-"))
    cluster = None
    try:
        if args.database == "postgresql":
            cluster = PostgresCluster()
            cluster.start()
            url = cluster.create_database("bench")
        else:
            url = f"sqlite:///{folder}/bench.sqlite3"
        measure(args, url, folder, postgres_pid(cluster.data) if cluster else None)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
