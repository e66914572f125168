"""Both databases: schema at the newest migration, UTC instants, SQLite pragmas, and the
PostgreSQL exclusion constraint that makes double booking impossible."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from service.database import IMMEDIATE
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    Person,
    ProcessMode,
    RoomReservation,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
    SupervisorProfile,
)
from service.models.organisation import Organisation, Room

T0 = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def make_supervisor(email: str = "s@example.test") -> SupervisorProfile:
    person = Person(name="Supervisor", email=email)
    profile = SupervisorProfile(person=person, slug=email.split("@")[0])
    db.session.add(profile)
    db.session.flush()
    return profile


def make_session(supervisor: SupervisorProfile, code: str) -> SupervisionSession:
    process = SupervisionProcess(code=code, mode=ProcessMode.INDIVIDUAL, supervisor=supervisor)
    session = SupervisionSession(
        process=process,
        kind=SessionKind.INDIVIDUAL,
        starts_at=T0,
        ends_at=T0 + minutes(90),
        place_kind=PlaceKind.REMOTE,
    )
    db.session.add(session)
    db.session.flush()
    return session


def hold(
    supervisor: SupervisorProfile,
    session: SupervisionSession,
    start: dt.datetime,
    end: dt.datetime,
    active: bool = True,
) -> SupervisorHold:
    return SupervisorHold(
        supervisor_id=supervisor.id,
        session_id=session.id,
        starts_at=start,
        ends_at=end,
        active=active,
    )


def test_schema_matches_the_models_after_migrating(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_readyz_reports_ready_on_a_migrated_database(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "migrations": "ok"}


def test_healthz_answers(client) -> None:
    assert client.get("/healthz").json == {"status": "ok"}


def test_instants_come_back_utc_aware(app: Flask) -> None:
    helsinki = dt.datetime(2027, 10, 31, 3, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    with app.app_context():
        supervisor = make_supervisor()
        session = make_session(supervisor, "TY-UTC1")
        session.starts_at = helsinki
        session.ends_at = helsinki + minutes(60)
        db.session.commit()
        db.session.expire_all()
        loaded = db.session.get(SupervisionSession, session.id)
        assert loaded.starts_at.tzinfo is not None
        assert loaded.starts_at.utcoffset() == dt.timedelta(0)
        # 03:30 occurs twice that night; fold=0 is the first, summer-time one (UTC+3).
        assert loaded.starts_at == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)


def test_naive_instants_are_refused(app: Flask) -> None:
    with app.app_context():
        supervisor = make_supervisor()
        session = make_session(supervisor, "TY-NAIV")
        session.starts_at = dt.datetime(2027, 1, 1, 10, 0)
        with pytest.raises(StatementError, match="naive datetime"):
            db.session.flush()
        db.session.rollback()


def test_foreign_keys_are_enforced(app: Flask) -> None:
    with app.app_context():
        db.session.add(
            SupervisorHold(
                supervisor_id=uuid.uuid4(),
                session_id=uuid.uuid4(),
                starts_at=T0,
                ends_at=T0 + minutes(30),
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            assert connection.dialect.name == "postgresql"
            return
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        timeout_ms = app.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 1000
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == timeout_ms


@pytest.mark.sqlite_only
def test_sqlite_immediate_transaction_takes_the_write_lock_first(database_url: str) -> None:
    """A second IMMEDIATE transaction cannot start while the first holds the lock, so a
    check made inside the first cannot be invalidated before it commits."""
    from service import database

    first_engine = create_engine(database_url)
    second_engine = create_engine(database_url, connect_args={"timeout": 0.2})
    database.configure_sqlite(first_engine, busy_timeout_seconds=0.2)
    database.configure_sqlite(second_engine, busy_timeout_seconds=0.2)
    with first_engine.connect().execution_options(**{IMMEDIATE: True}) as first:
        first.begin()
        with (
            second_engine.connect().execution_options(**{IMMEDIATE: True}) as second,
            pytest.raises(OperationalError, match="locked"),
        ):
            second.begin()
        first.rollback()
    with second_engine.connect().execution_options(**{IMMEDIATE: True}) as second:
        second.begin()
        second.execute(text("SELECT 1"))
        second.rollback()
    first_engine.dispose()
    second_engine.dispose()


@pytest.mark.postgresql_only
def test_exclusion_constraint_rejects_overlapping_active_supervisor_holds(app: Flask) -> None:
    with app.app_context():
        supervisor = make_supervisor()
        first = make_session(supervisor, "TY-EX01")
        second = make_session(supervisor, "TY-EX02")
        db.session.add(hold(supervisor, first, T0, T0 + minutes(90)))
        db.session.commit()
        db.session.add(hold(supervisor, second, T0 + minutes(60), T0 + minutes(150)))
        with pytest.raises(IntegrityError, match="ex_supervisor_hold_no_overlap"):
            db.session.commit()
        db.session.rollback()


@pytest.mark.postgresql_only
def test_exclusion_constraint_allows_back_to_back_inactive_and_other_supervisors(
    app: Flask,
) -> None:
    with app.app_context():
        supervisor = make_supervisor()
        other = make_supervisor("other@example.test")
        first = make_session(supervisor, "TY-EX11")
        second = make_session(supervisor, "TY-EX12")
        third = make_session(other, "TY-EX13")
        db.session.add_all(
            [
                hold(supervisor, first, T0, T0 + minutes(90)),
                hold(supervisor, second, T0 + minutes(90), T0 + minutes(180)),  # half-open
                hold(supervisor, second, T0 + minutes(30), T0 + minutes(60), active=False),
                hold(other, third, T0, T0 + minutes(90)),
            ]
        )
        db.session.commit()
        assert db.session.query(SupervisorHold).count() == 4


@pytest.mark.postgresql_only
def test_exclusion_constraint_rejects_overlapping_active_room_reservations(app: Flask) -> None:
    with app.app_context():
        supervisor = make_supervisor()
        organisation = Organisation(name="Org")
        room = Room(organisation=organisation, name="Kuusi", capacity=8)
        db.session.add(room)
        first = make_session(supervisor, "TY-RM01")
        second = make_session(supervisor, "TY-RM02")
        db.session.flush()
        db.session.add(
            RoomReservation(
                room_id=room.id, session_id=first.id, starts_at=T0, ends_at=T0 + minutes(90)
            )
        )
        db.session.commit()
        db.session.add(
            RoomReservation(
                room_id=room.id,
                session_id=second.id,
                starts_at=T0 + minutes(89),
                ends_at=T0 + minutes(120),
            )
        )
        with pytest.raises(IntegrityError, match="ex_room_reservation_no_overlap"):
            db.session.commit()
        db.session.rollback()


def test_a_database_error_names_the_statement_not_the_values(app: Flask) -> None:
    """Errors end in logs and tracebacks: the values written are people's data."""
    with app.app_context():
        db.session.add(Person(name="Salainen Nimi", email="same@example.test"))
        db.session.commit()
        db.session.add(Person(name="Toinen Salainen", email="same@example.test"))
        with pytest.raises(IntegrityError) as refused:
            db.session.commit()
        db.session.rollback()
    assert "INSERT INTO person" in str(refused.value)
    assert "Toinen Salainen" not in str(refused.value)


def test_every_schedule_version_trigger_is_there_at_the_head(app: Flask) -> None:
    """A migration that rebuilds a table on SQLite drops its triggers: the version that
    keeps offers fresh would then stay still while the schedule changes."""
    versions = importlib.import_module("service.migrations.versions.0010_schedule_versions")
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        if sqlite:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        present = set(db.session.execute(text(query)).scalars())
    expected = {"raise_schedule_version_from_rules"}
    for table, target, _ in versions.RAISERS:
        name = f"raise_{versions.VERSION[target]}_from_{table}"
        if sqlite:
            expected |= {f"{name}_{event}" for event in ("insert", "update", "delete")}
        else:
            expected |= {
                f"{name}_{event}"
                for event in ("insert_new", "update_new", "update_old", "delete_old")
            }
    assert expected <= present, sorted(expected - present)
