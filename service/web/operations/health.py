"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from service.services.operations.health import readiness
from service.web.problems import problem

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive; nothing else is checked."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """Ready for traffic: the database answers and its schema is at the newest migration.
    The outbox's backlog is reported beside the checks without deciding readiness."""
    report = readiness()
    if report.ready:
        return jsonify(status="ready", checks=report.checks, outbox=report.outbox)
    detail = "; ".join(f"{name}: {state}" for name, state in report.checks.items())
    return problem(503, detail, checks=report.checks, outbox=report.outbox)
