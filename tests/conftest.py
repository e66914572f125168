"""Fixtures in the flaskr manner (`app`, `client`, `runner`), run against real databases.

Every test that uses `database_url` (directly or through `app`) runs once per backend
in OHJAAMO_TEST_BACKENDS (default: sqlite and postgresql). PostgreSQL is a throwaway
cluster started here; with CI=true a cluster that cannot start fails the run.

Every test runs at a set instant, never on the machine's date: `service_clock` moves
the clock to `tests.builders.NOW`, and the clock runs on from there; a test that needs
another day travels there (tests/test_hard_dates.py runs the journeys on the hardest).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import time_machine
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from service import create_app
from service.extensions import db
from service.outward import OutwardPolicy
from tests.builders import NOW
from tests.postgres import PostgresCluster, PostgresUnavailable

BACKENDS = [b for b in os.environ.get("OHJAAMO_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]
# What a backend built directly in a test is handed: the tests' servers are on loopback.
LOOPBACK_OUTWARD = OutwardPolicy.from_settings(LOOPBACK_HOSTS)


def test_config(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "ENCRYPTION_KEYS": [TEST_ENCRYPTION_KEY],
        # The tests' own servers (CalDAV, room API, webhook receivers) run on loopback.
        "OUTWARD_ALLOWED_HOSTS": LOOPBACK_HOSTS,
        **extra,
    }


test_config.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def service_clock() -> Iterator[time_machine.Traveller]:
    """The test's "now": `builders.NOW`, running on. A test moves it with
    `service_clock.shift` or `service_clock.move_to`, or with `time_machine.travel`."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" not in metafunc.fixturenames:
        return
    backends = BACKENDS
    for backend in ("sqlite", "postgresql"):
        if metafunc.definition.get_closest_marker(f"{backend}_only"):
            backends = [backend]
    metafunc.parametrize("database_url", backends, indirect=True, scope="session")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster()
        cluster.start()
    except PostgresUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL could not start under CI: {error}")
        pytest.skip(f"PostgreSQL could not start: {error}")
    yield cluster
    cluster.stop()


def migrated(url: str) -> str:
    app = create_app(test_config(url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of the backend named by the parameter."""
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("sqlite")
        return migrated(f"sqlite:///{folder / 'ohjaamo.sqlite3'}")
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return migrated(cluster.create_database("ohjaamo_test"))


def empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        return
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(test_config(database_url))
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
