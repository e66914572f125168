"""Rate limits that mean what they say under gunicorn: `make run` serves from one
process whose threads share the counts, and the shipped gunicorn config refuses several
workers that would each count apart. (Several nodes sharing Redis: tests/soak.)"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from service.settings import UnsafeConfigurationError, check_rate_limit_store
from tests.fixtures.gunicorn import (
    ROOT,
    GunicornNode,
    make_run_gunicorn_options,
    production_environment,
)

GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def link_requests(base: str, count: int) -> list[int]:
    """Ask `/sign-in` for a link ``count`` times, as one browser; the statuses. Every
    connection is opened before the first request is sent, so each process of the node
    is waiting on one of them and they take the requests in turn."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    first = http.client.HTTPConnection(host, int(port), timeout=10)
    first.request("GET", "/sign-in")
    page = first.getresponse()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = TOKEN.search(page.read().decode()).group(1)
    first.close()
    body = urllib.parse.urlencode({"csrf_token": token, "email": "nobody@example.test"})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connections = [http.client.HTTPConnection(host, int(port), timeout=30) for _ in range(count)]
    for connection in connections:
        connection.connect()
    statuses = []
    for connection in connections:
        connection.request("POST", "/sign-in", body, headers)
        statuses.append(connection.getresponse().status)
        connection.close()
    return statuses


def test_make_run_counts_a_limit_once_for_the_whole_node(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ohjaamo.sqlite3'}"
    env = production_environment(tmp_path, url, SESSION_COOKIE_SECURE=False)
    ohjaamo = str(Path(sys.executable).parent / "ohjaamo")
    subprocess.run([ohjaamo, "db", "upgrade"], env=env, check=True, capture_output=True)
    node = GunicornNode(env, tmp_path / "gunicorn.log", tuple(make_run_gunicorn_options()))
    node.start()
    try:
        statuses = link_requests(node.base, 12)
    finally:
        node.stop()
    assert statuses.count(200) == 5, (statuses, node.log())  # RATE_LIMIT_PUBLIC_FORMS
    assert statuses.count(429) == 7


def test_the_shipped_config_refuses_workers_that_count_apart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ohjaamo.sqlite3'}"
    node = GunicornNode(
        production_environment(tmp_path, url),
        tmp_path / "gunicorn.log",
        ("-c", str(GUNICORN_CONFIG), "--workers", "2"),
    )
    node.launch()
    try:
        deadline = time.monotonic() + 30
        while node.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert node.process.poll() not in (None, 0), node.log()
    finally:
        node.stop()
    assert "RATELIMIT_STORAGE_URI" in node.log()


def test_one_worker_or_a_shared_store_is_accepted() -> None:
    production = {"TESTING": False, "RATELIMIT_ENABLED": True}
    check_rate_limit_store({**production, "RATELIMIT_STORAGE_URI": "memory://"}, 1)
    check_rate_limit_store({**production, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1/0"}, 8)
    try:
        check_rate_limit_store({**production, "RATELIMIT_STORAGE_URI": "memory://"}, 2)
    except UnsafeConfigurationError as refused:
        assert "RATELIMIT_STORAGE_URI" in str(refused)
    else:
        raise AssertionError("two workers with memory:// were accepted")
