"""WSGI entry point: `gunicorn wsgi:app`."""

from service import create_app
from service.logs import configure_logging

app = create_app()
configure_logging(app.config)
