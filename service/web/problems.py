"""RFC 9457 problem documents (`application/problem+json`)."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, jsonify

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    response = jsonify(
        type=type_, title=HTTPStatus(status).phrase, status=status, detail=detail, **extra
    )
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
