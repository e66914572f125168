"""Engine set-up per backend: SQLite pragmas and explicit transaction begins."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

IMMEDIATE = "sqlite_immediate"


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """Statement parameters are people's data: a database error (and the log line or
    traceback made of it) names the statement only."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        return {
            "connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT_SECONDS"]},
            "hide_parameters": True,
        }
    return {
        "hide_parameters": True,
        # A connection the server dropped (a restart, a failover) is replaced at checkout
        # instead of failing the request that drew it.
        "pool_pre_ping": True,
        "pool_size": config["DATABASE_POOL_SIZE"],
        "max_overflow": config["DATABASE_MAX_OVERFLOW"],
        "pool_timeout": config["DATABASE_POOL_TIMEOUT_SECONDS"],
        "pool_recycle": config["DATABASE_POOL_RECYCLE_SECONDS"],
        "connect_args": {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT_SECONDS"]},
    }


def configure_engine(app: Flask, engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_SECONDS"])


def configure_sqlite(engine: Engine, busy_timeout_seconds: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN issued by us rather than pysqlite.

    pysqlite's own transaction handling starts transactions lazily and cannot start an
    IMMEDIATE one, so we take it over (the recipe in SQLAlchemy's SQLite notes). A
    connection opened with the execution option `sqlite_immediate=True` begins with
    `BEGIN IMMEDIATE`: it takes the write lock first, so a check made inside the
    transaction cannot be invalidated by another writer before it commits.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
