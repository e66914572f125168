"""Every request gets an id (the client's or proxy's X-Request-ID, or a fresh one),
bound for the request's work and returned in the X-Request-ID response header."""

from __future__ import annotations

from flask import Flask, Response, g, request

from service import request_ids

HEADER = "X-Request-ID"


def init_app(app: Flask) -> None:
    app.before_request(_bind)
    app.after_request(_answer)
    app.teardown_request(_unbind)


def _bind() -> None:
    g.request_id = request_ids.accept(request.headers.get(HEADER))
    g.request_id_token = request_ids.bind(g.request_id)


def _answer(response: Response) -> Response:
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


def _unbind(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_ids.unbind(token)
