"""Page speed under load: the supervisee booking page and the supervisor week page
against a bare Flask page, each served by gunicorn (4 workers, the shipped
config/gunicorn.conf.py otherwise) and loaded by wrk on loopback in the same run.

The data is the demo scaled up (bench/pages_data.py: 50 supervisors, 500 processes,
20,000 sessions). Many users are signed in the way a person signs in (the emailed link,
then the button); wrk's script (bench/pages.lua) turns through their cookies and pages
and counts every answer that is not a 200. Prints `name=value` lines.

    .venv/bin/python bench/pages.py [--database postgresql|sqlite] [--seconds 15]
        [--warm-up 5] [--connections 50] [--supervisees 200]

Goal: p95 <= 100 ms at 50 connections, and at least 30 % of the bare page's requests
per second. Needs Debian's wrk (installed here with apt-get when running as root).
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
GOAL_P95_MS = 100
GOAL_RATIO = 0.3


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


def wrk(base: str, targets: list[tuple[str, str]], folder: Path, seconds: int, connections: int):
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


def prepare(url: str, secret_key: str) -> tuple[dict[str, int], list, list, str]:
    app = create_app(test_config(url, SECRET_KEY=secret_key))
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        population = populate(clock.now())
        counts = {**population.counts, "populate_seconds": round(time.perf_counter() - began)}
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            version = db.session.scalar(text("SHOW server_version"))
        else:
            version = db.session.scalar(text("SELECT sqlite_version()"))
        supervisors = [sign_in_token(person) for person in population.supervisors]
        supervisees = [
            (sign_in_token(person), process) for person, process in population.supervisees
        ]
        db.engine.dispose()
    return counts, supervisors, supervisees, f"{db_name(url)} {version}"


def db_name(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def measure(args: argparse.Namespace, url: str, folder: Path) -> None:
    # The pages measured are reads no rate limit applies to; with the limiter off, the
    # shipped config starts its four workers without a shared store.
    env = production_environment(folder, url, RATELIMIT_ENABLED=False)
    counts, supervisor_tokens, supervisee_tokens, database = prepare(url, env["OHJAAMO_SECRET_KEY"])
    print(f"database={database}")
    for name, value in counts.items():
        print(f"{name}={value}")
    service = GunicornNode(env, folder / "service.log", GUNICORN_OPTIONS)
    bare = GunicornNode(env, folder / "bare.log", GUNICORN_OPTIONS, app="bench.bare_app:app")
    service.start()
    bare.start()
    try:
        pages = {
            "bare": (bare.base, [("", "/")]),
            "booking": (
                service.base,
                [
                    (signed_in_cookie(service.base, token), f"/my/processes/{process}/book")
                    for token, process in supervisee_tokens[: args.supervisees]
                ],
            ),
            "week": (
                service.base,
                [
                    (signed_in_cookie(service.base, token), "/supervisor/week")
                    for token in supervisor_tokens
                ],
            ),
        }
        slots = []
        for cookie, path in pages["booking"][1]:
            status, body = fetch(service.base, cookie, path)
            assert status == 200, (status, path)
            slots.append(body.count('name="slot"'))
        print(f"booking_users={len(pages['booking'][1])}")
        print(f"booking_slots_offered_min={min(slots)}")
        print(f"week_users={len(pages['week'][1])}")
        print(f"cpus={os.cpu_count()}")
        print(f"load_average_at_start={os.getloadavg()[0]:.2f}")
        results = {}
        for name, (base, targets) in pages.items():
            wrk(base, targets, folder, args.warm_up, args.connections)
            results[name] = wrk(base, targets, folder, args.seconds, args.connections)
            for figure in ("rps", "p50_ms", "p95_ms", "p99_ms", "not_ok", "socket_errors"):
                print(f"{name}_{figure}={results[name][figure]:g}")
        for name in ("booking", "week"):
            ratio = results[name]["rps"] / results["bare"]["rps"]
            met = results[name]["p95_ms"] <= GOAL_P95_MS and ratio >= GOAL_RATIO
            print(f"{name}_ratio_to_bare={ratio:.2f}")
            print(f"{name}_goal_met={'yes' if met else 'no'}")
        print(f"load_average_at_end={os.getloadavg()[0]:.2f}")
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
        measure(args, url, folder)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
