"""The headers every answer carries so that browsers hold the line: a strict
Content-Security-Policy (scripts and styles from this site only, never inline; no
framing), Referrer-Policy, X-Content-Type-Options, X-Frame-Options and
Permissions-Policy. Flask-Talisman sets them, one instance per app, from the settings.

HTTPS is the proxy's: it redirects plain HTTP and sends Strict-Transport-Security
(config/nginx/ohjaamo.conf, docs/deploy.md), so Talisman neither redirects nor sends
HSTS, and the session cookie's flags stay the settings' own.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import DENY, Talisman

EXTENSION = "ohjaamo.talisman"


def init_app(app: Flask) -> None:
    config = app.config
    app.extensions[EXTENSION] = Talisman(
        app,
        content_security_policy=config["CONTENT_SECURITY_POLICY"],
        frame_options=DENY,
        referrer_policy=config["REFERRER_POLICY"],
        permissions_policy=config["PERMISSIONS_POLICY"],
        feature_policy={},
        document_policy={},
        x_content_type_options=True,
        force_https=False,
        strict_transport_security=False,
        session_cookie_secure=False,
        session_cookie_http_only=config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=config["SESSION_COOKIE_SAMESITE"],
    )
