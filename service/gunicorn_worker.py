"""The gunicorn worker of a web node: gunicorn's threaded worker whose own error answers
(a request line or headers too long, a malformed request) are RFC 9457 problem
documents like the app's, instead of gunicorn's HTML page.

gunicorn writes those answers with `gunicorn.util.write_error` before any request
reaches the app; the worker replaces that function in its own process when it starts.
config/gunicorn.conf.py and `make run` name this class as the worker.
"""

from __future__ import annotations

import json
import socket

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

PROBLEM_JSON = "application/problem+json"


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error answer, as a problem document."""
    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status_int, "detail": mesg or reason}
    ).encode("utf-8")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {PROBLEM_JSON}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class ProblemThreadWorker(ThreadWorker):
    def init_process(self) -> None:
        util.write_error = write_problem
        super().init_process()
