"""Sessions into a calendar that Ohjaamo reads through its address only (Google,
Outlook, Apple): the supervisor subscribes that calendar to their own Ohjaamo feed. The
page makes the feed's address, shows it this once (only a digest is kept) with how to
subscribe in each app, and revokes an address no longer wanted."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from service import clock
from service.models import FeedKind
from service.services.auth import Principal
from service.services.calendars.feeds import create_feed, revoke_feed
from service.web.calendars.pages import back, calendars_page
from service.web.forms import ConfirmForm
from service.web.messages import error_text, notice_text
from service.web.signed_in import signed_in

bp = Blueprint("calendar_feed_pages", __name__, url_prefix="/supervisor/calendars/feeds")


@bp.post("")
@signed_in
def make(principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
    _feed, url = create_feed(principal, FeedKind.SUPERVISOR, _("Ohjaamo sessions"))
    return calendars_page(principal, new_feed_url=url)


@bp.post("/<uuid:feed_id>/revoke")
@signed_in
def revoke(feed_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
    revoke_feed(principal, feed_id, now=clock.now())
    flash(notice_text("feed_revoked"))
    return back()
