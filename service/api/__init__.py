"""The REST API under /api/v1: flask-smorest blueprints, problem documents, bearer tokens.

Blueprints are imported inside `register_api`, so importing this package (as
`service/__init__.py` does) pulls in no use cases or models.
"""

from __future__ import annotations

from flask import Flask

from service.http_extensions import api
from service.settings import UnsafeConfigurationError

API_PREFIX = "/api/v1"
SPEC_EXTENSION = "ohjaamo.openapi"
# flask-smorest's documentation pages load their scripts from third-party CDNs.
CDN_PAGE_SETTINGS = ("OPENAPI_SWAGGER_UI_PATH", "OPENAPI_REDOC_PATH", "OPENAPI_RAPIDOC_PATH")


def register_api(app: Flask) -> None:
    """Bind the API to the app: its blueprints, error handling, OpenAPI document, docs page."""
    from service.api import (
        agreements,
        bookings,
        docs,
        feeds,
        forming,
        me,
        processes,
        reports,
        rooms,
        sessions,
        slots,
        supervisors,
        webhooks,
    )
    from service.api.auth import document_security
    from service.api.errors import document_problems, register_error_handler

    enabled = [name for name in CDN_PAGE_SETTINGS if app.config.get(name)]
    if enabled:
        raise UnsafeConfigurationError(
            f"Unset {', '.join(enabled)}: those pages run scripts from third-party CDNs. "
            f"Ohjaamo serves its own API documentation at {API_PREFIX}/docs."
        )
    api.init_app(app)
    register_error_handler(app, api, API_PREFIX)
    document_problems(api.spec)
    document_security(api.spec)
    api.register_blueprint(supervisors.bp)
    api.register_blueprint(me.bp)
    api.register_blueprint(slots.bp)
    api.register_blueprint(bookings.bp)
    api.register_blueprint(processes.bp)
    api.register_blueprint(agreements.bp)
    api.register_blueprint(sessions.bp)
    api.register_blueprint(reports.bp)
    api.register_blueprint(rooms.bp)
    api.register_blueprint(webhooks.bp)
    api.register_blueprint(feeds.bp)
    api.register_blueprint(forming.bp)
    # `api` is shared by every app of the process (tests build many) and keeps only the
    # latest app's spec, so each app keeps its own and serves that.
    app.extensions[SPEC_EXTENSION] = api.spec
    docs.register(app)
