"""Bearer-token authentication for API views, and its description in the OpenAPI document.

A view takes a token with `@token_required(READ)` or `@token_required(WRITE)`.
Whatever a view declares, a request that changes something (any method but GET,
HEAD and OPTIONS) needs the write scope. Place the decorator under the route and
above `arguments`, so a request without a token is refused before its body is read.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any, TypeVar, cast

from apispec import APISpec
from flask import g, request

from service.api.errors import BEARER_CHALLENGE, abort
from service.services.accounts.tokens import READ, WRITE, authenticate
from service.services.auth import Principal

SECURITY_SCHEME = "bearerToken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = TypeVar("View", bound=Callable[..., Any])


def document_security(spec: APISpec) -> None:
    spec.components.security_scheme(
        SECURITY_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`ohj_…`) from `ohjaamo tokens create`, sent as "
            "`Authorization: Bearer <token>`. Scopes: `read`; `write` for every request "
            "that changes something.",
        },
    )


def token_required(scope: str) -> Callable[[View], View]:
    """Refuse the request without a valid token (401) or without `scope` (403)."""
    if scope not in (READ, WRITE):
        raise ValueError(f"unknown scope {scope!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = _authenticated_principal()
            needed = {scope} if request.method in SAFE_METHODS else {scope, WRITE}
            missing = needed - principal.scopes
            if missing:
                abort(
                    403,
                    message=f"The token lacks the {', '.join(sorted(missing))} scope.",
                    headers={
                        "WWW-Authenticate": f'{BEARER_CHALLENGE}, error="insufficient_scope", '
                        f'scope="{" ".join(sorted(needed))}"'
                    },
                )
            g.principal = principal
            return view(*args, **kwargs)

        # Documented the way flask-smorest's own `Blueprint.doc` stores manual documentation.
        apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = [{SECURITY_SCHEME: [scope]}]
        manual.setdefault("responses", {}).update({401: "UNAUTHORIZED", 403: "FORBIDDEN"})
        wrapper._apidoc = apidoc  # type: ignore[attr-defined]
        return cast(View, wrapper)

    return decorator


def current_principal() -> Principal:
    """The principal of a view decorated with `token_required`."""
    principal = g.get("principal")
    if principal is None:
        raise RuntimeError("current_principal() outside a view decorated with token_required")
    return cast(Principal, principal)


def _authenticated_principal() -> Principal:
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer" or not authorization.token:
        abort(401, message="This needs an API token: send `Authorization: Bearer <token>`.")
    principal = authenticate(authorization.token)
    if principal is None:
        abort(
            401,
            message="The API token is not valid: it is unknown, revoked or malformed.",
            headers={"WWW-Authenticate": f'{BEARER_CHALLENGE}, error="invalid_token"'},
        )
    return principal


def optional_principal() -> Principal | None:
    """The principal when a token is sent (an invalid token is still a 401), else None."""
    if request.authorization is None:
        return None
    principal = _authenticated_principal()
    g.principal = principal
    return principal
