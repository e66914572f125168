"""The supervisor a signed-in person is, for the pages of their own work."""

from __future__ import annotations

from sqlalchemy import select

from service.extensions import db
from service.models import Role, SupervisorProfile, UserAccount
from service.services.auth import Principal
from service.services.errors import AccessDenied

# A person's profile, once found, stays theirs: later asks in the same database session
# (a page asks for the zone, then for the week) get it from the identity map.
_KNOWN_PROFILES = "ohjaamo.supervisor_profile_ids"


def supervisor_profile_of(principal: Principal) -> SupervisorProfile | None:
    """The principal's own supervisor profile; None for clients and organisation tokens."""
    if principal.organisation_id is not None:
        return None
    known: dict = db.session.info.setdefault(_KNOWN_PROFILES, {})
    if (profile_id := known.get(principal.person_id)) is not None:
        found = db.session.get(SupervisorProfile, profile_id)
        if found is not None:
            return found
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.person_id == principal.person_id)
    )
    if profile is not None:
        known[principal.person_id] = profile.id
    return profile


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
