"""Who is signed in to the pages: a person id in the signed session cookie.

Pages are decorated with `signed_in`; the use cases decide what that person may see.
An account's session generation is kept with the sign-in, so "sign out everywhere"
(raising the generation) ends every older cookie.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable

from flask import redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from service.extensions import db
from service.i18n import LANGUAGE_KEY
from service.models import Person
from service.services.auth import Principal

PERSON_KEY = "person_id"
GENERATION_KEY = "generation"


def sign_in(person_id: uuid.UUID) -> None:
    person = db.session.get(Person, person_id)
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    session[PERSON_KEY] = str(person_id)
    session[GENERATION_KEY] = person.account.session_generation if person and person.account else 0
    session.permanent = True


def sign_out() -> None:
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language


def current_principal() -> Principal | None:
    raw = session.get(PERSON_KEY)
    if raw is None:
        return None
    person = db.session.get(Person, uuid.UUID(raw))
    if person is None or person.erased_at is not None:
        session.clear()
        return None
    generation = person.account.session_generation if person.account else 0
    if session.get(GENERATION_KEY) != generation:
        session.clear()
        return None
    return Principal(person_id=person.id)


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
