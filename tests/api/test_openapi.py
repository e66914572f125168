"""The OpenAPI document and the documentation page rendered from it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.settings import UnsafeConfigurationError
from tests.conftest import test_config

OPERATIONS = {("get", "/api/v1/supervisors/{slug}"), ("get", "/api/v1/me")}


def test_openapi_document_is_3_1_and_lists_both_operations(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    spec = response.json
    assert spec["openapi"] == "3.1.0"
    assert spec["info"] == {"title": "Ohjaamo API", "version": "v1"}
    listed = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert listed >= OPERATIONS


def test_openapi_documents_the_bearer_scheme_and_who_needs_it(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json

    scheme = spec["components"]["securitySchemes"]["bearerToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearerToken": ["read"]}]
    assert {"200", "401", "403"} <= set(me["responses"])
    assert "security" not in spec["paths"]["/api/v1/supervisors/{slug}"]["get"]


def test_openapi_describes_errors_as_problem_documents(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json

    for name in ("NOT_FOUND", "UNAUTHORIZED", "DEFAULT_ERROR"):
        content = spec["components"]["responses"][name]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert "Error" not in spec["components"]["schemas"]
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem)


class PageReader(HTMLParser):
    """Collects what the accessibility and self-containment checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.headings: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.references: list[str] = []
        self._heading: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        self.references += [
            value for name, value in attrs if name in ("href", "src", "action") and value
        ]
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)


def read_page(client: FlaskClient) -> tuple[str, PageReader]:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    reader = PageReader()
    reader.feed(html)
    return html, reader


def test_docs_page_renders_both_operations_with_their_details(client: FlaskClient) -> None:
    html, page = read_page(client)

    assert ("h1", "Ohjaamo API v1") in page.headings
    assert ("h3", "GET /api/v1/supervisors/{slug}") in page.headings
    assert ("h3", "GET /api/v1/me") in page.headings
    assert "A supervisor&#39;s public profile" in html
    assert "The token&#39;s person and scopes" in html
    assert "<code>slug</code></th><td>path</td>" in html
    assert "Needs a token with the scope <code>read</code>." in html
    assert 'href="#schema-PublicProfile"' in html
    assert ("h3", "Problem") in page.headings
    assert "application/problem+json" in html


def test_docs_page_is_accessible_and_self_contained(client: FlaskClient) -> None:
    html, page = read_page(client)

    assert page.html_lang == "en"
    assert [level for level, _ in page.headings].count("h1") == 1
    assert {"main", "nav", "table", "caption", "th"} <= page.tags
    assert "script" not in page.tags
    assert not re.search(r"(?i)\bhttps?://", html)
    assert not re.search(r"(?i)(?:src|href)\s*=\s*[\"']?//", html)
    for reference in page.references:
        assert reference.startswith(("#", "/api/v1/")), reference
    stylesheet = next(ref for ref in page.references if ref.endswith(".css"))
    css = client.get(stylesheet)
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert not re.search(r"(?i)(https?:|@import|url\()", css.get_data(as_text=True))


@pytest.mark.parametrize("path", ["swagger-ui", "redoc", "rapidoc", "docs/swagger"])
def test_cdn_documentation_pages_are_not_served(client: FlaskClient, path: str) -> None:
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_enabling_a_cdn_documentation_page_refuses_to_start(database_url: str) -> None:
    config = test_config(
        database_url,
        OPENAPI_SWAGGER_UI_PATH="/swagger-ui",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
    )
    with pytest.raises(UnsafeConfigurationError, match="OPENAPI_SWAGGER_UI_PATH"):
        create_app(config)


def test_each_app_serves_its_own_document(app: Flask, probe_app: Flask) -> None:
    """The flask-smorest `Api` object is shared; the document must not be."""
    probe_app.extensions["ohjaamo.openapi"].tag({"name": "probe-only"})

    tags = {tag["name"] for tag in app.test_client().get("/api/v1/openapi.json").json["tags"]}
    probe_tags = {
        tag["name"] for tag in probe_app.test_client().get("/api/v1/openapi.json").json["tags"]
    }

    assert "probe-only" not in tags
    assert "probe-only" in probe_tags
