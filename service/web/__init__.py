"""HTTP pages and endpoints: parse, authenticate, call a use case, render."""

from flask import Flask

from service.web.health import bp as health_bp


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(health_bp)
