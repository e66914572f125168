"""Who people are: a supervisor's public profile, and the person behind a principal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.extensions import db
from service.models import Person, ProcessMode, SupervisorProfile
from service.services.auth import Principal


@dataclass(frozen=True)
class PublicProfile:
    """What anyone may see of a supervisor, without signing in."""

    slug: str
    name: str
    title: str
    introduction: str
    timezone: str
    modes: tuple[ProcessMode, ...]
    accepts_inquiries: bool


@dataclass(frozen=True)
class Me:
    """The person a principal acts as, and what the credential allows."""

    id: uuid.UUID
    name: str
    email: str
    language: str
    organisation_id: uuid.UUID | None
    scopes: tuple[str, ...]


def public_profile(slug: str) -> PublicProfile | None:
    """The profile of the supervisor with this slug; None when unknown or erased."""
    profile = db.session.scalar(
        select(SupervisorProfile)
        .join(SupervisorProfile.person)
        .where(SupervisorProfile.slug == slug, Person.erased_at.is_(None))
    )
    if profile is None:
        return None
    offered = {
        ProcessMode.INDIVIDUAL: profile.offers_individual,
        ProcessMode.GROUP: profile.offers_group,
        ProcessMode.WORK_COMMUNITY: profile.offers_work_community,
    }
    return PublicProfile(
        slug=profile.slug,
        name=profile.person.name,
        title=profile.title,
        introduction=profile.introduction,
        timezone=profile.timezone,
        modes=tuple(mode for mode, offers in offered.items() if offers),
        accepts_inquiries=profile.accepts_inquiries,
    )


def public_profiles() -> list[PublicProfile]:
    """Every supervisor who takes inquiries, by name: the practice's public pages."""
    slugs = db.session.scalars(
        select(SupervisorProfile.slug)
        .join(SupervisorProfile.person)
        .where(SupervisorProfile.accepts_inquiries.is_(True), Person.erased_at.is_(None))
        .order_by(Person.name)
    ).all()
    return [profile for slug in slugs if (profile := public_profile(slug)) is not None]


def me(principal: Principal) -> Me | None:
    """The principal's own person; None when that person is gone."""
    person = db.session.get(Person, principal.person_id)
    if person is None or person.erased_at is not None:
        return None
    return Me(
        id=person.id,
        name=person.name,
        email=person.email,
        language=person.language,
        organisation_id=principal.organisation_id,
        scopes=tuple(sorted(principal.scopes)),
    )
