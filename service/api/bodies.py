"""The API's blueprints, whose operations with a request body take JSON and nothing else.

flask-smorest reads a body with webargs, which takes a body that is not JSON, or none at
all, for "no fields given": a form post or an empty POST was read as `{}`, and an
operation whose fields all have defaults (a calendar feed) acted on it. Here a body in
another content type answers 415 and a missing body 422, both as problem documents and
both after the token is checked (the parser runs inside the view's decorators).
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from flask_smorest import abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser, is_json_request


class JSONBodyParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        if not req.get_data(cache=True).strip():
            abort(422, message="Send a JSON object as the body; it is required.")
        if not is_json_request(req):
            abort(415, message="Send the body as JSON, with Content-Type: application/json.")
        return super().load_json(req, schema)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with `JSONBodyParser`; every API module uses it."""

    ARGUMENTS_PARSER = JSONBodyParser()
