"""Who is signed in to the pages: a person id in the signed session cookie.

Pages are decorated with `signed_in`; the use cases decide what that person may see.
An account's session generation is kept with the sign-in, so "sign out everywhere"
(raising the generation) ends every older cookie. The cookie also keeps what the sign-in
proved (link, password, one-time code); a session that proved less than the account's
strongest factors is not signed in. The cookie is checked once per request,
in one query that also asks what the reader is (the page and its menu share the answer);
signing in or out forgets it.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Response, current_app, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from service.domain.passwords import factors_required
from service.extensions import db
from service.i18n import LANGUAGE_KEY
from service.models import Person
from service.services.accounts.reader_roles import ReaderRoles, role_columns, roles_of
from service.services.accounts.supervisors import supervisor_profile_of
from service.services.auth import Principal

PERSON_KEY = "person_id"
GENERATION_KEY = "generation"
PENDING_KEY = "second_factor_person"
PENDING_AT_KEY = "second_factor_since"
FACTORS_KEY = "proved"
_CHECKED = "ohjaamo_principal"


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: an open redirect would turn our links into phishing.

    The one guard of every ``next``. It judges the target as a browser reads it, not
    as it is spelt: browsers drop tabs and newlines anywhere in a URL, trim control
    characters and spaces at its ends and read a backslash as a slash, so ``/%09/evil``
    (a tab once decoded) and ``/\\evil`` (a backslash) name another site. A target
    with any control character, whitespace or backslash is refused outright; what is
    left must be a path (one leading slash), with no scheme and no host.
    """
    if not target or any(_unsafe_in_url(character) for character in target):
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _unsafe_in_url(character: str) -> bool:
    return character == "\\" or character.isspace() or unicodedata.category(character) == "Cc"


def landing(person_id: uuid.UUID) -> str:
    """Where a person goes after signing in without a page to return to: a supervisor
    to their week, everyone else to their processes."""
    if supervisor_profile_of(Principal(person_id=person_id)) is not None:
        return url_for("supervisor.week")
    return url_for("my_pages.home")


def sign_in(person_id: uuid.UUID, proved: Iterable[str]) -> None:
    """Begin a signed-in session that ``proved`` these factors (``EMAIL_LINK``,
    ``PASSWORD``, ``ONE_TIME_CODE``); every request checks them against the account."""
    person = db.session.get(Person, person_id)
    language = session.get(LANGUAGE_KEY)
    session.clear()
    g.pop(_CHECKED, None)
    if language:
        session[LANGUAGE_KEY] = language
    session[PERSON_KEY] = str(person_id)
    session[GENERATION_KEY] = person.account.session_generation if person and person.account else 0
    session[FACTORS_KEY] = sorted(set(proved))
    session.permanent = True


def proved_factors() -> frozenset[str]:
    """What the current session's sign-in proved."""
    return frozenset(session.get(FACTORS_KEY) or ())


def renew(person_id: uuid.UUID, *, also_proved: Iterable[str] = ()) -> None:
    """Sign the session in again after a change that ended every session (a new
    password), keeping what it proved and adding what the change itself proved."""
    sign_in(person_id, proved_factors() | set(also_proved))


def sign_out() -> None:
    language = session.get(LANGUAGE_KEY)
    session.clear()
    g.pop(_CHECKED, None)
    if language:
        session[LANGUAGE_KEY] = language


def await_second_factor(person_id: uuid.UUID, now: dt.datetime) -> None:
    """The password was right; the person is not signed in until the code is."""
    session.clear()
    g.pop(_CHECKED, None)
    session[PENDING_KEY] = str(person_id)
    session[PENDING_AT_KEY] = now.timestamp()


def awaiting_second_factor(now: dt.datetime) -> uuid.UUID | None:
    """Whose code the sign-in waits for, unless SECOND_FACTOR_MINUTES have passed."""
    raw, since = session.get(PENDING_KEY), session.get(PENDING_AT_KEY)
    if raw is None or since is None:
        return None
    limit = current_app.config["SECOND_FACTOR_MINUTES"] * 60
    if now.timestamp() - float(since) > limit:
        session.clear()
        return None
    return uuid.UUID(raw)


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    roles: ReaderRoles
    # Held for the request so the session's identity map keeps the person (it holds
    # objects weakly): the page's later look-ups by id need no query.
    person: Person


def current_principal() -> Principal | None:
    signed = _signed_in()
    return signed.principal if signed else None


def current_person() -> Person | None:
    """The signed-in reader's person (their language and zone), checked as above."""
    signed = _signed_in()
    return signed.person if signed else None


def stored_language() -> str | None:
    """The signed-in reader's own language, which chooses their pages; None when nobody
    is signed in, or when the database cannot say (an error page still renders)."""
    try:
        person = current_person()
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return person.language if person is not None else None


def current_roles() -> ReaderRoles | None:
    """What the signed-in reader is, for the menu: asked with the cookie's check."""
    signed = _signed_in()
    return signed.roles if signed else None


def _signed_in() -> SignedIn | None:
    if _CHECKED not in g:
        g.setdefault(_CHECKED, _check_cookie())
    return g.get(_CHECKED)


def _check_cookie() -> SignedIn | None:
    raw = session.get(PERSON_KEY)
    if raw is None:
        return None
    person_id = uuid.UUID(raw)
    row = db.session.execute(
        select(Person, *role_columns(person_id))
        .options(joinedload(Person.account))
        .where(Person.id == person_id)
    ).one_or_none()
    if row is None or row[0].erased_at is not None:
        session.clear()
        return None
    person = row[0]
    account = person.account
    generation = account.session_generation if account else 0
    required = factors_required(
        has_password=account is not None and account.password_hash is not None,
        has_second_factor=account is not None and account.totp_secret_encrypted is not None,
    )
    # A session that proved less than the account now asks (one-time codes turned on
    # since, a session from before the rule) is no session: every way in meets the
    # account's strongest factor, and so does every request after it.
    if session.get(GENERATION_KEY) != generation or not required <= proved_factors():
        session.clear()
        return None
    return SignedIn(Principal(person_id=person.id), roles_of(row[1:]), person)


def not_stored_when_signed_in(response: Response) -> Response:
    """What a signed-in reader is shown is theirs alone (sessions, private notes, a new
    one-time code's secret): no browser or proxy keeps a copy, unless the page chose its
    own caching (a calendar feed)."""
    if g.get(_CHECKED) is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def signed_in(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """The view gets ``principal``; without one, the reader is sent to sign in and
    brought back here afterwards."""

    @functools.wraps(view)
    def wrapper(*args: object, **kwargs: object) -> ResponseReturnValue:
        principal = current_principal()
        if principal is None:
            return redirect(url_for("sign_in.request_link", next=request.full_path))
        return view(*args, principal=principal, **kwargs)

    return wrapper
