"""Backing up and restoring an SQLite database with SQLite's online backup API.

A backup is a consistent copy taken while the service runs (readers and writers carry
on). It is written beside its target and renamed into place only once it is complete
and passes SQLite's integrity check, so a failed backup leaves no file that looks like
one. PostgreSQL is backed up with ``pg_dump`` (see docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import inspect

from service.extensions import db
from service.services.operations.health import script_directory

PG_DUMP_HINT = (
    "The database is PostgreSQL: back it up with pg_dump --format=custom and restore it "
    "with pg_restore (docs/operations.md, Backups)."
)


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; nothing was written."""


@dataclass(frozen=True)
class BackupFacts:
    path: Path
    revision: str | None
    size_bytes: int


def backup(target: Path) -> BackupFacts:
    _require_sqlite()
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder.")
    partial = target.with_name(target.name + ".partial")
    try:
        with closing(sqlite3.connect(partial)) as copy:
            live = db.engine.raw_connection()
            try:
                # SQLAlchemy types the driver's connection as any DBAPI's, or none
                cast(sqlite3.Connection, live.driver_connection).backup(copy)
            finally:
                live.close()
            copy.execute("PRAGMA journal_mode=DELETE")
        revision = inspect_backup(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupFacts(target, revision, target.stat().st_size)


def inspect_backup(path: Path) -> str:
    """The backup's migration revision, after SQLite's integrity check; raises
    ``BackupError`` for anything that is not an intact Ohjaamo database of a known
    revision."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise BackupError(f"{path} is damaged: {check}")
            rows = copy.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an Ohjaamo SQLite database ({error}).") from None
    if len(rows) != 1:
        raise BackupError(f"{path} is not an Ohjaamo SQLite database (no migration revision).")
    revision = rows[0][0]
    if revision not in known_revisions():
        raise BackupError(f"{path} is of revision {revision}, unknown to this Ohjaamo (newer?).")
    return revision


def restore(source: Path) -> str:
    """Replace the whole database with the backup; returns the backup's revision."""
    _require_sqlite()
    revision = inspect_backup(source)
    db.session.remove()
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy:
        live = db.engine.raw_connection()
        try:
            # SQLAlchemy types the driver's connection as any DBAPI's, or none
            copy.backup(cast(sqlite3.Connection, live.driver_connection))
        finally:
            live.close()
    db.engine.dispose()
    return revision


def holds_data() -> bool:
    """Whether the database has been migrated (a restore would replace something)."""
    return inspect(db.engine).has_table("alembic_version")


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def _require_sqlite() -> None:
    if db.engine.dialect.name != "sqlite":
        raise BackupError(PG_DUMP_HINT)
