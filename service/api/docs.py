"""The API documentation page, rendered on the server from the app's OpenAPI document.

Nothing is loaded from elsewhere and no script runs: the page is plain HTML with one
local stylesheet, built from the same document `/api/v1/openapi.json` serves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apispec import APISpec
from flask import Blueprint, Flask, Response, current_app, render_template, url_for
from markupsafe import Markup, escape

from service.api import API_PREFIX, SPEC_EXTENSION

SMOREST_JSON_ENDPOINT = "api-docs.openapi_json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

bp = Blueprint(
    "api_docs",
    __name__,
    url_prefix=API_PREFIX,
    template_folder="templates",
    static_folder="static",
    static_url_path="/docs/static",
)


@dataclass(frozen=True)
class TypePart:
    """A piece of a type's description; `ref` names a schema the page describes."""

    text: str
    ref: bool = False


@dataclass(frozen=True)
class Field:
    name: str
    type: tuple[TypePart, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    type: tuple[TypePart, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class Body:
    content_type: str
    type: tuple[TypePart, ...]
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Reply:
    status: str
    description: str
    bodies: tuple[Body, ...]
    headers: tuple[Field, ...]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    scopes: tuple[str, ...] | None
    parameters: tuple[Parameter, ...]
    request_bodies: tuple[Body, ...]
    replies: tuple[Reply, ...]


@dataclass(frozen=True)
class Section:
    tag: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SchemaDoc:
    name: str
    description: str
    type: tuple[TypePart, ...]
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class ApiDoc:
    title: str
    version: str
    openapi: str
    sections: tuple[Section, ...]
    schemas: tuple[SchemaDoc, ...]
    security: tuple[tuple[str, str], ...]


@bp.app_template_filter("inline_code")
def inline_code(text: str) -> Markup:
    """Escape `text` and show its `backtick` spans (CommonMark code spans) as code."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:
        return escape(text)
    code = Markup("<code>{}</code>")
    return Markup("").join(
        code.format(piece) if index % 2 else escape(piece) for index, piece in enumerate(pieces)
    )


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    if SMOREST_JSON_ENDPOINT in app.view_functions:
        app.view_functions[SMOREST_JSON_ENDPOINT] = openapi_json


def current_spec() -> dict[str, Any]:
    spec: APISpec = current_app.extensions[SPEC_EXTENSION]
    return spec.to_dict()


def openapi_json() -> Response:
    """The OpenAPI document of this app (replaces flask-smorest's view of the same URL)."""
    return current_app.response_class(
        json.dumps(current_spec(), indent=2, ensure_ascii=False), mimetype="application/json"
    )


@bp.get("/docs")
def docs_page() -> str:
    doc = describe(current_spec())
    json_url = (
        url_for(SMOREST_JSON_ENDPOINT)
        if SMOREST_JSON_ENDPOINT in current_app.view_functions
        else None
    )
    return render_template("api/docs.html", doc=doc, json_url=json_url)


def describe(spec: Mapping[str, Any]) -> ApiDoc:
    """Everything the page shows, read from an OpenAPI 3 document."""
    components = spec.get("components", {})
    operations: list[tuple[str, Operation]] = []
    for path, item in spec.get("paths", {}).items():
        shared = [_resolve(p, components) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            if method in item:
                tags = item[method].get("tags") or ["other"]
                operations.append(
                    (tags[0], _operation(path, method, item[method], shared, components))
                )
    descriptions = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    for tag, _ in operations:
        descriptions.setdefault(tag, "")
    sections = [
        Section(tag, description, tuple(op for op_tag, op in operations if op_tag == tag))
        for tag, description in descriptions.items()
    ]
    referenced = _referenced_schemas(spec.get("paths", {}), components)
    schemas = tuple(
        SchemaDoc(
            name=name,
            description=schema.get("description", ""),
            type=_type(schema),
            fields=_fields(schema),
        )
        for name, schema in components.get("schemas", {}).items()
        if name in referenced
    )
    security = tuple(
        (name, scheme.get("description", ""))
        for name, scheme in components.get("securitySchemes", {}).items()
    )
    return ApiDoc(
        title=spec["info"]["title"],
        version=spec["info"]["version"],
        openapi=spec["openapi"],
        sections=tuple(section for section in sections if section.operations),
        schemas=schemas,
        security=security,
    )


def _operation(
    path: str,
    method: str,
    operation: Mapping[str, Any],
    shared: list[Mapping[str, Any]],
    components: Mapping[str, Any],
) -> Operation:
    own = [_resolve(p, components) for p in operation.get("parameters", [])]
    overridden = {(p["name"], p["in"]) for p in own}
    parameters = [p for p in shared if (p["name"], p["in"]) not in overridden] + own
    body = _resolve(operation.get("requestBody", {}), components)
    security = operation.get("security")
    scopes = (
        tuple(
            scope for requirement in security for names in requirement.values() for scope in names
        )
        if security
        else None
    )
    return Operation(
        anchor=re.sub(r"[^a-z0-9]+", "-", f"{method} {path}".lower()).strip("-"),
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=operation.get("description", ""),
        scopes=scopes,
        parameters=tuple(
            Parameter(
                name=p["name"],
                location=p["in"],
                type=_type(p.get("schema", {})),
                required=bool(p.get("required")),
                description=p.get("description", ""),
            )
            for p in parameters
        ),
        request_bodies=_bodies(body.get("content", {})),
        replies=tuple(
            _reply(str(status), _resolve(response, components))
            for status, response in sorted(
                operation.get("responses", {}).items(), key=lambda item: _status_order(str(item[0]))
            )
        ),
    )


def _reply(status: str, response: Mapping[str, Any]) -> Reply:
    return Reply(
        status=status,
        description=response.get("description", ""),
        bodies=_bodies(response.get("content", {})),
        headers=tuple(
            Field(
                name=name,
                type=_type(header.get("schema", {})),
                required=bool(header.get("required")),
                description=header.get("description", ""),
            )
            for name, header in response.get("headers", {}).items()
        ),
    )


def _bodies(content: Mapping[str, Any]) -> tuple[Body, ...]:
    return tuple(
        Body(
            content_type=content_type,
            type=_type(media.get("schema", {})),
            fields=() if "$ref" in media.get("schema", {}) else _fields(media.get("schema", {})),
        )
        for content_type, media in content.items()
    )


def _fields(schema: Mapping[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", []))
    return tuple(
        Field(
            name=name,
            type=_type(prop),
            required=name in required,
            description=prop.get("description", ""),
        )
        for name, prop in schema.get("properties", {}).items()
    )


def _type(schema: Mapping[str, Any]) -> tuple[TypePart, ...]:
    """A short reading of a JSON Schema: `string (uuid) or null`, `array of Problem`."""
    if "$ref" in schema:
        return (TypePart(schema["$ref"].rsplit("/", 1)[-1], ref=True),)
    for combinator, joiner in (("oneOf", " or "), ("anyOf", " or "), ("allOf", " and ")):
        if combinator in schema:
            parts: list[TypePart] = []
            for index, member in enumerate(schema[combinator]):
                if index:
                    parts.append(TypePart(joiner))
                parts.extend(_type(member))
            return tuple(parts)
    if "enum" in schema:
        return (TypePart("one of " + ", ".join(json.dumps(value) for value in schema["enum"])),)
    types = schema.get("type", "any")
    names = [types] if isinstance(types, str) else list(types)
    parts = []
    for index, name in enumerate(names):
        if index:
            parts.append(TypePart(" or "))
        if name == "array":
            parts.append(TypePart("array of "))
            parts.extend(_type(schema.get("items", {})))
        elif name != "null" and "format" in schema:
            parts.append(TypePart(f"{name} ({schema['format']})"))
        else:
            parts.append(TypePart(name))
    return tuple(parts)


def _resolve(obj: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local `$ref` such as `#/components/responses/NOT_FOUND`."""
    ref = obj.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/components/"):
        return obj
    _, _, kind, name = ref.split("/", 3)
    return _resolve(components.get(kind, {}).get(name, {}), components)


def _referenced_schemas(node: Any, components: Mapping[str, Any]) -> set[str]:
    """Names of the schemas `node` uses, directly or through other components."""
    found: set[str] = set()
    seen: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, Mapping):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/") and ref not in seen:
                seen.add(ref)
                _, _, kind, name = ref.split("/", 3)
                if kind == "schemas":
                    found.add(name)
                walk(components.get(kind, {}).get(name, {}))
            for item in value.values():
                walk(item)

    walk(node)
    return found


def _status_order(status: str) -> tuple[int, str]:
    return (int(status), "") if status.isdigit() else (1000, status)
