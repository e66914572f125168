"""The site navigation, by what the signed-in reader is: a supervisee's own pages for
everyone signed in, the supervisor's pages for supervisors, the organisation's pages
for orderer contacts, the outbox problems for admins. Also the template
helpers every page shares (the CSRF token of small forms, the language names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from service.extensions import db
from service.web.signed_in import current_roles

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


def _link(endpoint: str, label: Any) -> NavLink:
    url = url_for(endpoint)
    return NavLink(url, str(label), request.path == url)


def navigation() -> dict[str, Any]:
    if not has_request_context() or request.blueprint in (None, "health", "web_static"):
        return {"nav": [], "signed_in": False}
    try:
        roles = current_roles()
        if roles is None:
            return {"nav": [], "signed_in": False}
    except SQLAlchemyError:
        # An error page while the database is away still renders, without the menu.
        db.session.rollback()
        return {"nav": [], "signed_in": False}
    links = []
    if roles.supervisor:
        links += [
            _link("supervisor.week", _l("Calendar")),
            _link("supervisor.processes", _l("Processes")),
            _link("availability.settings", _l("Availability")),
            _link("calendar_pages.connections", _l("Calendar connections")),
        ]
    links.append(_link("my_pages.home", _l("My processes")))
    if roles.orderer:
        links.append(_link("orderer_pages.overview", _l("Our organisation")))
        links.append(_link("room_pages.first", _l("Rooms")))
    if roles.admin:
        links.append(_link("outbox_pages.problems", _l("Messages not sent")))
    links.append(_link("my_data_pages.my_data", _l("My data")))
    links.append(_link("account.security", _l("Sign-in security")))
    return {"nav": links, "signed_in": True}


def register(app: Flask) -> None:
    app.context_processor(navigation)
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
