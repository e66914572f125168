"""Rate limits of the API: per token, and per client address for requests without one.

The key is a digest of the presented token, so the store never holds a token and every
token, whatever its person, has its own budget (RATE_LIMIT_API).
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from service.api.bodies import Blueprint
from service.http_extensions import limiter


def rate_key() -> str:
    authorization = request.authorization
    if authorization is not None and authorization.type == "bearer" and authorization.token:
        return "token:" + hashlib.sha256(authorization.token.encode()).hexdigest()[:32]
    return "address:" + get_remote_address()


def _api_limit() -> str:
    return current_app.config["RATE_LIMIT_API"]


def rate_limited(blueprint: Blueprint) -> Blueprint:
    """Put the blueprint's every route under the API limit; call once, where it is made."""
    limiter.shared_limit(_api_limit, scope="api", key_func=rate_key)(blueprint)
    return blueprint
