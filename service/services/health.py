"""Readiness: can the service answer requests right now?"""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.extensions import db


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(state == "ok" for state in self.checks.values())


def head_revisions() -> set[str]:
    migrate: Migrate = current_app.extensions["migrate"].migrate
    config = migrate.get_config()
    return set(ScriptDirectory.from_config(config).get_heads())


def readiness() -> Readiness:
    checks: dict[str, str] = {}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        checks["database"] = f"unreachable ({type(error).__name__})"
        checks["migrations"] = "unknown"
        return Readiness(checks)
    heads = head_revisions()
    checks["migrations"] = "ok" if current == heads else "not at the newest migration"
    return Readiness(checks)
