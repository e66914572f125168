"""The API's blueprints, whose operations take exactly what the document says: a body
in JSON and nothing else, and no query parameter it does not name.

flask-smorest reads a body with webargs, which takes a body that is not JSON, or none at
all, for "no fields given": a form post or an empty POST was read as `{}`, and an
operation whose fields all have defaults (a calendar feed) acted on it. Here a body in
another content type answers 415 and a missing body 422, both as problem documents and
both after the token is checked (the parser runs inside the view's decorators). An
unknown query parameter (a misspelt `form=` for `from=`) is refused with 422 rather than
ignored.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from marshmallow import RAISE, Schema
from webargs.flaskparser import FlaskParser, is_json_request

from service.api.errors import abort


class ArgumentsParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012 (webargs' own class setting)
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def load_json(self, req: Request, schema: Schema) -> Any:
        if not req.get_data(cache=True).strip():
            abort(422, message="Send a JSON object as the body; it is required.")
        if not is_json_request(req):
            abort(415, message="Send the body as JSON, with Content-Type: application/json.")
        return super().load_json(req, schema)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with `ArgumentsParser`; every API module uses it."""

    ARGUMENTS_PARSER = ArgumentsParser()
