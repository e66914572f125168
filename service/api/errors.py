"""Every error under the API prefix as an RFC 9457 problem document.

flask-smorest answers errors with its own JSON (`code`, `status`, `message`,
`errors`); its handler still does the reading (messages and headers passed to
`abort`, webargs validation errors), and the result is reshaped by `problem()`.
Other paths get the friendly pages of `service.web.errors`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

from apispec import APISpec
from flask import Flask, Response, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from service.api.schemas import ProblemSchema
from service.domain.errors import DomainError
from service.web.errors import page_for_domain_error, page_for_http_error
from service.web.problems import PROBLEM_JSON, problem

# flask-smorest's abort for the API's modules, with its type: the package ships none,
# and it always raises.
if TYPE_CHECKING:

    def abort(http_status_code: int, exc: Exception | None = None, **kwargs: Any) -> NoReturn: ...
else:
    from flask_smorest import abort as abort

INTERNAL_ERROR_DETAIL = "The server could not complete the request; the error has been logged."
INVALID_FIELDS_DETAIL = "Some fields are not valid; `errors` lists them by location and field."
BEARER_CHALLENGE = 'Bearer realm="Ohjaamo API"'


# Use-case errors by code; everything else a domain rule refuses is a 422.
DOMAIN_STATUS = {
    "not_found": HTTPStatus.NOT_FOUND,
    "forbidden": HTTPStatus.FORBIDDEN,
    "booking_conflict": HTTPStatus.CONFLICT,
    "too_late_to_change": HTTPStatus.CONFLICT,
    "stale_revision": HTTPStatus.PRECONDITION_FAILED,
    "process_state": HTTPStatus.CONFLICT,
    "agreement_state": HTTPStatus.CONFLICT,
    "evaluation_closed": HTTPStatus.CONFLICT,
    "session_not_over": HTTPStatus.CONFLICT,
    "not_a_party": HTTPStatus.FORBIDDEN,
    "link_invalid": HTTPStatus.GONE,
}


def register_error_handler(app: Flask, api: Api, prefix: str) -> None:
    """Take over flask-smorest's handler (registered by `init_app`) for `HTTPException`,
    and answer the use cases' errors under the prefix as problem documents."""

    def handle_http_exception(error: HTTPException) -> Response | tuple[str, int]:
        if not _under(request.path, prefix):
            return page_for_http_error(error)
        return problem_for(api, error)

    def handle_domain_error(error: DomainError) -> Response | tuple[str, int]:
        if not _under(request.path, prefix):
            return page_for_domain_error(error)
        return problem_for_domain(error)

    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)


def problem_for_domain(error: DomainError) -> Response:
    """`code` names the rule; the error's details (reasons, alternatives, field) follow."""
    status = DOMAIN_STATUS.get(error.code, HTTPStatus.UNPROCESSABLE_ENTITY)
    members = {key: value for key, value in error.to_dict().items() if key != "message"}
    return problem(status, error.message, **members)


def problem_for(api: Api, error: HTTPException) -> Response:
    payload, status, extra_headers = api.handle_http_exception(error)
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    headers.update(extra_headers or {})
    if status == HTTPStatus.UNAUTHORIZED:
        headers.setdefault("WWW-Authenticate", BEARER_CHALLENGE)
    if status == HTTPStatus.INTERNAL_SERVER_ERROR:
        return problem(status, INTERNAL_ERROR_DETAIL, headers=headers)
    members: dict[str, Any] = {}
    if "errors" in payload:
        members["errors"] = payload["errors"]
    if "message" in payload:
        detail = str(payload["message"])
    elif status == HTTPStatus.UNPROCESSABLE_ENTITY and members:
        detail = INVALID_FIELDS_DETAIL
    else:
        detail = error.description or HTTPStatus(status).phrase
    return problem(status, detail, headers=headers, **members)


def document_problems(spec: APISpec) -> None:
    """Describe error responses as problem documents instead of flask-smorest's JSON.

    flask-smorest registers a lazy response component per status and a default error
    response; registering them again under the same names replaces them. Its `Error`
    schema, which no answer has, goes.
    """
    spec.components.schemas.pop("Error", None)
    spec.components.schema("Problem", schema=ProblemSchema)
    for status in HTTPStatus:
        if status >= HTTPStatus.BAD_REQUEST:
            spec.components.response(status.name, _problem_response(status), lazy=True)
    spec.components.response(
        Api.DEFAULT_ERROR_RESPONSE_NAME,
        {"description": "An error", "content": {PROBLEM_JSON: {"schema": "Problem"}}},
        lazy=True,
    )


def _problem_response(status: HTTPStatus) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": status.phrase,
        "content": {PROBLEM_JSON: {"schema": "Problem"}},
    }
    if status == HTTPStatus.UNAUTHORIZED:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": "The bearer challenge (RFC 6750).",
                "schema": {"type": "string"},
            }
        }
    return response


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")
