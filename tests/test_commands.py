"""The `ohjaamo` commands and serving the app with gunicorn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from service import clock
from service.cli import cli
from service.crypto import vault
from service.domain.intervals import Interval
from service.domain.reports import Outcome
from service.extensions import db
from service.models import (
    Organisation,
    ProcessMode,
    ProcessStatus,
    Room,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
    WorkingHours,
)
from service.services.auth import Principal
from service.services.booking.slots import SlotQuery, search_slots
from service.services.orderer.reports import process_report
from tests.fixtures.gunicorn import get_json, gunicorn
from tests.postgres import free_port


def test_demo_loads_a_supervisor_two_organisations_and_four_processes(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "aino.virtanen@tyonohjaus.example" in result.output
    with app.app_context():
        processes = db.session.scalars(select(SupervisionProcess)).all()
        assert {(p.mode, p.status) for p in processes} == {
            (ProcessMode.INDIVIDUAL, ProcessStatus.ACTIVE),
            (ProcessMode.GROUP, ProcessStatus.AGREEMENT_SENT),
            (ProcessMode.WORK_COMMUNITY, ProcessStatus.ASSESSMENT_BOOKED),
            (ProcessMode.INDIVIDUAL, ProcessStatus.ASSESSMENT_BOOKED),
        }
        work_community = next(p for p in processes if p.mode is ProcessMode.WORK_COMMUNITY)
        assert any(participant.is_manager for participant in work_community.participants)
        organisations = db.session.scalars(select(Organisation)).all()
        assert len(organisations) == 2
        for organisation in organisations:
            assert (
                db.session.scalar(
                    select(func.count())
                    .select_from(Room)
                    .where(Room.organisation_id == organisation.id)
                )
                >= 2
            )
        assert db.session.scalar(select(func.count()).select_from(WorkingHours)) == 5
        assert db.session.scalar(select(func.count()).select_from(SupervisorHold)) >= 4
        # The orderer's report has figures: sessions held, one cancelled late and charged.
        individual = next(
            p
            for p in processes
            if p.mode is ProcessMode.INDIVIDUAL and p.status is ProcessStatus.ACTIVE
        )
        mikko = Principal(person_id=individual.orderer_contact_id)
        report = process_report(mikko, individual.id, now=clock.now())
        assert report.figures.counts[Outcome.HELD] >= 1
        assert report.figures.counts[Outcome.CANCELLED_CHARGED] == 1
        # The client books her next session herself: times are offered.
        laura = Principal(person_id=individual.participants[0].person_id)
        now = clock.now()
        window = Interval(now, now + dt.timedelta(days=62))
        assert search_slots(laura, SlotQuery(window=window, process_id=individual.id), now)


def test_demo_notes_are_encrypted_at_rest(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(cli, ["demo"])
    with app.app_context():
        notes = db.session.scalars(
            select(SupervisionSession.notes_encrypted).where(
                SupervisionSession.notes_encrypted.is_not(None)
            )
        ).all()
        assert notes
        for ciphertext in notes:
            assert b"Demomuistiinpano" not in ciphertext
            assert vault().decrypt(ciphertext).startswith("Demomuistiinpano")


def test_demo_twice_changes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(cli, ["demo"])
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupervisionProcess)) == 4


def test_plugins_command_lists_the_builtin_email_plugin(runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    assert "plugins.email_smtp: ohjaamo_send_email" in result.output


def test_gunicorn_serves_the_app_from_wsgi(database_url: str, tmp_path: Path) -> None:
    with gunicorn(database_url, tmp_path) as base:
        assert get_json(f"{base}/healthz") == (200, {"status": "ok"})
        status, body = get_json(f"{base}/readyz")
        assert status == 200, body


def test_readyz_is_a_problem_document_when_migrations_are_missing(tmp_path: Path) -> None:
    from service import create_app
    from tests.conftest import test_config

    app = create_app(test_config(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json["checks"]["migrations"] == "not at the newest migration"


def test_readyz_reports_an_unreachable_database(tmp_path: Path) -> None:
    from service import create_app
    from tests.conftest import test_config

    closed = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    app = create_app(test_config(closed))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("unreachable")
