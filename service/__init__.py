"""Ohjaamo: booking and process service for work supervision."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from service import database, i18n, outward, settings
from service.crypto import Vault
from service.extensions import db, init_migrations
from service.plugins import build_plugin_manager
from service.services.calendars import busy_cache

MIGRATIONS_DIRECTORY = str(Path(__file__).parent / "migrations")


def create_app(config: Mapping[str, Any] | None = None, *, http: bool = True) -> Flask:
    """Build an app: settings, safety check, extensions, plugins, blueprints.

    ``http=False`` leaves out the pages, the API and the migrations (their modules are
    never imported): the outbox worker renders emails and talks to calendars and room
    systems, and serves no requests and migrates nothing, so it stays smaller.
    """
    app = Flask(
        __name__, instance_path=str(settings.instance_path()), instance_relative_config=True
    )
    settings.load(app, config)
    settings.check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.extensions["ohjaamo.vault"] = Vault(app.config["ENCRYPTION_KEYS"])
    app.extensions[outward.EXTENSION] = outward.OutwardPolicy.from_settings(
        app.config["OUTWARD_ALLOWED_HOSTS"]
    )
    app.extensions[busy_cache.EXTENSION] = busy_cache.BusyCache(app.config["BUSY_CACHE_WEEKS"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    i18n.init_app(app)
    if http:
        init_migrations(app, MIGRATIONS_DIRECTORY)
    with app.app_context():
        database.configure_engine(app, db.engine)

    import service.models  # noqa: F401  (registers every table on the metadata)
    from service.services.worker.loop import WORK_EXTENSION
    from service.work import all_work

    pm = build_plugin_manager(app.config)
    app.extensions["ohjaamo.plugins"] = pm
    app.extensions[WORK_EXTENSION] = all_work()
    if http:
        _serve_http(app)
    pm.hook.ohjaamo_startup(app=app)
    pm.hook.ohjaamo_register_commands(cli=app.cli)
    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    return app


def _serve_http(app: Flask) -> None:
    from service.api import register_api
    from service.web import register_blueprints, request_ids, security_headers
    from service.web.operations import metrics

    request_ids.init_app(app)
    metrics.init_app(app)
    security_headers.init_app(app)
    register_blueprints(app)
    register_api(app)
    for blueprints in app.extensions["ohjaamo.plugins"].hook.ohjaamo_register_blueprints(app=app):
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint)
