"""Friendly error pages in the reader's language, for every path outside the API.

The API's error handlers (service.api.errors) are the app's only ones: they answer
problem documents under the API prefix and hand every other path to these.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from service.domain.errors import DomainError
from service.web.messages import error_text

_HTTP_PAGES = {
    404: (_l("Page not found"), "not_found"),
    403: (_l("No access"), "forbidden"),
    429: (_l("Please wait a moment"), "too_many_requests"),
}


def _page(status: int, heading: str, message: str) -> tuple[str, int]:
    return render_template("web/error.html", heading=heading, message=message), status


def page_for_http_error(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    if status in _HTTP_PAGES:
        heading, code = _HTTP_PAGES[status]
        return _page(status, str(heading), error_text(code))
    if status >= 500:
        return _page(status, _("Something went wrong"), error_text("server_error"))
    return _page(status, _("This did not work"), error_text("bad_request"))


def page_for_domain_error(error: DomainError) -> tuple[str, int]:
    status = {"not_found": 404, "forbidden": 403}.get(error.code)
    if status is not None:
        heading, code = _HTTP_PAGES[status]
        return _page(status, str(heading), error_text(code))
    return _page(409, _("This did not work"), error_text(error.code))
