"""A person's calendar subscriptions: a private address their calendar app reads, with
the sessions they take part in (or, for a supervisor, every session they supervise) under
the neutral title. The address is shown once, when it is made; revoking stops it at once."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from service import clock
from service.models import FeedKind
from service.services.accounts.supervisors import supervisor_profile_of
from service.services.auth import Principal
from service.services.calendars.feeds import create_feed, feeds, revoke_feed
from service.web.forms import ConfirmForm
from service.web.messages import error_text
from service.web.signed_in import signed_in

bp = Blueprint("feed_pages", __name__, url_prefix="/my/calendar-feeds")
NAME_LENGTH = 200


def _page(
    principal: Principal, *, new_url: str | None = None, problem: str | None = None
) -> tuple[str, int]:
    return render_template(
        "web/calendar_feeds.html",
        feeds=feeds(principal),
        supervisor=supervisor_profile_of(principal) is not None,
        form=ConfirmForm(formdata=None),
        new_url=new_url,
        problem=problem,
    ), 422 if problem else 200


@bp.get("")
@signed_in
def listing(principal: Principal) -> tuple[str, int]:
    return _page(principal)


@bp.post("")
@signed_in
def create(principal: Principal) -> tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _page(principal, problem=error_text("form_expired"))
    try:
        kind = FeedKind(request.form.get("kind", FeedKind.PARTICIPANT))
    except ValueError:
        kind = FeedKind.PARTICIPANT
    name = request.form.get("name", "")[:NAME_LENGTH]
    _feed, url = create_feed(principal, kind, name)
    return _page(principal, new_url=url)


@bp.post("/<uuid:feed_id>/revoke")
@signed_in
def revoke(feed_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _page(principal, problem=error_text("form_expired"))
    revoke_feed(principal, feed_id, now=clock.now())
    flash(_("The address is revoked: calendar apps no longer get sessions from it."))
    return redirect(url_for("feed_pages.listing"))
