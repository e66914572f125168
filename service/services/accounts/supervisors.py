"""The supervisor a signed-in person is, for the pages of their own work."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.domain.errors import InvalidFields
from service.domain.inquiries import normalised_email
from service.extensions import db
from service.models import AccountRole, Person, Practice, Role, SupervisorProfile, UserAccount
from service.services import audit
from service.services.auth import Principal
from service.services.errors import AccessDenied
from service.services.remembered import remembered
from service.services.transactions import write_transaction

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def supervisor_profile_of(principal: Principal) -> SupervisorProfile | None:
    """The principal's own supervisor profile; None for clients and organisation tokens.
    Read once per transaction: a page asks for the zone, then for the week."""
    if principal.organisation_id is not None:
        return None
    return remembered(
        "supervisor_profile",
        principal.person_id,
        lambda: db.session.scalar(
            select(SupervisorProfile).where(SupervisorProfile.person_id == principal.person_id)
        ),
    )


def own_supervisor_profile(principal: Principal) -> SupervisorProfile:
    profile = supervisor_profile_of(principal)
    if profile is None:
        raise AccessDenied("Only supervisors have these pages.")
    return profile


def is_admin(principal: Principal) -> bool:
    """A practice admin, signed in as a person (not through an organisation's token)."""
    if principal.organisation_id is not None:
        return False
    account = db.session.scalar(
        select(UserAccount).where(UserAccount.person_id == principal.person_id)
    )
    return account is not None and account.has_role(Role.ADMIN)


def require_admin(principal: Principal) -> None:
    """The installation's own pages (the outbox) are for practice admins only."""
    if not is_admin(principal):
        raise AccessDenied("Only a practice admin sees this.")


@dataclass(frozen=True)
class NewSupervisor:
    """A supervisor the operator adds, in a practice found or made by its slug."""

    name: str
    email: str
    slug: str
    practice_name: str
    practice_slug: str
    title: str = ""
    introduction: str = ""
    language: str = "fi"
    admin: bool = False
    # The price of a session before VAT, shown on the public page.
    session_price_cents: int | None = None


def add_supervisor(new: NewSupervisor) -> uuid.UUID:
    """Write the person, their account (roles, no password yet: `ohjaamo users
    set-password` gives one) and their public profile; the profile's id."""
    email = normalised_email(new.email)
    problems = {}
    if email is None:
        problems["email"] = "invalid_email"
    if not new.name.strip() or len(new.name.strip()) > 200:
        problems["name"] = "required" if not new.name.strip() else "too_long"
    for field in ("slug", "practice_slug"):
        if not _SLUG.fullmatch(getattr(new, field)) or len(getattr(new, field)) > 80:
            problems[field] = "slug"
    if new.session_price_cents is not None and new.session_price_cents < 0:
        problems["session_price_cents"] = "not_negative"
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        if db.session.scalar(
            select(SupervisorProfile.id).where(SupervisorProfile.slug == new.slug)
        ):
            raise InvalidFields({"slug": "slug_taken"})
        practice = db.session.scalar(select(Practice).where(Practice.slug == new.practice_slug))
        if practice is None:
            practice = Practice(name=new.practice_name.strip(), slug=new.practice_slug, email=email)
            db.session.add(practice)
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = Person(name=new.name.strip(), email=email, language=new.language)
            db.session.add(person)
        elif db.session.scalar(
            select(SupervisorProfile.id).where(SupervisorProfile.person_id == person.id)
        ):
            raise InvalidFields({"email": "already_supervisor"})
        account = person.account or UserAccount(person=person)
        db.session.add(account)
        roles = {Role.SUPERVISOR, *([Role.ADMIN] if new.admin else [])}
        have = {r.role for r in account.roles}
        account.roles.extend(AccountRole(role=role) for role in sorted(roles - have))
        profile = SupervisorProfile(
            person=person,
            practice=practice,
            slug=new.slug,
            title=new.title.strip(),
            introduction=new.introduction.strip(),
            session_price_cents=new.session_price_cents,
        )
        db.session.add(profile)
        db.session.flush()
        audit.record("supervisor.added", "supervisor_profile", profile.id, via="command line")
        return profile.id
