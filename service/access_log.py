"""gunicorn's access log as one JSON object per line (`logger_class` in
config/gunicorn.conf.py).

Sign-in and confirmation links carry their secret in the path, so a path segment that
looks like a token (long, and not a UUID) is written as ``[token]``, and query strings
are left out. Request ids come from the ``X-Request-ID`` header (nginx sets one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, MutableMapping
from typing import Any

from gunicorn.glogging import Logger

UUID_SEGMENT = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
TOKEN_LENGTH = 24


def redacted_path(path: str) -> str:
    """The path with every token-like segment replaced by ``[token]``."""
    return "/".join(
        "[token]" if len(part) >= TOKEN_LENGTH and not UUID_SEGMENT.match(part) else part
        for part in path.split("/")
    )


def access_record(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """What one request leaves in the log, from gunicorn's atoms."""
    return {
        "time": atoms["t"],
        "remote": atoms["h"],
        "method": atoms["m"],
        "path": redacted_path(atoms["U"] or ""),
        "status": int(atoms["s"]),
        "bytes": atoms["B"] or 0,
        "duration_ms": round(atoms["D"] / 1000, 3),
        "request_id": atoms.get("{x-request-id}i") or atoms.get("{x-request-id}o"),
        "forwarded_for": atoms.get("{x-forwarded-for}i"),
        "user_agent": atoms["a"],
        "pid": atoms["p"],
    }


class JsonAccessLogger(Logger):
    def access(
        self, resp: Any, req: Any, environ: MutableMapping[str, Any], request_time: Any
    ) -> None:
        if not self.access_log_enabled:
            return
        record = access_record(self.atoms(resp, req, environ, request_time))
        self.access_log.info(json.dumps(record, ensure_ascii=False))
