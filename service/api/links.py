"""OpenAPI links: how one operation's answer feeds the next (a created booking's id to
read, move and cancel it...). Clients and Schemathesis's stateful tests follow them.
Also the plain HTTP link of a new resource: `created`'s Location header."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from service.api import API_PREFIX


def created(document: dict[str, Any], location: str) -> Response:
    """A 201 answer carrying the new resource and where it lives."""
    response = jsonify(document)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def operation_ref(path: str, method: str) -> str:
    """A JSON pointer to an operation of this document (`~1` is an escaped slash)."""
    return "#/paths/" + (API_PREFIX + path).replace("~", "~0").replace("/", "~1") + "/" + method


def links(status: int, **targets: tuple[str, str, dict[str, str]]) -> dict[str, Any]:
    """`bp.doc` keywords adding links to the `status` response: each target is
    (path, method, parameters as runtime expressions)."""
    return {
        "responses": {
            status: {
                "links": {
                    name: {"operationRef": operation_ref(path, method), "parameters": parameters}
                    for name, (path, method, parameters) in targets.items()
                }
            }
        }
    }
