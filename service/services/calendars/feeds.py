"""Private calendar feeds: create and revoke a person's feed address, and the feed itself.

A participant's feed lists the sessions of the processes they take part in (while they
do); a supervisor's lists every session they supervise. The address carries a random
secret, of which only the SHA-256 digest is kept (as for API tokens), so the address is
shown once, when it is made. Events are the ones CalDAV push writes (``session_event``):
the neutral title, the place and the video link; never names or notes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from service.domain.feeds import build_feed
from service.domain.vevent import EventFacts, EventStatus
from service.extensions import db
from service.models import (
    CalendarFeed,
    FeedKind,
    ProcessParticipant,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
)
from service.services.accounts.tokens import hash_secret
from service.services.auth import Principal
from service.services.calendars.push import session_event
from service.services.errors import AccessDenied, NotFound
from service.services.transactions import write_transaction

SECRET_BYTES = 32
FEED_PATH = "/feeds/{secret}.ics"
LISTED = (
    SessionStatus.BOOKED,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.HELD,
    SessionStatus.NO_SHOW,
    SessionStatus.CANCELLED,
)
# A session waiting for its room is tentative in a feed; a cancelled one stays, cancelled.
FEED_STATUS = {
    SessionStatus.WAITING_FOR_ROOM: EventStatus.TENTATIVE,
    SessionStatus.CANCELLED: EventStatus.CANCELLED,
}


def feed_url(secret: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + FEED_PATH.format(secret=secret)


def create_feed(principal: Principal, kind: FeedKind, name: str = "") -> tuple[CalendarFeed, str]:
    """Make a feed address; returns the feed and its URL, which is never shown again.

    Feeds are personal: an organisation token cannot make one, and only a supervisor
    has a supervisor's feed."""
    if principal.organisation_id is not None:
        raise AccessDenied("A calendar feed is personal: use a personal token.")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with write_transaction():
        if kind is FeedKind.SUPERVISOR and _profile_of(principal.person_id) is None:
            raise AccessDenied("Only a supervisor has a supervisor's feed.")
        feed = CalendarFeed(
            person_id=principal.person_id,
            kind=kind,
            name=name.strip()[:200],
            secret_hash=hash_secret(secret),
        )
        db.session.add(feed)
    return feed, feed_url(secret)


def feeds(principal: Principal) -> list[CalendarFeed]:
    if principal.organisation_id is not None:
        return []
    query = (
        select(CalendarFeed)
        .where(CalendarFeed.person_id == principal.person_id)
        .order_by(CalendarFeed.created_at)
    )
    return list(db.session.scalars(query))


def revoke_feed(principal: Principal, feed_id: uuid.UUID, *, now: dt.datetime) -> CalendarFeed:
    """The address stops working at once; revoking twice keeps the first time."""
    with write_transaction():
        feed = db.session.get(CalendarFeed, feed_id)
        if feed is None or principal.organisation_id is not None:
            raise NotFound()
        if feed.person_id != principal.person_id:
            raise NotFound()
        if feed.revoked_at is None:
            feed.revoked_at = now
    return feed


def revoke_feed_by_id(feed_id: uuid.UUID, *, now: dt.datetime) -> CalendarFeed | None:
    """For the operator's command line: any feed, by its id."""
    with write_transaction():
        feed = db.session.get(CalendarFeed, feed_id)
        if feed is not None and feed.revoked_at is None:
            feed.revoked_at = now
    return feed


def live_feed(secret: str) -> CalendarFeed | None:
    """The unrevoked feed of a presented secret. Found by the digest's unique index: the
    secret is 32 random bytes, so the lookup's timing tells nothing usable about it."""
    if not secret or len(secret) > 100:
        return None
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.secret_hash == hash_secret(secret))
    )
    if feed is None or feed.revoked_at is not None:
        return None
    return feed


@dataclass(frozen=True)
class FeedDocument:
    body: bytes
    etag: str
    last_modified: dt.datetime


def feed_document(feed: CalendarFeed, *, now: dt.datetime) -> FeedDocument:
    """The feed's iCalendar text, its ETag (a digest of the text) and its Last-Modified
    (the latest change of a listed session, or the feed's creation)."""
    since = now - dt.timedelta(days=int(current_app.config["FEED_DAYS_BACK"]))
    sessions = _sessions(feed, since)
    events = [_feed_event(session) for session in sessions]
    refresh = dt.timedelta(seconds=int(current_app.config["FEED_MAX_AGE_SECONDS"]))
    body = build_feed(events, refresh=refresh)
    changes = [session.updated_at for session in sessions] + [feed.created_at]
    return FeedDocument(
        body=body,
        etag=hashlib.sha256(body).hexdigest()[:32],
        last_modified=max(changes).replace(microsecond=0),
    )


def _feed_event(session: SupervisionSession) -> EventFacts:
    event = session_event(session)
    return EventFacts(
        uid=event.uid,
        sequence=event.sequence,
        summary=event.summary,
        start=event.start,
        end=event.end,
        stamp=session.updated_at,
        location=event.location or "",
        video_url=event.video_url or "",
        status=FEED_STATUS.get(session.status, EventStatus.CONFIRMED),
    )


def _sessions(feed: CalendarFeed, since: dt.datetime) -> list[SupervisionSession]:
    query = select(SupervisionSession).where(
        SupervisionSession.status.in_(LISTED),
        SupervisionSession.overlapping(since),
    )
    if feed.kind is FeedKind.SUPERVISOR:
        profile = _profile_of(feed.person_id)
        if profile is None:
            return []
        query = query.join(SupervisionProcess).where(SupervisionProcess.supervisor_id == profile.id)
        return list(db.session.scalars(query.order_by(SupervisionSession.starts_at)))
    rows = db.session.execute(
        query.add_columns(ProcessParticipant.left_on)
        .join(ProcessParticipant, ProcessParticipant.process_id == SupervisionSession.process_id)
        .where(ProcessParticipant.person_id == feed.person_id)
        .order_by(SupervisionSession.starts_at)
    ).all()
    return [
        session
        for session, left_on in rows
        if left_on is None or left_on >= session.starts_at.date()
    ]


def _profile_of(person_id: uuid.UUID) -> SupervisorProfile | None:
    return db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.person_id == person_id)
    )
