"""Log lines as JSON objects, one a line, each with the request id it belongs to.

The servers (``wsgi.py``) and the worker call ``configure_logging`` once at start. Log
messages carry identifiers, kinds and error class names only: never a name, an email
address, a note, an answer, a password or a token.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import IO, Any

from pythonjsonlogger.json import JsonFormatter

from service.request_ids import current_request_id

FIELDS = ("asctime", "levelname", "name", "message")
# Marks the handler this module installs, so a second call replaces it.
HANDLER_MARK = "_ohjaamo_handler"


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``None`` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        list(FIELDS),
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def text_formatter() -> logging.Formatter:
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s")


def configure_logging(
    config: Mapping[str, Any], *, level: str | None = None, stream: IO[str] | None = None
) -> logging.Handler:
    """Send the root logger's records to ``stream`` (standard error) as LOG_FORMAT says,
    from ``level`` (default LOG_LEVEL) up."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(json_formatter() if config["LOG_FORMAT"] == "json" else text_formatter())
    setattr(handler, HANDLER_MARK, True)
    root = logging.getLogger()
    for existing in [h for h in root.handlers if getattr(h, HANDLER_MARK, False)]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level or config["LOG_LEVEL"])
    return handler
