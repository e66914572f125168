"""The calendar feed as calendar apps fetch it: `/feeds/<secret>.ics`, no sign-in.

ETag and Last-Modified let apps poll cheaply: an unchanged feed answers 304 to
If-None-Match or If-Modified-Since. A revoked or unknown address is a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.wrappers import Response as BaseResponse

from service import clock
from service.services.calendars import feeds

bp = Blueprint("feed_download", __name__)

CALENDAR_TYPE = "text/calendar"


@bp.get("/feeds/<string:secret>.ics")
def calendar_feed(secret: str) -> BaseResponse:
    feed = feeds.live_feed(secret)
    if feed is None:
        abort(404)
    document = feeds.feed_document(feed, now=clock.now())
    response = Response(document.body, mimetype=CALENDAR_TYPE)
    response.set_etag(document.etag)
    response.last_modified = document.last_modified
    response.cache_control.private = True
    response.cache_control.max_age = int(current_app.config["FEED_MAX_AGE_SECONDS"])
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response.make_conditional(request)
