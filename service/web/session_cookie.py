"""The signed session cookie, with its lifetime sent as Max-Age.

Flask sends a permanent session's end only as an Expires date reckoned by the server's
clock. A browser whose clock says otherwise (a phone set by hand, a server whose clock
is set for a test) then keeps the cookie too long or drops it at once. Max-Age counts
from the moment the browser receives the cookie, and browsers prefer it to Expires
(RFC 6265, 5.3), so a session lasts PERMANENT_SESSION_LIFETIME whatever either clock says.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin


class MaxAgeSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not (session and session.permanent and self.should_set_cookie(app, session)):
            super().save_session(app, session, response)
            return
        response.set_cookie(
            self.get_cookie_name(app),
            self.get_signing_serializer(app).dumps(dict(session)),  # type: ignore[union-attr]
            max_age=app.permanent_session_lifetime,
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")
