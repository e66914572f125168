"""Flask extensions, created unbound here and bound to each app with `init_app`."""

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from service.models.base import Base

db = SQLAlchemy(model_class=Base)


def init_migrations(app: Flask, directory: str) -> None:
    """Flask-Migrate for ``ohjaamo db`` and the readiness check. Imported here, when an
    app asks for it: with Alembic it is some 11 MB that the outbox worker never uses."""
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True).init_app(app, db, directory=directory)
