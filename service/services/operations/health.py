"""Readiness: can the service answer requests right now?"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import clock
from service.extensions import db
from service.services.operations.monitoring import outbox_figures


@dataclass(frozen=True)
class Readiness:
    """``checks`` decide readiness; ``outbox`` is reported beside them. A worker that has
    fallen behind is an alert, not a reason to take every web node out of service."""

    checks: dict[str, str]
    outbox: dict[str, Any] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(state == "ok" for state in self.checks.values())


def script_directory() -> ScriptDirectory:
    migrate: Migrate = current_app.extensions["migrate"].migrate
    # The Flask-Migrate stubs do not derive its Config from alembic's, as it is.
    return ScriptDirectory.from_config(migrate.get_config())  # type: ignore[arg-type]


def head_revisions() -> set[str]:
    return set(script_directory().get_heads())


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
    return Readiness(checks, outbox=outbox_report() if checks["migrations"] == "ok" else {})


def outbox_report() -> dict[str, Any]:
    try:
        figures = outbox_figures(clock.now())
    except SQLAlchemyError as error:
        return {"state": f"unreadable ({type(error).__name__})"}
    finally:
        db.session.rollback()
    behind = figures.oldest_due_age_seconds > current_app.config["READYZ_OUTBOX_BEHIND_SECONDS"]
    return {
        "state": "behind" if behind else "ok",
        "due": figures.due,
        "dead": figures.by_state["dead"],
        "oldest_due_age_seconds": round(figures.oldest_due_age_seconds, 1),
    }
